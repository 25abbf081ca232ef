using Query.Engine.Binding;

namespace Query.Engine.Planning;

/// <summary>
/// Reduces a WHERE predicate to the offsets and timestamps one partition can match. Predicates on ROWPARTITION
/// are decided per partition (so <c>(ROWPARTITION = 0 AND ROWOFFSET &gt; 5) OR (ROWPARTITION = 1 AND ROWOFFSET &gt;
/// 9)</c>
/// gives each partition its own start); comparisons of ROWOFFSET / ROWTIME with constants become intervals;
/// AND / OR / NOT combine them (NOT is pushed inward by De Morgan). Anything else allows everything.
/// </summary>
public static class PushdownAnalyzer
{
    public static ScanRegion Analyze(BoundExpr? predicate, int partition) =>
        predicate is null ? ScanRegion.Everything : Visit(predicate, partition, negated: false);

    private static ScanRegion Visit(BoundExpr expression, int partition, bool negated)
    {
        Limits.DepthGuard.Enter();
        switch (expression)
        {
            case BoundUnary { Op: UnaryOp.Not } not:
                return Visit(not.Operand, partition, !negated);
            case BoundBinary { Op: BinaryOp.And or BinaryOp.Or } logical:
                var left = Visit(logical.Left, partition, negated);
                var right = Visit(logical.Right, partition, negated);
                return (logical.Op == BinaryOp.And) != negated ? left.And(right) : left.Or(right);
            case BoundLiteral literal:
                return literal.Value is bool b && b != negated ? ScanRegion.Everything : ScanRegion.Nothing;
            case BoundBinary { IsComparison: true } comparison:
                return Comparison(comparison, partition, negated);
            case BoundInList { Negated: false } inList when !negated && inList.Value is BoundPseudoColumn pseudo:
                return InList(pseudo, inList, partition);
            case BoundIsNull { Operand: BoundPseudoColumn } isNull:
                return isNull.Negated != negated ? ScanRegion.Everything : ScanRegion.Nothing;
            default:
                return ScanRegion.Everything;
        }
    }

    private static ScanRegion Comparison(BoundBinary comparison, int partition, bool negated)
    {
        var op = comparison.Op;
        BoundPseudoColumn pseudo;
        BoundLiteral literal;
        if (comparison.Left is BoundPseudoColumn l && comparison.Right is BoundLiteral r)
            (pseudo, literal) = (l, r);
        else if (comparison.Right is BoundPseudoColumn rp && comparison.Left is BoundLiteral lp)
            (pseudo, literal, op) = (rp, lp, Flip(op));
        else
            return ScanRegion.Everything;
        if (literal.Value is null)
            return ScanRegion.Nothing;
        if (literal.Value is not (int or long))
            return ScanRegion.Everything;
        var value = Convert.ToInt64(literal.Value, System.Globalization.CultureInfo.InvariantCulture);
        if (negated)
            op = Negate(op);
        var set = Interval(op, value);
        return pseudo.Column switch
        {
            PseudoColumn.RowPartition => Contains(set, partition) ? ScanRegion.Everything : ScanRegion.Nothing,
            PseudoColumn.RowOffset => new ScanRegion(set, IntervalSet.All),
            _ => new ScanRegion(IntervalSet.All, set),
        };
    }

    private static ScanRegion InList(BoundPseudoColumn pseudo, BoundInList inList, int partition)
    {
        var set = IntervalSet.None;
        foreach (var item in inList.Items)
        {
            if (item is not BoundLiteral { Value: int or long } literal)
            {
                if (item is BoundLiteral { Value: null })
                    continue;
                return ScanRegion.Everything;
            }
            set = set.Union(IntervalSet.Point(Convert.ToInt64(literal.Value,
                System.Globalization.CultureInfo.InvariantCulture)));
        }
        return pseudo.Column switch
        {
            PseudoColumn.RowPartition => Contains(set, partition) ? ScanRegion.Everything : ScanRegion.Nothing,
            PseudoColumn.RowOffset => set.IsEmpty ? ScanRegion.Nothing : new ScanRegion(set, IntervalSet.All),
            _ => set.IsEmpty ? ScanRegion.Nothing : new ScanRegion(IntervalSet.All, set),
        };
    }

    private static bool Contains(IntervalSet set, long value) => !set.Intersect(IntervalSet.Point(value)).IsEmpty;

    private static IntervalSet Interval(BinaryOp op, long value) => op switch
    {
        BinaryOp.Equal or BinaryOp.IsNotDistinctFrom => IntervalSet.Point(value),
        BinaryOp.Less => value == long.MinValue ? IntervalSet.None : IntervalSet.AtMost(value - 1),
        BinaryOp.LessOrEqual => IntervalSet.AtMost(value),
        BinaryOp.Greater => value == long.MaxValue ? IntervalSet.None : IntervalSet.AtLeast(value + 1),
        BinaryOp.GreaterOrEqual => IntervalSet.AtLeast(value),
        _ => Interval(BinaryOp.Less, value).Union(Interval(BinaryOp.Greater, value)),
    };

    private static BinaryOp Flip(BinaryOp op) => op switch
    {
        BinaryOp.Less => BinaryOp.Greater,
        BinaryOp.LessOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOp.Greater => BinaryOp.Less,
        BinaryOp.GreaterOrEqual => BinaryOp.LessOrEqual,
        _ => op,
    };

    private static BinaryOp Negate(BinaryOp op) => op switch
    {
        BinaryOp.Equal => BinaryOp.NotEqual,
        BinaryOp.NotEqual => BinaryOp.Equal,
        BinaryOp.Less => BinaryOp.GreaterOrEqual,
        BinaryOp.LessOrEqual => BinaryOp.Greater,
        BinaryOp.Greater => BinaryOp.LessOrEqual,
        BinaryOp.GreaterOrEqual => BinaryOp.Less,
        BinaryOp.IsDistinctFrom => BinaryOp.IsNotDistinctFrom,
        _ => BinaryOp.IsDistinctFrom,
    };
}
