namespace Query.Storage.Sealing;

/// <summary>
/// A sealed segment of one partition: offsets [BaseOffset, EndOffset), never appended to again, durable and
/// listed in the partition checkpoint. Record timestamps lie within [MinTimestampMs, MaxTimestampMs].
/// What the archival job copies to the cold tier before it moves its retention floor past <see cref="EndOffset"/>.
/// </summary>
public sealed record SealedSegment(string LogName, int Partition, long BaseOffset, long EndOffset,
    long MinTimestampMs, long MaxTimestampMs, long SizeBytes, string FilePath)
{
    /// <summary>Offset of the segment's last record.</summary>
    public long LastOffset => EndOffset - 1;

    public long RecordCount => EndOffset - BaseOffset;
}
