using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Planning.Logical;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// Joins of push and persistent queries: a stream (left) joined with a table (right) on the table's PRIMARY KEY,
/// INNER or LEFT, as ksqlDB allows. Each stream row looks the table up in its materialized state, so the two need
/// not be co-partitioned (one process holds every partition of the table's state).
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
        if (syntax.Within is not null)
            throw SqlException.FeatureNotSupported("stream-stream joins (WITHIN) in a push or persistent query",
                syntax.Within.Span.Start + 1);
        if (stream.Definition.IsTable)
            throw table.Definition.IsTable
                ? SqlException.FeatureNotSupported("table-table joins in a push or persistent query", position)
                : SqlException.FeatureNotSupported("a table joined with a stream (write the stream first: "
                    + "stream JOIN table)", position);
        if (!table.Definition.IsTable)
            throw SqlException.FeatureNotSupported("stream-stream joins without WITHIN", position);
        if (node.Type is not (JoinType.Inner or JoinType.Left))
            throw SqlException.FeatureNotSupported($"{node.Type.ToString().ToUpperInvariant()} joins of a stream "
                + "and a table (ksqlDB allows INNER and LEFT)", position);
    }

    private static LogicalPlan PlanStreaming(JoinTreeNode node)
    {
        var stream = ((JoinTreeLeaf)node.Left).Leaf.Source!;
        var table = ((JoinTreeLeaf)node.Right).Leaf.Source!;
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

    private static bool IsTableKey(BoundExpr expression, int key) => expression switch
    {
        BoundColumn column => column.Ordinal == key,
        BoundCast { Operand: BoundColumn column } => column.Ordinal == key,
        _ => false,
    };
}
