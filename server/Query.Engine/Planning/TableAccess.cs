using Query.Engine.Binding;
using Query.Engine.Execution;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Planning;

/// <summary>
/// How a pull query reads a table: by key lookups when the WHERE pins the PRIMARY KEY to constants (in a conjunct:
/// <c>id = c</c>, <c>id IN (c, ...)</c>, or an OR of such; with several key columns, every one of them), else a scan
/// of the whole state (ranges and any other predicate are then the filter above). A push query on a table reads its
/// changelog (null here: a log scan).
/// </summary>
public static class TableAccess
{
    /// <param name="source">The stream or table of FROM.</param>
    /// <param name="isPush">EMIT CHANGES.</param>
    /// <param name="where">The WHERE predicate, if any.</param>
    /// <param name="whereIsExact">Set when the lookup's keys are all the WHERE says: no filter is needed above.
    /// </param>
    public static LogicalPlan? Leaf(StreamRuntime source, bool isPush, BoundExpr? where, out bool whereIsExact)
    {
        whereIsExact = false;
        if (!source.Definition.IsTable || isPush)
            return null;
        var keyColumns = KeyColumns(source);
        if (!AllCanonical(keyColumns))
            return new LogicalTableScan(source);
        // A windowed table holds a row per key and window: a lookup reads the key's windows (within the bounds the
        // WHERE puts on WINDOWSTART / WINDOWEND), and the filter above still decides.
        if (source.Definition.Window is not null)
        {
            return where is not null && CoveringTuples(where, keyColumns) is { } keys
                ? new LogicalKeyLookup(source, new([.. keys])) { WindowBounds = WindowBounds(source, where) }
                : new LogicalTableScan(source);
        }
        var tuples = where is null ? null : ExactTuples(where, keyColumns);
        whereIsExact = tuples is not null;
        tuples ??= where is null ? null : CoveringTuples(where, keyColumns);
        return tuples is null ? new LogicalTableScan(source) : new LogicalKeyLookup(source, new([.. tuples]));
    }

    /// <summary>The conjuncts of <paramref name="where"/> comparing WINDOWSTART or WINDOWEND with a constant.
    /// </summary>
    private static EquatableArray<WindowBound> WindowBounds(StreamRuntime source, BoundExpr where)
    {
        var (start, end) = (source.Definition.WindowStartColumn, source.Definition.WindowEndColumn);
        var conjuncts = new List<BoundExpr>();
        Conjuncts(where, conjuncts);
        var bounds = new List<WindowBound>();
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is not BoundBinary { IsComparison: true, Op: not BinaryOp.NotEqual } comparison)
                continue;
            var (column, value, op) = comparison.Left is BoundColumn left
                ? (left, comparison.Right, comparison.Op)
                : comparison.Right is BoundColumn right ? (right, comparison.Left, Mirror(comparison.Op))
                : (null, comparison.Right, comparison.Op);
            if (column is null || value.Type.Kind != Types.SqlTypeKind.BigInt
                || !(value is BoundParameter || ConstantEvaluator.IsConstant(value)))
                continue;
            if (column.Ordinal == start || column.Ordinal == end)
                bounds.Add(new WindowBound(column.Ordinal == end, op, value));
        }
        return new([.. bounds]);
    }

    private static BinaryOp Mirror(BinaryOp op) => op switch
    {
        BinaryOp.Less => BinaryOp.Greater,
        BinaryOp.LessOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOp.Greater => BinaryOp.Less,
        BinaryOp.GreaterOrEqual => BinaryOp.LessOrEqual,
        _ => op,
    };

    /// <summary>At most this many keys are looked up for one query (a product of IN lists over several key columns
    /// can be large); above it the state is scanned.</summary>
    private const int MaxLookupKeys = 4096;

    private static BoundColumn[] KeyColumns(StreamRuntime source)
    {
        var keys = source.Definition.KeyColumns;
        var columns = new BoundColumn[keys.Count];
        for (var i = 0; i < columns.Length; i++)
            columns[i] = new BoundColumn(keys[i], source.Names[keys[i]], source.Types[keys[i]]);
        return columns;
    }

    /// <summary>Whether every key column has a canonical encoding (see <see cref="HasCanonicalEncoding"/>).</summary>
    public static bool AllCanonical(StreamRuntime source) => AllCanonical(KeyColumns(source));

    private static bool AllCanonical(BoundColumn[] keyColumns)
    {
        foreach (var column in keyColumns)
        {
            if (!HasCanonicalEncoding(column.Type))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Key types whose encoding is one byte string per SQL value, so equal bytes are equal keys and the reverse.
    /// DOUBLE (0.0 and -0.0) and DECIMAL (scales) are not: a table keyed by them is scanned, and the filter decides.
    /// </summary>
    public static bool HasCanonicalEncoding(Types.SqlType type) => type.Kind is Types.SqlTypeKind.Boolean
        or Types.SqlTypeKind.Int or Types.SqlTypeKind.BigInt or Types.SqlTypeKind.String or Types.SqlTypeKind.Date
        or Types.SqlTypeKind.Time or Types.SqlTypeKind.Timestamp;

    /// <summary>
    /// The key tuples (one constant per key column, in key order, flattened) that <paramref name="predicate"/> is
    /// exactly "the key is one of": key = c, key IN (...), for several key columns an AND that pins each of them
    /// once (a = 1 AND b = 'x'), and an OR of those; null for any other predicate (DELETE accepts only these).
    /// </summary>
    public static List<BoundExpr>? ExactKeys(StreamRuntime source, BoundExpr predicate) =>
        ExactTuples(predicate, KeyColumns(source));

    private static List<BoundExpr>? ExactTuples(BoundExpr predicate, BoundColumn[] keyColumns)
    {
        Limits.DepthGuard.Enter();
        if (predicate is BoundBinary { Op: BinaryOp.Or } disjunction)
        {
            var left = ExactTuples(disjunction.Left, keyColumns);
            var right = left is null ? null : ExactTuples(disjunction.Right, keyColumns);
            if (right is null)
                return null;
            left!.AddRange(right);
            return left.Count / keyColumns.Length <= MaxLookupKeys ? left : null;
        }
        var conjuncts = new List<BoundExpr>();
        Conjuncts(predicate, conjuncts);
        var values = new List<BoundExpr>?[keyColumns.Length];
        foreach (var conjunct in conjuncts)
        {
            var pinned = false;
            for (var k = 0; k < keyColumns.Length && !pinned; k++)
            {
                if (values[k] is null && KeysOf(conjunct, keyColumns[k], exact: true) is { } keys)
                {
                    values[k] = keys;
                    pinned = true;
                }
            }
            if (!pinned)
                return null;
        }
        return Product(values);
    }

    /// <summary>Key tuples that include every key the predicate can hold for (a lookup with a filter above it):
    /// each key column's constants from any conjunct, combined; null when a key column is free.</summary>
    private static List<BoundExpr>? CoveringTuples(BoundExpr predicate, BoundColumn[] keyColumns)
    {
        var values = new List<BoundExpr>?[keyColumns.Length];
        for (var k = 0; k < keyColumns.Length; k++)
            values[k] = KeysOf(predicate, keyColumns[k]);
        return Product(values);
    }

    private static void Conjuncts(BoundExpr predicate, List<BoundExpr> into)
    {
        Limits.DepthGuard.Enter();
        if (predicate is BoundBinary { Op: BinaryOp.And } conjunction)
        {
            Conjuncts(conjunction.Left, into);
            Conjuncts(conjunction.Right, into);
            return;
        }
        into.Add(predicate);
    }

    /// <summary>Every combination of the key columns' constants, flattened in key order; null when a column has
    /// none or there are more than <see cref="MaxLookupKeys"/>.</summary>
    private static List<BoundExpr>? Product(List<BoundExpr>?[] values)
    {
        long count = 1;
        foreach (var list in values)
        {
            if (list is null)
                return null;
            count *= list.Count;
            if (count > MaxLookupKeys)
                return null;
        }
        var tuples = new List<BoundExpr>((int)count * values.Length);
        var tuple = new BoundExpr[values.Length];
        for (var n = 0; n < count; n++)
        {
            var rest = n;
            for (var k = values.Length - 1; k >= 0; k--)
            {
                tuple[k] = values[k]![rest % values[k]!.Count];
                rest /= values[k]!.Count;
            }
            tuples.AddRange(tuple);
        }
        return tuples;
    }

    /// <summary>The constants the key must equal for <paramref name="predicate"/> to hold; null when any key
    /// may. With <paramref name="exact"/>, null also when the predicate says more than that.</summary>
    private static List<BoundExpr>? KeysOf(BoundExpr predicate, BoundColumn keyColumn, bool exact = false)
    {
        Limits.DepthGuard.Enter();
        switch (predicate)
        {
            case BoundBinary { Op: BinaryOp.And } conjunction when !exact:
                return KeysOf(conjunction.Left, keyColumn) ?? KeysOf(conjunction.Right, keyColumn);
            case BoundBinary { Op: BinaryOp.Or } disjunction:
                var left = KeysOf(disjunction.Left, keyColumn, exact);
                var right = left is null ? null : KeysOf(disjunction.Right, keyColumn, exact);
                if (right is null)
                    return null;
                left!.AddRange(right);
                return left;
            case BoundBinary { Op: BinaryOp.Equal or BinaryOp.IsNotDistinctFrom } equal:
                return IsKey(equal.Left, keyColumn) && IsConstant(equal.Right, keyColumn) ? [equal.Right]
                    : IsKey(equal.Right, keyColumn) && IsConstant(equal.Left, keyColumn) ? [equal.Left] : null;
            case BoundInList { Negated: false } inList when IsKey(inList.Value, keyColumn):
                var keys = new List<BoundExpr>(inList.Items.Count);
                foreach (var item in inList.Items)
                {
                    if (!IsConstant(item, keyColumn))
                        return null;
                    keys.Add(item);
                }
                return keys;
            default:
                return null;
        }
    }

    private static bool IsKey(BoundExpr expression, BoundColumn keyColumn) =>
        expression is BoundColumn column && column.Ordinal == keyColumn.Ordinal;

    // Of the key's own type: a comparison in another type (the key cast up) compares differently than the bytes. A
    // parameter counts: a prepared lookup is planned once and its keys are taken from each execution's values.
    private static bool IsConstant(BoundExpr expression, BoundColumn keyColumn) =>
        expression.Type == keyColumn.Type && (expression is BoundParameter || ConstantEvaluator.IsConstant(expression));
}
