using Query.Storage.Index;
using Query.Storage.Log;
using Query.Storage.Native;
using Query.Storage.Recovery;

namespace Query.Storage;

// Segment lifecycle: roll (writer thread), retention and explicit deletion (any thread, under _segmentsLock),
// and the checkpoint that lets a reopen trust sealed segments without rescanning them.
public sealed partial class PartitionLog
{
    /// <summary>
    /// Deletes whole sealed segments whose records all precede <paramref name="offset"/>; the active segment is
    /// never deleted. Returns how many were deleted; <see cref="StartOffset"/> moves to the first one left.
    /// </summary>
    public int DeleteSegmentsBefore(long offset)
    {
        ThrowIfDeleted();
        lock (_segmentsLock)
        {
            var segments = _segments;
            var count = 0;
            while (count < segments.Length - 1 && segments[count].EndOffset <= offset)
                count++;
            return RemoveOldest(count);
        }
    }

    /// <summary>
    /// Applies RetentionMs (a sealed segment whose newest record is older goes) and RetentionBytes (oldest
    /// sealed segments go while the partition is larger), never past the <see cref="RetentionFloor"/>. Runs after
    /// every roll and on open; call it periodically for logs that roll rarely. Returns how many segments were deleted.
    /// </summary>
    public int EnforceRetention()
    {
        ThrowIfDeleted();
        return EnforceRetention(NowMs());
    }

    internal int EnforceRetention(long nowMs)
    {
        _ = RetentionFloor;   // loads the floors before the lock (lock order: floors, then segments)
        if (Options.RetentionMs < 0 && Options.RetentionBytes < 0)
            return 0;
        lock (_segmentsLock)
        {
            var segments = _segments;
            var floor = _retentionFloor;
            long totalBytes = 0;
            foreach (var segment in segments)
                totalBytes += segment.SizeBytes;
            var count = 0;
            for (; count < segments.Length - 1; count++)
            {
                var segment = segments[count];
                if (segment.EndOffset > floor)
                    break;                                      // a holder still needs it (retention floor)
                var expired = Options.RetentionMs >= 0 && segment.MaxTimestampMs < nowMs - Options.RetentionMs;
                var oversize = Options.RetentionBytes >= 0 && totalBytes > Options.RetentionBytes;
                if (!expired && !oversize)
                    break;
                totalBytes -= segment.SizeBytes;
            }
            return RemoveOldest(count);
        }
    }

    /// <summary>Called by the writer when the active segment is full or old: seal it and start a new one.</summary>
    internal Segment Roll(long baseOffset, long nowMs)
    {
        var sync = Options.Durability != DurabilityMode.None;
        Segment? segment = null;
        var sealing = ActiveSegment;
        try
        {
            // The new files exist before the old segment is sealed, so a failure here leaves the old one active.
            segment = NewActiveSegment(baseOffset, nowMs);
            sealing.Seal(sync);
            if (sync)
                FileSync.SyncDirectory(Directory);
            lock (_segmentsLock)
            {
                Volatile.Write(ref _segments, [.. _segments, segment]);
                WriteCheckpoint();
            }
        }
        catch (Exception exception)
        {
            // What is sealed, synced and listed is now uncertain: stop appends until a reopen recovers.
            Fail(exception);
            if (segment is not null && !ReferenceEquals(ActiveSegment, segment))
                segment.Close();
            throw;
        }
        PostSealed(sealing);
        EnforceRetention(nowMs);
        return segment;
    }

    /// <summary>Creates the files of an empty segment taking appends from <paramref name="baseOffset"/>.</summary>
    private Segment NewActiveSegment(long baseOffset, long nowMs)
    {
        var segment = Segment.Open(Directory, baseOffset, new SegmentIndex());
        segment.CreatedMs = nowMs;
        segment.OpenIndexFilesForAppend();
        return segment;
    }

    // Caller holds _segmentsLock. The checkpoint is written before the files go, so a crash in between
    // leaves files below the checkpoint's start offset, which recovery deletes.
    private int RemoveOldest(int count)
    {
        if (count == 0)
            return 0;
        var segments = _segments;
        Volatile.Write(ref _segments, segments[count..]);
        WriteCheckpoint();
        for (var i = 0; i < count; i++)
            segments[i].Delete();
        if (Options.Durability != DurabilityMode.None)
            FileSync.SyncDirectory(Directory);
        return count;
    }

    // Caller holds _segmentsLock.
    private void WriteCheckpoint()
    {
        var segments = _segments;
        var active = segments[^1];
        NoteSegmentAgePersisted(active);
        PartitionCheckpoint.Write(Directory, segments[0].BaseOffset, segments.AsSpan(0, segments.Length - 1), active);
    }
}
