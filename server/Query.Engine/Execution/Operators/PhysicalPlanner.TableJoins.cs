using Query.Engine.Execution.Operators.Joins;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Execution.Operators;

internal sealed partial class PhysicalPlanner
{
    /// <summary>Two tables joined: the operator tails both changelogs and reads both materialized states.</summary>
    private Node TableTableJoin(LogicalJoin join)
    {
        var leftScan = (LogicalScan)join.Left;
        var rightScan = (LogicalScan)join.Right;
        var left = SideProjection(leftScan, join.LeftKeys[0]).Project;
        var right = SideProjection(rightScan, join.RightKeys[0]).Project;
        var spec = join.TableTable!;
        var filter = spec.Filter is null ? null
            : ExpressionCompiler<CellRow>.CompilePredicate(spec.Filter, _interpret, _clock);
        var (type, keyType) = (join.Type, join.RightKeys[0].Type);
        return new Node(null, context => new TableTableJoinOperator(
            new TableJoinInput(Scan(leftScan, context), leftScan.Source, left, keyType, context.Limits),
            new TableJoinInput(Scan(rightScan, context), rightScan.Source, right, keyType,
                context.Limits),
            type, spec.ForeignKey, filter, context.Limits, context.Hooks));
    }
}
