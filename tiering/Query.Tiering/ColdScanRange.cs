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
