namespace Query.Storage.Reading;

/// <summary>
/// An optional capability of a partition source that stores the columns of record values apart (the cold tier's
/// Parquet files): it can read only some of them. Columns are numbered as the stream's layout numbers them;
/// storage does not know what they are. A reader opened with <c>valueColumns</c> returns records whose other
/// columns are NULL (or whole, where the source cannot split them), so only a caller that reads nothing else
/// may ask for it. Sources without the capability are read whole.
/// </summary>
public interface IProjectingPartitionSource : IPartitionSource
{
    /// <summary><see cref="IPartitionSource.OpenReader"/>, reading only <paramref name="valueColumns"/> (null: all).
    /// </summary>
    IRecordReader OpenReader(long startOffset, long endOffsetExclusive, long minTimestampMs, long maxTimestampMs,
        IReadOnlySet<int>? valueColumns);

    /// <summary>
    /// For EXPLAIN: the parts a reader can skip inside <paramref name="extent"/> (one of
    /// <see cref="IPartitionSource.DescribeExtents"/>), with their offset and time ranges as the source's own
    /// statistics say; empty for an extent that has none (a hot segment). Reads metadata only.
    /// </summary>
    IReadOnlyList<SourceExtent> DescribeParts(SourceExtent extent);
}
