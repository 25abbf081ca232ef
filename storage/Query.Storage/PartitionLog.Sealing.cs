using Query.Storage.Log;
using Query.Storage.Sealing;

namespace Query.Storage;

// The segment-sealed signal for the archival job: a bounded watch of seals from now on, and the enumeration of
// segments sealed before (including before a restart), so that nothing sealed is missed.
public sealed partial class PartitionLog
{
    private readonly SealedSegmentFeed _sealedFeed = new();

    /// <summary>
    /// Notices of the segments sealed from now on (by a roll or a staged append's adoption), each posted once the
    /// segment is durable and listed in the checkpoint. See <see cref="SealedSegmentWatch"/> for how to combine it
    /// with <see cref="GetSealedSegments"/>; dispose it when done.
    /// </summary>
    public SealedSegmentWatch WatchSealedSegments(int capacity = SealedSegmentWatch.DefaultCapacity)
    {
        ThrowIfDeleted();
        return _sealedFeed.Watch(capacity);
    }

    /// <summary>The sealed segments held now, oldest first (every segment but the active one; empty ones
    /// left out: there is nothing to archive in them).</summary>
    public IReadOnlyList<SealedSegment> GetSealedSegments()
    {
        ThrowIfDeleted();
        var segments = Segments;
        var sealedSegments = new List<SealedSegment>(segments.Length - 1);
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (segments[i].EndOffset > segments[i].BaseOffset)
                sealedSegments.Add(ToSealed(segments[i]));
        }
        return sealedSegments;
    }

    /// <summary>Called after sealed segments were listed in the checkpoint (roll, adoption).</summary>
    private void PostSealed(Segment? sealedSegment, ReadOnlySpan<Segment> more = default)
    {
        if (sealedSegment is not null && sealedSegment.EndOffset > sealedSegment.BaseOffset)
            _sealedFeed.Post(ToSealed(sealedSegment));
        foreach (var segment in more)
        {
            if (segment.EndOffset > segment.BaseOffset)
                _sealedFeed.Post(ToSealed(segment));
        }
    }

    private void CompleteSealedWatches(bool deleted) =>
        _sealedFeed.Complete(deleted ? new LogDeletedException(LogName) : null);

    private SealedSegment ToSealed(Segment segment) => new(LogName, Partition, segment.BaseOffset,
        segment.EndOffset, segment.MinTimestampMs, segment.MaxTimestampMs, segment.SizeBytes, segment.LogPath);
}
