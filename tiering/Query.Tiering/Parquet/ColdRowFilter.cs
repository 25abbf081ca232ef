using Parquet;
using Query.Storage.Reading;
using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>
/// The column predicates a cold read was given, bound to the flat leaves of one file's schema: row groups whose
/// statistics exclude one are skipped, and in a loaded row group rows that fail one are left out before they are
/// rebuilt. Rows kept raw in <c>rowvalue</c> (a shape the typed columns may not describe exactly) are always
/// kept, and a row group holding any of them is never skipped; predicates on nested, DECIMAL, BYTES or TIME
/// columns, or on columns the file lacks, are not used. The caller evaluates its full predicate anyway.
/// </summary>
internal sealed class ColdRowFilter
{
    private readonly ColdPredicate[] _predicates;
    private readonly LeafColumn _rowValue;
    private bool[] _keep = [];

    private ColdRowFilter(ColdPredicate[] predicates, LeafColumn rowValue)
    {
        _predicates = predicates;
        _rowValue = rowValue;
    }

    /// <summary>The filter over the predicates that can be used; null when none can.</summary>
    public static ColdRowFilter? Bind(ColdFileSchema schema, IColumnLayout layout,
        IReadOnlyList<ColumnPredicate>? filter, Func<int, bool> nodeIsRead)
    {
        if (filter is null || filter.Count == 0)
            return null;
        var bound = new List<ColdPredicate>(filter.Count);
        foreach (var predicate in filter)
        {
            if (predicate.Column >= schema.UserColumnCount)
                continue;
            var node = ColdFileSchema.UserColumnNode(predicate.Column);
            if (!nodeIsRead(node) || schema.Columns[node] is not LeafNode { Column.IsRepeated: false } leaf)
                continue;
            if (Create(leaf.Column, layout.Columns[predicate.Column].Type.Kind, predicate) is { } cold)
                bound.Add(cold);
        }
        var rowValue = ((LeafNode)schema.Columns[schema.RowValueColumn]).Column;
        return bound.Count == 0 ? null : new ColdRowFilter([.. bound], rowValue);
    }

    private static ColdPredicate? Create(LeafColumn leaf, ColdTypeKind kind, ColumnPredicate predicate)
    {
        var op = predicate.Comparison;
        return (kind, predicate.Value, leaf) switch
        {
            (ColdTypeKind.Int32, long c, LeafColumn<int> l) => new NumericPredicate<int, long, Int32AsInt64>(l, op, c),
            (ColdTypeKind.Int32, double c, LeafColumn<int> l) =>
                new NumericPredicate<int, double, Int32AsDouble>(l, op, c),
            (ColdTypeKind.Int64, long c, LeafColumn<long> l) =>
                new NumericPredicate<long, long, Int64AsInt64>(l, op, c),
            (ColdTypeKind.Int64, double c, LeafColumn<long> l) =>
                new NumericPredicate<long, double, Int64AsDouble>(l, op, c),
            (ColdTypeKind.Double, double c, LeafColumn<double> l) =>
                new NumericPredicate<double, double, DoubleAsDouble>(l, op, c),
            (ColdTypeKind.Timestamp, long c, LeafColumn<DateTime> l) =>
                new NumericPredicate<DateTime, long, TimestampAsEpochMs>(l, op, c),
            (ColdTypeKind.Date, long c, LeafColumn<DateOnly> l) =>
                new NumericPredicate<DateOnly, long, DateAsEpochDays>(l, op, c),
            (ColdTypeKind.String, string c, LeafColumn<ReadOnlyMemory<char>> l) => new StringPredicate(l, op, c),
            (ColdTypeKind.Boolean, bool c, LeafColumn<bool> l) => new BooleanPredicate(l, op, c),
            _ => null,
        };
    }

    /// <summary>
    /// False when the row group's statistics show that none of its rows passes every predicate. A row group with
    /// rows kept raw, or without a null count for <c>rowvalue</c>, may always match.
    /// </summary>
    public bool MayMatch(ParquetRowGroupReader rowGroup)
    {
        var rows = rowGroup.RowCount;
        var raw = rowGroup.GetStatistics(_rowValue.Field);
        if (raw?.NullCount is not long rawNulls || rawNulls < rows)
            return true;
        foreach (var predicate in _predicates)
        {
            if (!predicate.MayMatch(rowGroup.GetStatistics(predicate.Leaf.Field), rows))
                return false;
        }
        return true;
    }

    /// <summary>Which rows of the loaded row group (<paramref name="rows"/> of them) to keep.</summary>
    public ReadOnlySpan<bool> Select(int rows)
    {
        if (_keep.Length < rows)
            _keep = new bool[rows];
        var keep = _keep.AsSpan(0, rows);
        keep.Fill(true);
        foreach (var predicate in _predicates)
            predicate.Filter(keep);
        var raw = _rowValue.LoadedDefinitions;
        if (!raw[..rows].Contains(_rowValue.MaxDefinition))
            return keep;            // no row kept raw: the usual case, one vectorised search
        for (var row = 0; row < rows; row++)
        {
            if (raw[row] == _rowValue.MaxDefinition)
                keep[row] = true;
        }
        return keep;
    }
}
