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
    public const int RightStreamPartitionBase = LogicalScan.CheckpointPartitionStep;

    /// <summary>Two streams joined WITHIN a window: the operator tails both and keeps each side's rows in its state.
    /// In a multi-way join the left input is the join before it, read without waiting.</summary>
    private Node StreamStreamJoin(LogicalJoin join)
    {
        var left = Side(join.Left, join.LeftKeys[0], isLeft: true);
        var right = Side(join.Right, join.RightKeys[0], isLeft: false);
        var condition = join.Condition is null ? null
            : ExpressionCompiler<CellRow>.CompilePredicate(join.Condition, _interpret, _clock);
        var (type, window, keyKind) = (join.Type, join.Within!, join.LeftKeys[0].Type.Kind);
        return new Node(null, context => new StreamStreamJoinOperator(left(context), right(context), keyKind,
            type, window, condition, context.Limits, context.Budget, context.Hooks));
    }

    /// <summary>How one side of a stream-stream join is built: over a stream's scan, or over the join before it.
    /// </summary>
    private Func<OperatorContext, Func<bool, IEqualityComparer<Cell>, StreamJoinSide>> Side(LogicalPlan input,
        BoundExpr key, bool isLeft)
    {
        if (input is LogicalScan scan)
        {
            var (project, types) = SideProjection(scan, key);
            return context =>
            {
                var tail = Scan(scan, context);
                return (keepsUnmatched, keys) => new StreamJoinSide(tail, project, types, isLeft, keepsUnmatched, keys);
            };
        }
        var rows = Visit(input).Rows!;
        var columns = input.Columns;
        var sideTypes = new SqlType[columns.Count];   // the input's columns without its ROWTIME, then the key
        for (var i = 0; i < columns.Count - 1; i++)
            sideTypes[i] = columns[i].Type;
        sideTypes[^1] = key.Type;
        var compiledKey = ExpressionCompiler<CellRow>.CompileProjection([key], _interpret, _clock);
        return context =>
        {
            var joined = (IStreamingJoinInput)rows(context);
            return (keepsUnmatched, keys) =>
                new StreamJoinSide(joined, compiledKey, sideTypes, isLeft, keepsUnmatched, keys);
        };
    }

    private static TailScanOperator Scan(LogicalScan scan, OperatorContext context) =>
        new(scan.Source, TailScanOperator.PlanStarts(scan.Source, scan.Pushdown, context.ReplayFromEarliest),
            context.Statistics, context.Limits, context.Hooks, partitionIdBase: scan.CheckpointPartitionBase);

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
