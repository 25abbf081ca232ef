using Query.Storage.Index;
using Query.Storage.Log;
using Query.Storage.Recovery;

namespace Query.Storage;

// TruncateAfterAsync: cuts the tail of a derived log (a persistent query's sink or changelog) back to its last
// commit. The writer runs it in order with appends; a manifest makes it whole or absent after a crash; a
// sequence number (odd while one runs) lets readers notice it (see LogReader.TruncatedMeanwhile).
public sealed partial class PartitionLog
{
    private const int TruncationHistoryLength = 32;

    private int _truncationSequence;
    private (int Sequence, long EndOffset)[] _truncations = [];

    /// <summary>
    /// Removes every record after <paramref name="lastKeptOffset"/>, so that <see cref="EndOffset"/> becomes
    /// <c>lastKeptOffset + 1</c> and the next append takes that offset again (pass <c>StartOffset - 1</c> to
    /// remove every record held). Runs in order with appends queued before and after it, and is durable when it
    /// completes; after a crash it is wholly done or not at all. A no-op when nothing follows the offset.
    /// Returns how many records were removed.
    /// <para>Throws <see cref="OffsetOutOfRangeException"/> below the log start, and
    /// <see cref="StorageException"/> when a retention floor holder has taken records that would be removed (an
    /// archival job that copied them): it must lower its floor first.</para>
    /// <para>Readers: one that has not passed the new end goes on reading and then sees what is appended next;
    /// one that already returned a removed record throws <see cref="LogTruncatedException"/> at its next read.
    /// Sealed-segment notices already posted for removed segments are not withdrawn.</para>
    /// </summary>
    public async ValueTask<long> TruncateAfterAsync(long lastKeptOffset, CancellationToken cancellationToken = default)
    {
        ThrowIfDeleted();
        if (_failure is not null)
            throw ClosedException();
        cancellationToken.ThrowIfCancellationRequested();
        var result = await _writer.EnqueueTruncationAsync(lastKeptOffset).ConfigureAwait(false);
        return Math.Max(0, result.BaseOffset - (lastKeptOffset + 1));
    }

    /// <summary>Test hook run after each step of a truncation ("manifest", "files", "checkpoint"): throw to
    /// simulate a crash there.</summary>
    internal Action<string>? TruncationFault { get; set; }

    /// <summary>Sequence of truncations so far; odd while one is running.</summary>
    internal int TruncationSequence => Volatile.Read(ref _truncationSequence);

    /// <summary>The lowest end offset left by a truncation begun after <paramref name="sequence"/>; long.MinValue
    /// when too many ran since to know (the reader must then give up), long.MaxValue when none did.</summary>
    internal long LowestTruncationEndSince(int sequence)
    {
        var truncations = Volatile.Read(ref _truncations);
        var lowest = long.MaxValue;
        foreach (var (begun, endOffset) in truncations)
        {
            if (begun > sequence)
                lowest = Math.Min(lowest, endOffset);
        }
        if (truncations.Length == TruncationHistoryLength && truncations[0].Sequence > sequence + 1)
            return long.MinValue;
        return lowest;
    }

    /// <summary>
    /// Called by the writer with every earlier append written and acknowledged. Checks the request, then: writes
    /// the manifest, marks the truncation begun (readers hold off, the end offset drops), cuts the files, makes
    /// the cut segment the active one, rewrites the checkpoint, deletes the manifest. A failure before the
    /// manifest changes nothing; after it, the partition stops until a reopen finishes the truncation.
    /// </summary>
    /// <remarks>Holds the floors and the segment list throughout (in the lock order), so that neither a holder
    /// raising its floor nor a retention pass can slip in between the checks and the new segment list.</remarks>
    internal Segment TruncateOnWriter(long lastKeptOffset, long nowMs)
    {
        lock (_floorsLock)
        {
            lock (_segmentsLock)
                return TruncateLocked(lastKeptOffset, nowMs);
        }
    }

    private Segment TruncateLocked(long lastKeptOffset, long nowMs)
    {
        var endOffset = lastKeptOffset + 1;
        var segments = Segments;
        if (endOffset >= EndOffset)
            return segments[^1];
        CheckTruncation(segments, lastKeptOffset);
        var index = segments.Length - 1;
        while (segments[index].BaseOffset > endOffset)
            index--;
        var target = segments[index];
        var point = TruncationPoint.Find(target, endOffset, target.SizeBytes);
        var plan = new TruncationManifest.Plan(endOffset, target.BaseOffset, point.CutPosition, point.Head);
        TruncationManifest.Write(Directory, plan);
        BeginTruncation(endOffset);
        try
        {
            TruncationFault?.Invoke("manifest");
            TruncationManifest.Apply(Directory, plan);
            TruncationFault?.Invoke("files");
            var active = Reactivate(target, endOffset, nowMs);
            Volatile.Write(ref _segments, [.. segments[..index], active]);
            WriteCheckpoint();
            TruncationFault?.Invoke("checkpoint");
            for (var i = index; i < segments.Length; i++)
                segments[i].Close();            // files already gone or reopened; readers let go of the handles
            TruncationManifest.Delete(Directory);
            return active;
        }
        catch (Exception exception)
        {
            Fail(exception);
            throw;
        }
        finally
        {
            Interlocked.Increment(ref _truncationSequence);     // even again: readers look at the new chain
        }
    }

    private void CheckTruncation(Segment[] segments, long lastKeptOffset)
    {
        if (lastKeptOffset + 1 < segments[0].BaseOffset)
            throw new OffsetOutOfRangeException(lastKeptOffset, segments[0].BaseOffset, EndOffset);
        foreach (var (holder, floor) in LoadedFloors())
        {
            if (floor > lastKeptOffset + 1)
                throw new StorageException($"cannot truncate partition {Partition} of log \"{LogName}\" after " +
                    $"offset {lastKeptOffset}: retention floor holder \"{holder}\" is at {floor}; lower it first");
        }
    }

    private void BeginTruncation(long endOffset)
    {
        var begun = Interlocked.Increment(ref _truncationSequence);     // odd: readers hold off until it is even
        var history = Volatile.Read(ref _truncations);
        if (history.Length == TruncationHistoryLength)
            history = history[1..];
        Volatile.Write(ref _truncations, [.. history, (begun, endOffset)]);
        Volatile.Write(ref _endOffset, endOffset);
    }

    // The cut segment as a fresh active segment over the same file, its index and time range rebuilt by a scan.
    private Segment Reactivate(Segment target, long endOffset, long nowMs)
    {
        var segment = Segment.Open(Directory, target.BaseOffset, new SegmentIndex());
        try
        {
            var scan = SegmentScanner.Scan(segment.Handle, segment.LogPath, segment.BaseOffset, allowTornTail: false);
            if (scan.EndOffset != endOffset)
                throw new CorruptSegmentException(segment.LogPath, scan.ValidBytes,
                    $"after truncation the segment ends at offset {scan.EndOffset}, not {endOffset}");
            segment.Restore(scan.ValidBytes, scan.EndOffset, scan.MinTimestampMs, scan.MaxTimestampMs);
            segment.ReplaceIndex(scan.Index);
            segment.CreatedMs = nowMs;
            segment.OpenIndexFilesForAppend();
            return segment;
        }
        catch
        {
            segment.Close();
            throw;
        }
    }
}
