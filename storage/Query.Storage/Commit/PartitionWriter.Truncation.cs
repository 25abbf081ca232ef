using Query.Storage.Log;

namespace Query.Storage.Commit;

// Truncation requests share the append queue, so a truncation runs after every append queued before it.
internal sealed partial class PartitionWriter
{
    public ValueTask<AppendResult> EnqueueTruncationAsync(long lastKeptOffset)
    {
        var request = new AppendRequest(null) { TruncateAfter = lastKeptOffset };
        var task = request.AsValueTask();
        Submit(request, mayLead: false);
        return task;
    }

    /// <summary>Runs a truncation on the loop; returns the active segment to go on appending to. A refused
    /// truncation fails only its request; any other failure propagates and fails the partition.</summary>
    private Segment Truncate(AppendRequest request, long lastKeptOffset, ref long nextOffset, long nowMs)
    {
        // Journal records of the bytes about to be cut must not outlive the cut (recovery would write them back);
        // a failure here fails the partition.
        _journal?.Checkpoint();
        Segment active;
        try
        {
            active = _partition.TruncateOnWriter(lastKeptOffset, nowMs);
        }
        catch (StorageException exception) when (!_partition.IsClosedForWrites(out _))
        {
            request.Fail(exception);    // refused before anything changed (below the start, under a floor)
            return _partition.ActiveSegment;
        }
        var previousEnd = nextOffset;
        nextOffset = _partition.EndOffset;
        _dirty = false;                 // the cut was synced
        request.Complete(new AppendResult(previousEnd, 0));
        return active;
    }
}
