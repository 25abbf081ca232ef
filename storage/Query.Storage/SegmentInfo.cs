namespace Query.Storage;

/// <summary>
/// One segment of a partition: offsets [BaseOffset, EndOffset), record timestamps within
/// [MinTimestampMs, MaxTimestampMs] (long.MaxValue / long.MinValue when empty).
/// </summary>
public sealed record SegmentInfo(long BaseOffset, long EndOffset, long MinTimestampMs, long MaxTimestampMs,
    long SizeBytes, string FilePath);
