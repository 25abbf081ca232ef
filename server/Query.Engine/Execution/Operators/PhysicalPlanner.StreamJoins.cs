using Query.Engine.Binding;
using Query.Engine.Execution.Operators.Joins;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

internal sealed partial class PhysicalPlanner
{
    /// <summary>
    /// Partition numbers of a stream-stream join's right stream in its query's checkpoint are offset by this, so
    /// that one checkpoint holds both streams' offsets (partition counts stay far below it).
    /// </summary>
    public const int RightStreamPartitionBase = 1 << 20;

    /// <summary>Two streams joined WITHIN a window: the operator tails both and keeps each side's rows in its state.
    /// </summary>
    private Node StreamStreamJoin(LogicalJoin join)
    {
        var leftScan = (LogicalScan)join.Left;
        var rightScan = (LogicalScan)join.Right;
        var left = SideProjection(leftScan, join.LeftKeys[0]);
        var right = SideProjection(rightScan, join.RightKeys[0]);
        var condition = join.Condition is null ? null
            : ExpressionCompiler<CellRow>.CompilePredicate(join.Condition, _interpret, _clock);
        var (type, window) = (join.Type, join.Within!);
        return new Node(null, context => new StreamStreamJoinOperator(
            (Scan(leftScan, context, 0), left.Project, left.Types),
            (Scan(rightScan, context, RightStreamPartitionBase), right.Project, right.Types),
            type, window, condition, context.Limits, context.Budget, context.Hooks));
    }

    private static TailScanOperator Scan(LogicalScan scan, OperatorContext context, int partitionIdBase) =>
        new(scan.Source, TailScanOperator.PlanStarts(scan.Source, scan.Pushdown, context.ReplayFromEarliest),
            context.Statistics, context.Limits, context.Hooks, partitionIdBase: partitionIdBase);

    /// <summary>A side's columns followed by its join key, compiled over its records.</summary>
    private (Action<RecordCursor, Cell[]> Project, SqlType[] Types) SideProjection(LogicalScan scan, BoundExpr key)
    {
        var columns = scan.Columns;
        var expressions = new BoundExpr[columns.Count + 1];
        var types = new SqlType[columns.Count + 1];
        for (var i = 0; i < columns.Count; i++)
        {
            expressions[i] = new BoundColumn(i, columns[i].Name, columns[i].Type);
            types[i] = columns[i].Type;
        }
        expressions[^1] = key;
        types[^1] = key.Type;
        return (ExpressionCompiler<RecordCursor>.CompileProjection(expressions, _interpret, _clock), types);
    }
}
