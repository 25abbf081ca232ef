using Query.Engine.Binding;
using Query.Engine.Execution;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>
/// Every row of a table, read from its materialized state (latest value per key), not by replaying its changelog.
/// The read first applies what the changelog committed before the query started (read-your-writes).
/// </summary>
public sealed record LogicalTableScan(StreamRuntime Source) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => new([.. Source.Definition.Columns]);

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitTableScan(this);
}

/// <summary>
/// The rows of a table whose PRIMARY KEY equals one of <see cref="Keys"/> (constant expressions of the key's
/// type, from <c>WHERE id = c</c>, <c>id IN (...)</c> or <c>id = a OR id = b</c>), each looked up in the
/// materialized state; for a key of several columns, tuples of one constant per key column in key order, flattened.
/// The WHERE above still applies in full.
/// </summary>
public sealed record LogicalKeyLookup(StreamRuntime Source, EquatableArray<BoundExpr> Keys) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => new([.. Source.Definition.Columns]);

    /// <summary>A windowed table's lookup reads each key's windows (from its index of windows by key), only those
    /// these bounds on WINDOWSTART / WINDOWEND let through (none: every window of the key).</summary>
    public EquatableArray<WindowBound> WindowBounds { get; init; } = new([]);

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitKeyLookup(this);
}

/// <summary>A bound of a windowed table's lookup: WINDOWSTART (or WINDOWEND when <see cref="End"/>) compared with
/// <see cref="Value"/> (a constant or parameter of type BIGINT) by <see cref="Op"/>, window column on the left.
/// </summary>
public sealed record WindowBound(bool End, BinaryOp Op, BoundExpr Value);
