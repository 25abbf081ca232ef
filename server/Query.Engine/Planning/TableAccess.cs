using Query.Engine.Binding;
using Query.Engine.Execution;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Planning;

/// <summary>
/// How a pull query reads a table: by key lookups when the WHERE pins the PRIMARY KEY to constants (in a conjunct:
/// <c>id = c</c>, <c>id IN (c, ...)</c>, or an OR of such), else a scan of the whole state (ranges and any other
/// predicate are then the filter above). A push query on a table reads its changelog (null here: a log scan).
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
        var key = source.Definition.KeyColumn;
        // A windowed table holds a row per key and window: it is scanned, and the filter picks keys and windows.
        if (!HasCanonicalEncoding(source.Types[key]) || source.Definition.Window is not null)
            return new LogicalTableScan(source);
        var column = new BoundColumn(key, source.Names[key], source.Types[key]);
        var keys = where is null ? null : KeysOf(where, column, exact: true);
        whereIsExact = keys is not null;
        keys ??= where is null ? null : KeysOf(where, column);
        return keys is null ? new LogicalTableScan(source) : new LogicalKeyLookup(source, new([.. keys]));
    }

    /// <summary>
    /// Key types whose encoding is one byte string per SQL value, so equal bytes are equal keys and the reverse.
    /// DOUBLE (0.0 and -0.0) and DECIMAL (scales) are not: a table keyed by them is scanned, and the filter decides.
    /// </summary>
    public static bool HasCanonicalEncoding(Types.SqlType type) => type.Kind is Types.SqlTypeKind.Boolean
        or Types.SqlTypeKind.Int or Types.SqlTypeKind.BigInt or Types.SqlTypeKind.String or Types.SqlTypeKind.Date
        or Types.SqlTypeKind.Time or Types.SqlTypeKind.Timestamp;

    /// <summary>
    /// The constants of the key's type that <paramref name="predicate"/> is exactly "the key is one of" (key = c,
    /// key IN (...), an OR of those); null for any other predicate (DELETE accepts only these).
    /// </summary>
    public static List<BoundExpr>? ExactKeys(StreamRuntime source, BoundExpr predicate)
    {
        var key = source.Definition.KeyColumn;
        return KeysOf(predicate, new BoundColumn(key, source.Names[key], source.Types[key]), exact: true);
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
