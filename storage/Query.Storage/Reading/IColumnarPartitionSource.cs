namespace Query.Storage.Reading;

/// <summary>
/// An optional capability of a partition source whose older records are stored by column (the cold tier):
/// it hands a range's rows over as decoded <see cref="ColumnBatch"/>es instead of records, so that a scan need
/// not rebuild each row. Only part of a range may be columnar (the hot log's records, rows a column layout
/// cannot describe): the reader then stops and says which offsets to read as records before it can go on.
/// </summary>
public interface IColumnarPartitionSource : IFilteringPartitionSource
{
    /// <summary>
    /// A reader of [<paramref name="startOffset"/>, <paramref name="endOffsetExclusive"/>) as column batches, for
    /// as long as the rows there are columnar: <paramref name="valueColumns"/> are read (only scalar columns may be
    /// asked for), row groups are pruned and rows left out by <paramref name="filter"/> and the time range as in
    /// <see cref="IFilteringPartitionSource.OpenReader"/>. The records' times are read only when
    /// <paramref name="timestamps"/> is set or the time range is bounded. <paramref name="admissionColumn"/> (-1:
    /// none) is a column of <paramref name="valueColumns"/> the consumer reads only to admit rows (a row whose value
    /// is NULL or negative is dropped), not compared by <paramref name="filter"/>: where a part's statistics show
    /// that every row has a non-negative value, the reader need not decode it, and then leaves its vector null and
    /// sets <see cref="ColumnBatch.EveryRowAdmitted"/>.
    /// </summary>
    IColumnBatchReader OpenColumnReader(long startOffset, long endOffsetExclusive, long minTimestampMs,
        long maxTimestampMs, IReadOnlySet<int> valueColumns, IReadOnlyList<ColumnPredicate> filter, bool timestamps,
        int admissionColumn);

    /// <summary>Whether column batches can hold a column of <paramref name="column"/>'s type (a scalar).</summary>
    bool CanReadAsColumns(int column);
}

/// <summary>
/// Column batches of one range, in offset order. When <see cref="TryRead"/> returns false the reader is done:
/// offsets from <see cref="NextOffset"/> to <see cref="ResumeOffset"/> must be read as records (through
/// <see cref="IPartitionSource.OpenReader"/>), and a new column reader may take over from
/// <see cref="ResumeOffset"/> if it is before the range's end. Not thread-safe; dispose it.
/// </summary>
public interface IColumnBatchReader : IDisposable
{
    /// <summary>The next batch (valid until the next call), with at least one selected row; false when done.
    /// </summary>
    bool TryRead(out ColumnBatch batch);

    /// <summary>The first offset not yet returned.</summary>
    long NextOffset { get; }

    /// <summary>After the end: where column batches may start again (the range's end when they cannot).</summary>
    long ResumeOffset { get; }

    /// <summary>Offsets of the range that expired from the store while this reader was open.</summary>
    long OffsetsSkippedByRetention { get; }
}
