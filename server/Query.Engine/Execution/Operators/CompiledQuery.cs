using Query.Engine.Planning.Logical;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// A bound query with its operators planned and its expressions compiled, once; each run builds a fresh operator
/// tree from it. Compiled delegates are pure functions of their row, so one compiled query serves many runs.
/// </summary>
public sealed class CompiledQuery
{
    private readonly Func<OperatorContext, RowOperator> _root;

    public CompiledQuery(BoundQuery query, TimeProvider clock)
    {
        Query = query;
        _root = PhysicalPlanner.Plan(query, clock);
    }

    public BoundQuery Query { get; }

    /// <summary>Starts a run: builds the operators (a bounded scan takes its snapshot of end offsets now).</summary>
    public RowReader Start(OperatorContext context) =>
        new OperatorRowReader(_root(context), Query.Columns, context.Statistics);

    /// <summary>Builds the operators of a run and hands back the root (a persistent query drives it itself).</summary>
    public RowOperator StartOperators(OperatorContext context) => _root(context);
}
