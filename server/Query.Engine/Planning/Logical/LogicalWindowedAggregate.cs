using Query.Engine.Binding;
using Query.Engine.Types;
using Query.Engine.Windows;

namespace Query.Engine.Planning.Logical;

/// <summary>
/// GROUP BY with WINDOW: groups the input by <see cref="Keys"/> and by window (<see cref="Window"/>, over ROWTIME)
/// and folds each window's rows into the aggregates. The output row is the keys, WINDOWSTART, WINDOWEND, a flag that
/// marks a row retracting a merged-away session (such rows come only with <see cref="Retractions"/>), then one
/// column per aggregate.
/// <see cref="EmitFinal"/>: each window is emitted once, when it closes, instead of on every change.
/// </summary>
public sealed record LogicalWindowedAggregate(LogicalPlan Input, EquatableArray<BoundExpr> Keys, WindowSpec Window,
    EquatableArray<ColumnInfo> Output, EquatableArray<BoundAggregate> Aggregates, bool EmitFinal, bool Retractions)
    : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => Output;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) =>
        visitor.VisitWindowedAggregate(this);
}
