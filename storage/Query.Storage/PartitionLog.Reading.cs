using Query.Storage.Log;

namespace Query.Storage;

// Reads through the seam (Reading/HotPartitionSource): retention is the source's business, not the caller's.
public sealed partial class PartitionLog
{
    /// <summary>
    /// Like <see cref="OpenReader"/>, but a start below <see cref="StartOffset"/>, or retention overtaking the
    /// reader later, moves the reader on to the first record still held instead of throwing
    /// <see cref="OffsetOutOfRangeException"/>; the offsets passed over are counted in
    /// <see cref="ReadStatistics.OffsetsSkippedByRetention"/>.
    /// </summary>
    internal LogReader OpenRetainedReader(long startOffset, long endOffsetExclusive, long minTimestampMs,
        long maxTimestampMs)
    {
        ThrowIfDeleted();
        var reader = new LogReader(this, startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs,
            skipRemovedOffsets: true);
        reader.SkipRemovedOffsets(StartOffset);
        return reader;
    }

    /// <summary>
    /// Offset ranges [Start, End), in order and disjoint, below <paramref name="endOffsetExclusive"/> that hold
    /// every record whose timestamp lies in [<paramref name="minTimestampMs"/>, <paramref name="maxTimestampMs"/>]
    /// (and others beside them: whole index blocks), found from the segments' and the index blocks' timestamp
    /// bounds without reading a record, exact whatever the order of timestamps. Take the end offset before
    /// calling, so the bounds seen cover every record below it. While a truncation runs, or when it ran meanwhile,
    /// the answer is the whole of [start, end).
    /// </summary>
    internal List<(long Start, long End)> FindOffsetRangesForTime(long minTimestampMs, long maxTimestampMs,
        long endOffsetExclusive)
    {
        ThrowIfDeleted();
        var sequence = TruncationSequence;
        var ranges = new List<(long Start, long End)>();
        foreach (var segment in Segments)
        {
            var baseOffset = segment.BaseOffset;
            if (baseOffset >= endOffsetExclusive)
                break;
            var isSealed = segment.IsSealed;            // read before the size: see Segment.IsSealed
            var sizeBytes = segment.SizeBytes;
            var end = Math.Min(segment.EndOffset, endOffsetExclusive);
            if (end <= baseOffset || segment.MaxTimestampMs < minTimestampMs
                || segment.MinTimestampMs > maxTimestampMs)
                continue;
            if (!segment.TryAcquire())
            {
                AddRange(ranges, baseOffset, end);      // deleted meanwhile: the reader finds what is left
                continue;
            }
            try
            {
                if (isSealed && !segment.Index.HasBlockBounds)
                    BlockBoundsScan.Fill(segment, sizeBytes);
                segment.Index.AddBlockRanges(baseOffset, end, minTimestampMs, maxTimestampMs, isSealed, ranges);
            }
            finally
            {
                segment.Release();
            }
        }
        if ((sequence & 1) != 0 || TruncationSequence != sequence)
            return [(Math.Min(StartOffset, endOffsetExclusive), endOffsetExclusive)];
        return ranges;
    }

    private static void AddRange(List<(long Start, long End)> ranges, long start, long end)
    {
        if (ranges.Count > 0 && ranges[^1].End == start)
            ranges[^1] = (ranges[^1].Start, end);
        else
            ranges.Add((start, end));
    }
}
