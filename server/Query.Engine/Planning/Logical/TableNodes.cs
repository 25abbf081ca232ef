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

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitKeyLookup(this);
}
