namespace Query.Storage.Reading;

/// <summary>
/// One unit of storage behind a partition source, as EXPLAIN and DESCRIBE show it: <paramref name="Kind"/> says
/// what it is ("segment" for a hot log segment), <paramref name="Name"/> names it (a file name). Offsets
/// [BaseOffset, EndOffset); record timestamps within [MinTimestampMs, MaxTimestampMs] (long.MaxValue /
/// long.MinValue when empty).
/// </summary>
public sealed record SourceExtent(string Kind, string Name, long BaseOffset, long EndOffset, long MinTimestampMs,
    long MaxTimestampMs, long SizeBytes)
{
    /// <summary>True when some record of this extent may lie in [minTimestampMs, maxTimestampMs].</summary>
    public bool OverlapsTime(long minTimestampMs, long maxTimestampMs) =>
        MaxTimestampMs >= minTimestampMs && MinTimestampMs <= maxTimestampMs;

    /// <summary>For a part described against a filter (<see cref="IFilteringPartitionSource.DescribeParts"/>):
    /// its statistics show that none of its records satisfies the filter, so readers skip it.</summary>
    public bool ExcludedByFilter { get; init; }
}
