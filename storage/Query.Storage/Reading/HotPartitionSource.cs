namespace Query.Storage.Reading;

/// <summary>
/// The hot segment log of one partition as an <see cref="IPartitionSource"/>. The partition's writer publishes
/// only data that is committed, so the last stable offset is the published end offset.
/// </summary>
public sealed class HotPartitionSource : IPartitionSource
{
    /// <summary>What <see cref="SourceExtent.Kind"/> says for a segment of the hot log.</summary>
    public const string SegmentKind = "segment";

    private readonly PartitionLog _log;

    public HotPartitionSource(PartitionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
    }

    public string LogName => _log.LogName;

    public int Partition => _log.Partition;

    public long StartOffset => _log.StartOffset;

    public long EndOffset => _log.EndOffset;

    public long LastStableOffset => _log.EndOffset;

    /// <summary>
    /// Counts the truncations of this partition (<see cref="PartitionLog.TruncateAfterAsync"/>), odd while one runs:
    /// records read below <see cref="LastStableOffset"/> stay as they are while it does not change, so a reader may
    /// keep what it decoded of them.
    /// </summary>
    public int TruncationSequence => _log.TruncationSequence;

    public long FindOffsetForTimestamp(long timestampMs) => _log.FindOffsetForTimestamp(timestampMs);

    /// <summary>
    /// Offset ranges [Start, End) below <paramref name="endOffsetExclusive"/> (a <see cref="LastStableOffset"/> read
    /// before this call) that hold every record with a timestamp in [<paramref name="minTimestampMs"/>,
    /// <paramref name="maxTimestampMs"/>], in order and disjoint, from the time index alone (no record is read):
    /// whole index blocks, so a range's reads can stop where its last block ends.
    /// </summary>
    public IReadOnlyList<(long Start, long End)> FindOffsetRangesForTime(long minTimestampMs, long maxTimestampMs,
        long endOffsetExclusive) => _log.FindOffsetRangesForTime(minTimestampMs, maxTimestampMs, endOffsetExclusive);

    public IRecordReader OpenReader(long startOffset, long endOffsetExclusive = long.MaxValue,
        long minTimestampMs = long.MinValue, long maxTimestampMs = long.MaxValue) =>
        _log.OpenRetainedReader(startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs);

    public ValueTask WaitForDataAsync(long offset, CancellationToken cancellationToken) =>
        _log.WaitForDataAsync(offset, cancellationToken);

    public IReadOnlyList<SourceExtent> DescribeExtents(long startOffset = 0, long endOffsetExclusive = long.MaxValue)
    {
        _log.ThrowIfDeleted();
        var extents = new List<SourceExtent>();
        foreach (var segment in _log.Segments)
        {
            var baseOffset = segment.BaseOffset;
            var endOffset = segment.EndOffset;
            var overlaps = baseOffset < endOffsetExclusive
                && (endOffset > startOffset || (endOffset == baseOffset && baseOffset >= startOffset));
            if (overlaps)
                extents.Add(new SourceExtent(SegmentKind, Path.GetFileName(segment.LogPath), baseOffset, endOffset,
                    segment.MinTimestampMs, segment.MaxTimestampMs, segment.SizeBytes));
        }
        return extents;
    }

    public override string ToString() => $"{LogName}/{Partition} (hot log)";
}
