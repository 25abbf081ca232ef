namespace Query.Storage.Reading;

/// <summary>
/// An optional capability of a columnar partition source (the cold tier's Parquet files): given a conjunction of
/// <see cref="ColumnPredicate"/>s it skips parts whose statistics exclude a predicate and may leave out records
/// whose value fails one. Records it returns are not guaranteed to pass (rows it cannot judge are returned whole),
/// so the caller still evaluates its full predicate; only a caller whose predicate implies every one of
/// <c>filter</c> may ask for it (the top-level AND terms of a WHERE clause that drops what it refuses).
/// </summary>
public interface IFilteringPartitionSource : IProjectingPartitionSource
{
    /// <summary><see cref="IProjectingPartitionSource.OpenReader"/> that may leave out records failing
    /// <paramref name="filter"/> (all of its predicates must hold).</summary>
    IRecordReader OpenReader(long startOffset, long endOffsetExclusive, long minTimestampMs, long maxTimestampMs,
        IReadOnlySet<int>? valueColumns, IReadOnlyList<ColumnPredicate> filter);

    /// <summary>
    /// <see cref="IProjectingPartitionSource.DescribeParts"/>, with <see cref="SourceExtent.ExcludedByFilter"/> set
    /// on the parts whose statistics show that no record of theirs satisfies <paramref name="filter"/>.
    /// </summary>
    IReadOnlyList<SourceExtent> DescribeParts(SourceExtent extent, IReadOnlyList<ColumnPredicate> filter);
}
