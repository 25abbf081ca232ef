using Query.Engine.Binding;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>
/// Table functions over a projection: <see cref="Columns"/> at <see cref="FunctionColumns"/> hold each table
/// function's array in the input row; every input row becomes as many rows as the longest function result
/// (shorter ones padded with NULL), the other columns repeated. <see cref="Output"/> has the functions' result
/// types in those places.
/// </summary>
public sealed record LogicalTableFunction(LogicalPlan Input, EquatableArray<int> FunctionColumns,
    EquatableArray<TableFunctionKind> Kinds, EquatableArray<ColumnInfo> Output) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => Output;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitTableFunction(this);
}
