using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// Joins of push and persistent queries: a stream (left) joined with a table (right) on the table's PRIMARY KEY,
/// INNER or LEFT, as ksqlDB allows (each stream row looks the table up in its materialized state, so the two need
/// not be co-partitioned: one process holds every partition of the table's state); two streams joined WITHIN a
/// window on any equality of the two sides (every join type but CROSS); and chains of these (multi-way joins), each
/// step over the result of the ones before it.
/// </summary>
public sealed partial class JoinPlanner
{
    /// <summary>
    /// Checks a push or persistent query's joins, step by step from the left (ksqlDB's multi-way joins: each join
    /// takes the result of the joins before it as its left side and one stream or table as its right): a stream
    /// (or the stream a join of a stream makes) joins a stream WITHIN a window, or a table on its key; a table joins a
    /// table. Returns whether the result is a table.
    /// </summary>
    private static bool CheckStreamingShape(JoinTree tree)
    {
        if (tree is JoinTreeLeaf leaf)
        {
            return leaf.Leaf.Source is { } source ? source.Definition.IsTable
                : throw SqlException.FeatureNotSupported("joins of relations other than streams and tables in a "
                    + "push or persistent query", leaf.Leaf.Position);
        }
        var node = (JoinTreeNode)tree;
        var syntax = node.Syntax!;
        var position = PositionOf(syntax);
        if (node.Right is not JoinTreeLeaf { Leaf.Source: not null } right)
            throw SqlException.FeatureNotSupported("a join whose right side is itself a join in a push or persistent "
                + "query (write the joins left to right: a JOIN b ON ... JOIN c ON ...)", position);
        var leftIsTable = CheckStreamingShape(node.Left);
        var rightTable = right.Leaf.Source!;
        CheckWindowedSources(node, rightTable, position);
        if (!leftIsTable && !rightTable.Definition.IsTable)
        {
            if (syntax.Within is null)
                throw new SqlException(SqlState.SyntaxError, "a stream-stream join needs a WITHIN clause "
                    + "(WITHIN n unit, or WITHIN (before, after), with an optional GRACE PERIOD)", position: position);
            if (node.Type is JoinType.Cross)
                throw SqlException.FeatureNotSupported("CROSS joins of two streams", position);
            return false;
        }
        if (syntax.Within is not null)
            throw new SqlException(SqlState.SyntaxError, "WITHIN applies only to a join of two streams",
                position: syntax.Within.Span.Start + 1);
        if (leftIsTable && rightTable.Definition.IsTable)
        {
            if (node.Left is JoinTreeLeaf { Leaf.Source: { } leftTable })
                CheckTableTableShape(node, leftTable, rightTable, position);
            else
                CheckTableChainShape(node, rightTable, position);
            return true;
        }
        if (leftIsTable)
            throw SqlException.FeatureNotSupported("a table joined with a stream (write the stream first: "
                + "stream JOIN table)", position);
        if (node.Type is not (JoinType.Inner or JoinType.Left))
            throw SqlException.FeatureNotSupported($"{node.Type.ToString().ToUpperInvariant()} joins of a stream "
                + "and a table (ksqlDB allows INNER and LEFT)", position);
        return false;
    }

    private int _tailedLogs;

    /// <summary>A log the join tails, numbered in the checkpoint after the ones before it (left to right).</summary>
    private LogicalScan TailedScan(Execution.StreamRuntime source) =>
        new(source, Unbounded: true, Pushdown: null)
        {
            CheckpointPartitionBase = _tailedLogs++ * LogicalScan.CheckpointPartitionStep,
            WithPseudoColumns = !source.Definition.IsTable,
        };

    /// <summary>The streaming plan of a join and the joins left of it: each a binary join operator over the plan
    /// of the joins before it (a multi-way join is a chain of them).</summary>
    private LogicalPlan PlanStreaming(JoinTreeNode node, BoundExpr? where)
    {
        var right = ((JoinTreeLeaf)node.Right).Leaf.Source!;
        if (node.Left is JoinTreeLeaf { Leaf.Source: { Definition.IsTable: true } leftTable })
            return PlanTableTable(node, leftTable, right, where, TailedScan(leftTable), TailedScan(right));
        if (right.Definition.IsTable && LeftmostSource(node).Definition.IsTable)
            return PlanTableChainStep(node, (LogicalJoin)PlanStreaming((JoinTreeNode)node.Left, null), right, where);
        var left = node.Left is JoinTreeLeaf leaf ? TailedScan(leaf.Leaf.Source!)
            : PlanStreaming((JoinTreeNode)node.Left, null);
        if (!right.Definition.IsTable)
            return PlanStreamStream(node, left, TailedScan(right), StreamJoinWindow.From(node.Syntax!.Within!));
        return PlanStreamTable(node, left, right);
    }

    /// <summary>A stream (or the stream the joins left of it make) joined with a table by its key.</summary>
    private static LogicalJoin PlanStreamTable(JoinTreeNode node, LogicalPlan stream,
        Execution.StreamRuntime table)
    {
        var key = table.Definition.KeyColumn;
        if (table.Definition.KeyColumns.Count > 1)
            throw SqlException.FeatureNotSupported($"a stream-table join with table \"{table.Definition.Name}\" of "
                + $"several PRIMARY KEY columns ({KeyList(table)}): as in ksqlDB, a join compares one expression with "
                + "the table's key, and JOINs on multiple conditions are not supported");
        var condition = new List<BoundExpr>();
        var (streamKey, tableKey) = SplitJoinKey(node, key, condition)
            ?? throw SqlException.FeatureNotSupported($"a stream-table join whose ON does not compare the PRIMARY KEY "
                + $"of \"{table.Definition.Name}\" with an expression of the stream");
        CheckWindowedKeys(node, streamKey, tableKey);
        // The stream's key expression is compared in the key's own type, as the table's state is keyed.
        if (streamKey.Type != table.Types[key])
            streamKey = new BoundCast(streamKey, table.Types[key]);
        return new LogicalJoin(stream, new LogicalTableScan(table), node.Type, new([streamKey]),
            new([new BoundColumn(key, table.Names[key], table.Types[key])]), BoundColumns.And(condition))
        { StreamTime = true };
    }

    /// <summary>
    /// Two streams joined within a window: the first equality of an expression of each side is the join key (the
    /// rows are matched by it in the operator's state); the rest of ON is checked on each pair.
    /// </summary>
    private static LogicalJoin PlanStreamStream(JoinTreeNode node, LogicalPlan left, LogicalScan right,
        StreamJoinWindow window)
    {
        var condition = new List<BoundExpr>();
        var (leftKey, rightKey) = SplitJoinKey(node, null, condition)
            ?? throw SqlException.FeatureNotSupported("a stream-stream join whose ON has no equality between an "
                + "expression of each stream");
        AddWindowMatch(node, leftKey, rightKey, condition);
        return new LogicalJoin(left, right, node.Type, new([leftKey]), new([rightKey]), BoundColumns.And(condition))
        { StreamTime = true, Within = window };
    }

    private static string KeyList(Execution.StreamRuntime table) =>
        string.Join(", ", table.Definition.KeyColumns.Select(k => table.Names[k]));

    private static bool IsTableKey(BoundExpr expression, int key) => expression switch
    {
        BoundColumn column => column.Ordinal == key,
        BoundCast { Operand: BoundColumn column } => column.Ordinal == key,
        _ => false,
    };
}
