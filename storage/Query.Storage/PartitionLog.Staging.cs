using Query.Storage.Log;
using Query.Storage.Native;
using Query.Storage.Recovery;

namespace Query.Storage;

// Staged appends: written beside the log while produced, adopted by the writer as whole sealed segments.
public sealed partial class PartitionLog
{
    /// <summary>Starts a large append that is written now and becomes visible at its commit.</summary>
    public StagedAppend BeginStagedAppend() => BeginStagedAppend(enlisted: false);

    internal StagedAppend BeginStagedAppend(bool enlisted)
    {
        ThrowIfDeleted();
        if (_failure is not null)
            throw ClosedException();
        return new StagedAppend(this, enlisted);
    }

    internal ValueTask<AppendResult> EnqueueStagedAsync(StagedAppend staged, CancellationToken cancellationToken)
    {
        if (_state != Open || _failure is not null)
            throw ClosedException();
        return _writer.EnqueueStagedAsync(staged, cancellationToken);
    }

    /// <summary>
    /// Called by the writer: gives the staged segments their offsets from <paramref name="baseOffset"/>, seals
    /// the active segment, renames the staged files into the chain after it and starts a new active segment,
    /// which it returns. The caller publishes the new end offset.
    /// </summary>
    /// <remarks>
    /// Until the first rename only temporary files have changed, so a failure fails just this append. After it,
    /// what is listed is uncertain and the partition stops until a reopen recovers it, as after a failed roll.
    /// An empty active segment has the same base offset as the first staged one and is replaced by it.
    /// </remarks>
    internal Segment AdoptStaged(StagedAppend staged, long baseOffset, long nowMs)
    {
        PrepareStaged(staged, baseOffset);
        return InstallStaged(staged, baseOffset, nowMs, writeManifest: true);
    }

    /// <summary>Step 1 of adoption: offsets patched, index files written, all durable; nothing renamed yet.
    /// A failure leaves only temporary files.</summary>
    internal void PrepareStaged(StagedAppend staged, long baseOffset)
    {
        var sync = Options.Durability != DurabilityMode.None;
        var offset = baseOffset;
        foreach (var segment in staged.Segments)
        {
            segment.Finish(offset, sync);
            offset += segment.RecordCount;
        }
    }

    /// <summary>
    /// Step 2: the renames into the chain. Without <paramref name="writeManifest"/> the caller has already made
    /// them durable elsewhere (a transaction's commit record). A failure stops the partition until a reopen.
    /// </summary>
    internal Segment InstallStaged(StagedAppend staged, long baseOffset, long nowMs, bool writeManifest)
    {
        var sync = Options.Durability != DurabilityMode.None;
        staged.MarkAdopted();
        Segment active;
        try
        {
            active = Install(staged, baseOffset, baseOffset + staged.RecordCount, nowMs, sync, writeManifest);
        }
        catch (Exception exception)
        {
            Fail(exception);
            throw;
        }
        EnforceRetention(nowMs);
        return active;
    }

    /// <summary>The renames that put the staged segments into the chain from <paramref name="baseOffset"/>.</summary>
    internal static List<(string From, string To)> StagedRenames(StagedAppend staged, long baseOffset)
    {
        var renames = new List<(string From, string To)>();
        var offset = baseOffset;
        foreach (var segment in staged.Segments)
        {
            renames.AddRange(segment.Renames(offset));
            offset += segment.RecordCount;
        }
        return renames;
    }

    private Segment Install(StagedAppend staged, long baseOffset, long endOffset, long nowMs, bool sync,
        bool writeManifest)
    {
        var previous = ActiveSegment;
        var replacesPrevious = previous.SizeBytes == 0;
        previous.Seal(sync);
        if (writeManifest)
            AdoptionManifest.Write(Directory, StagedRenames(staged, baseOffset), sync);
        var adopted = new Segment[staged.Segments.Count];
        var offset = baseOffset;
        for (var i = 0; i < adopted.Length; i++)
        {
            adopted[i] = staged.Segments[i].Install(Directory, offset);
            offset += staged.Segments[i].RecordCount;
        }
        var active = NewActiveSegment(endOffset, nowMs);
        if (sync)
            FileSync.SyncDirectory(Directory);
        if (writeManifest)
            AdoptionManifest.Delete(Directory, sync: false);   // a stale manifest only repeats renames already done
        lock (_segmentsLock)
        {
            var kept = replacesPrevious ? _segments[..^1] : _segments;
            Volatile.Write(ref _segments, [.. kept, .. adopted, active]);
            WriteCheckpoint();
        }
        if (replacesPrevious)
            previous.Close();   // its files were replaced by the first staged segment's; readers move past it
        PostSealed(replacesPrevious ? null : previous, adopted);
        return active;
    }
}
