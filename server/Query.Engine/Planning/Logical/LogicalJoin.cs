using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>Which unmatched rows a join keeps (padded with NULLs on the other side).</summary>
public enum JoinType
{
    Inner,
    Left,
    Right,
    Full,
    Cross,
}

/// <summary>
/// The rows of <see cref="Left"/> and <see cref="Right"/> side by side (the left's columns, then the right's), for
/// every pair whose <see cref="LeftKeys"/> equal their <see cref="RightKeys"/> (SQL equality: a NULL key matches
/// nothing) and for which <see cref="Condition"/> is TRUE; outer joins also keep their side's unmatched rows.
/// Each side's keys are bound over that side's own row; the condition over the joined row. Without keys every
/// pair is a candidate (a cross join, or a join on a condition that is not an equality of the two sides). The
/// inputs are any relations: streams, tables, other joins, or whatever else the planner can read as rows.
/// </summary>
public sealed record LogicalJoin(LogicalPlan Left, LogicalPlan Right, JoinType Type,
    EquatableArray<BoundExpr> LeftKeys, EquatableArray<BoundExpr> RightKeys, BoundExpr? Condition) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => Concat(Left.Columns, Right.Columns);

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitJoin(this);

    private static EquatableArray<ColumnInfo> Concat(EquatableArray<ColumnInfo> left, EquatableArray<ColumnInfo> right)
    {
        var all = new ColumnInfo[left.Count + right.Count];
        left.AsSpan().CopyTo(all);
        right.AsSpan().CopyTo(all.AsSpan(left.Count));
        return new(all);
    }
}
