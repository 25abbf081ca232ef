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
}
