using Query.Engine.Binding;
using Query.Engine.Planning;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// The delegates of one SELECT, compiled once: the WHERE filter and the projection over source records, or for
/// an aggregation the key-and-argument projection over records plus HAVING and the output projection over the
/// aggregated row. Delegates are pure functions of their row, so one compiled query can serve many readers.
/// </summary>
public sealed class CompiledSelect
{
    public CompiledSelect(SelectPlan plan)
    {
        Plan = plan;
        if (plan.Where is not null)
        {
            Filter = ExpressionCompiler<RecordCursor>.CompilePredicate(plan.Where);
            ConstantFilter = ExpressionCompiler<CellRow>.CompilePredicate(plan.Where, interpret: true);
        }
        if (plan.Aggregation is null)
        {
            if (plan.Source is not null)
                Projection = ExpressionCompiler<RecordCursor>.CompileProjection(plan.Projection);
            else
                RowProjection = ExpressionCompiler<CellRow>.CompileProjection(plan.Projection, interpret: true);
            return;
        }
        var inputs = new List<BoundExpr>(plan.Aggregation.GroupKeys);
        foreach (var aggregate in plan.Aggregation.Aggregates)
            inputs.Add(aggregate.Argument ?? new BoundLiteral(1, SqlType.Int));
        AggregateInputs = ExpressionCompiler<RecordCursor>.CompileProjection(inputs);
        RowProjection = ExpressionCompiler<CellRow>.CompileProjection(plan.Projection);
        if (plan.Having is not null)
            Having = ExpressionCompiler<CellRow>.CompilePredicate(plan.Having);
    }

    public SelectPlan Plan { get; }

    public Func<RecordCursor, bool>? Filter { get; }

    /// <summary>WHERE for a SELECT without FROM (evaluated over an empty row).</summary>
    public Func<CellRow, bool>? ConstantFilter { get; }

    public Action<RecordCursor, Cell[]>? Projection { get; }

    public Action<RecordCursor, Cell[]>? AggregateInputs { get; }

    public Action<CellRow, Cell[]>? RowProjection { get; }

    public Func<CellRow, bool>? Having { get; }
}
