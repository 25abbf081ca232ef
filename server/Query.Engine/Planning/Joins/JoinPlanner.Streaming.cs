using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Planning.Logical;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// Joins of push and persistent queries: a stream (left) joined with a table (right) on the table's PRIMARY KEY,
/// INNER or LEFT, as ksqlDB allows (each stream row looks the table up in its materialized state, so the two need
/// not be co-partitioned: one process holds every partition of the table's state); two streams joined WITHIN a
/// window on any equality of the two sides (every join type but CROSS).
/// </summary>
public sealed partial class JoinPlanner
{
    private static void CheckStreamingShape(JoinTree root, Ast.Join syntax)
    {
        var position = syntax.Span.Start + 1;
        if (root is not JoinTreeNode { Left: JoinTreeLeaf left, Right: JoinTreeLeaf right } node)
            throw SqlException.FeatureNotSupported("joins of more than two relations in a push or persistent query",
                position);
        if (left.Leaf.Source is not { } stream || right.Leaf.Source is not { } table)
            throw SqlException.FeatureNotSupported("joins of relations other than streams and tables in a push or "
                + "persistent query", position);
        if (!stream.Definition.IsTable && !table.Definition.IsTable)
        {
            if (syntax.Within is null)
                throw new SqlException(SqlState.SyntaxError, "a stream-stream join needs a WITHIN clause "
                    + "(WITHIN n unit, or WITHIN (before, after), with an optional GRACE PERIOD)", position: position);
            if (node.Type is JoinType.Cross)
                throw SqlException.FeatureNotSupported("CROSS joins of two streams", position);
            return;
        }
        if (syntax.Within is not null)
            throw new SqlException(SqlState.SyntaxError, "WITHIN applies only to a join of two streams",
                position: syntax.Within.Span.Start + 1);
        if (stream.Definition.IsTable && table.Definition.IsTable)
        {
            CheckTableTableShape(node, stream, table, position);
            return;
        }
        if (stream.Definition.IsTable)
            throw SqlException.FeatureNotSupported("a table joined with a stream (write the stream first: "
                + "stream JOIN table)", position);
        if (node.Type is not (JoinType.Inner or JoinType.Left))
            throw SqlException.FeatureNotSupported($"{node.Type.ToString().ToUpperInvariant()} joins of a stream "
                + "and a table (ksqlDB allows INNER and LEFT)", position);
    }

    private static LogicalPlan PlanStreaming(JoinTreeNode node, Ast.Join syntax, BoundExpr? where)
    {
        var stream = ((JoinTreeLeaf)node.Left).Leaf.Source!;
        var table = ((JoinTreeLeaf)node.Right).Leaf.Source!;
        if (stream.Definition.IsTable)
            return PlanTableTable(node, stream, table, where);
        if (!table.Definition.IsTable)
            return PlanStreamStream(node, stream, table, StreamJoinWindow.From(syntax.Within!));
        var key = table.Definition.KeyColumn;
        if (table.Definition.KeyColumns.Count > 1)
            throw SqlException.FeatureNotSupported($"a stream-table join with table \"{table.Definition.Name}\" of "
                + "several PRIMARY KEY columns");
        BoundExpr? streamKey = null;
        var condition = new List<BoundExpr>();
        foreach (var predicate in node.Predicates)
        {
            foreach (var conjunct in BoundColumns.Conjuncts(predicate))
            {
                if (streamKey is null
                    && TrySplitKey(conjunct, node.Left.Width, node.Right.Width, out var leftKey, out var rightKey)
                    && IsTableKey(rightKey, key))
                    streamKey = leftKey;
                else
                    condition.Add(conjunct);
            }
        }
        if (streamKey is null)
            throw SqlException.FeatureNotSupported($"a stream-table join whose ON does not compare the PRIMARY KEY "
                + $"of \"{table.Definition.Name}\" with an expression of the stream");
        // The stream's key expression is compared in the key's own type, as the table's state is keyed.
        if (streamKey.Type != table.Types[key])
            streamKey = new BoundCast(streamKey, table.Types[key]);
        return new LogicalJoin(new LogicalScan(stream, Unbounded: true, Pushdown: null), new LogicalTableScan(table),
            node.Type, new([streamKey]), new([new BoundColumn(key, table.Names[key], table.Types[key])]),
            BoundColumns.And(condition))
        { StreamTime = true };
    }

    /// <summary>
    /// Two streams joined within a window: the first equality of an expression of each side is the join key (the
    /// rows are matched by it in the operator's state); the rest of ON is checked on each pair.
    /// </summary>
    private static LogicalPlan PlanStreamStream(JoinTreeNode node, Execution.StreamRuntime left,
        Execution.StreamRuntime right, StreamJoinWindow window)
    {
        BoundExpr? leftKey = null, rightKey = null;
        var condition = new List<BoundExpr>();
        foreach (var predicate in node.Predicates)
        {
            foreach (var conjunct in BoundColumns.Conjuncts(predicate))
            {
                if (leftKey is null
                    && TrySplitKey(conjunct, node.Left.Width, node.Right.Width, out var l, out var r))
                    (leftKey, rightKey) = (l, r);
                else
                    condition.Add(conjunct);
            }
        }
        if (leftKey is null || rightKey is null)
            throw SqlException.FeatureNotSupported("a stream-stream join whose ON has no equality between an "
                + "expression of each stream");
        return new LogicalJoin(new LogicalScan(left, Unbounded: true, Pushdown: null),
            new LogicalScan(right, Unbounded: true, Pushdown: null), node.Type, new([leftKey]), new([rightKey]),
            BoundColumns.And(condition))
        { StreamTime = true, Within = window };
    }

    private static bool IsTableKey(BoundExpr expression, int key) => expression switch
    {
        BoundColumn column => column.Ordinal == key,
        BoundCast { Operand: BoundColumn column } => column.Ordinal == key,
        _ => false,
    };
}
