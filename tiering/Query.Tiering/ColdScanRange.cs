using Query.Storage.Reading;

namespace Query.Tiering;

/// <summary>
/// What a cold read asks for: offsets [StartOffset, EndOffsetExclusive), a ROWTIME range used to skip files and
/// row groups (rows inside a row group that is read are not filtered, as in the hot log), and the stream
/// columns to read (null: all). <see cref="Filter"/>: column predicates that all must hold, by which row groups
/// are skipped and rows may be left out (see <see cref="IFilteringPartitionSource"/>).
/// </summary>
public sealed record ColdScanRange(long StartOffset, long EndOffsetExclusive = long.MaxValue,
    long MinTimestampMs = long.MinValue, long MaxTimestampMs = long.MaxValue, IReadOnlySet<int>? Columns = null)
{
    public IReadOnlyList<ColumnPredicate>? Filter { get; init; }

    /// <summary>Read for column batches: the key and headers are not read, and the records' times only when
    /// <see cref="Timestamps"/> is set or the time range is bounded.</summary>
    public bool Columnar { get; init; }

    /// <summary>With <see cref="Columnar"/>: whether the records' times are wanted.</summary>
    public bool Timestamps { get; init; }

    /// <summary>With <see cref="Columnar"/>: a column read only to admit rows (-1: none), not decoded in a row group
    /// whose statistics show a non-negative value in every row (see
    /// <see cref="IColumnarPartitionSource.OpenColumnReader"/>).</summary>
    public int AdmissionColumn { get; init; } = -1;

    /// <summary>Whether <c>rowtime</c> must be read: for records, for a bounded time range, or when asked.</summary>
    public bool ReadsRowTime => !Columnar || Timestamps || MinTimestampMs != long.MinValue
        || MaxTimestampMs != long.MaxValue;

    public bool IsProjected(int column) => Columns is null || Columns.Contains(column);

    /// <summary>Whether the column is read: projected, or compared by the filter.</summary>
    public bool IsRead(int column)
    {
        if (IsProjected(column))
            return true;
        if (Filter is null)
            return false;
        foreach (var predicate in Filter)
        {
            if (predicate.Column == column)
                return true;
        }
        return false;
    }
}
