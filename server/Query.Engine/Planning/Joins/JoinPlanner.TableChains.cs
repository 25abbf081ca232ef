using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// Multi-way table-table joins of push and persistent queries (<c>a JOIN b ON ... JOIN c ON ...</c>), as ksqlDB
/// allows them: left to right, each step joins the table the joins before it make with one more table, on that
/// table's PRIMARY KEY compared with an expression of the tables before it: the first table's key (a primary-key
/// step) or any other expression (a foreign-key step). Every step is INNER or LEFT, so each result row has a row of
/// the first table, and the result is keyed by the first table's key.
/// </summary>
public sealed partial class JoinPlanner
{
    private static Execution.StreamRuntime LeftmostSource(JoinTree tree)
    {
        while (tree is JoinTreeNode node)
            tree = node.Left;
        return ((JoinTreeLeaf)tree).Leaf.Source!;
    }

    private static void CheckTableChainShape(JoinTreeNode left, JoinTreeNode node, StreamRuntime right, int position)
    {
        foreach (var step in (ReadOnlySpan<JoinTreeNode>)[left, node])
        {
            if (step.Type is not (JoinType.Inner or JoinType.Left))
                throw SqlException.FeatureNotSupported($"{step.Type.ToString().ToUpperInvariant()} joins in a join "
                    + "of more than two tables (each step of a multi-way table join is INNER or LEFT here)",
                    position);
        }
        if (right.Definition.Window is not null)
            throw SqlException.FeatureNotSupported("table-table joins of windowed tables", position);
        if (right.Definition.KeyColumns.Count > 1)
            throw SqlException.FeatureNotSupported($"a table-table join with table \"{right.Definition.Name}\" of "
                + $"several PRIMARY KEY columns ({KeyList(right)}): as in ksqlDB, a table-table join compares one "
                + "expression with each table's key, and JOINs on multiple conditions are not supported", position);
    }

    /// <summary>
    /// One more table joined to the table the joins before it make (<paramref name="left"/>, itself a table-table
    /// join): keyed, like it, by the first table's key; its filter is the filters before it, the rest of this ON
    /// and (at the last step) the WHERE clause, all over the joined row, whose columns start as the left's do.
    /// </summary>
    private LogicalJoin PlanTableChainStep(JoinTreeNode node, LogicalJoin left, StreamRuntime right,
        BoundExpr? where)
    {
        var rightKey = right.Definition.KeyColumn;
        var filter = new List<BoundExpr>();
        var leftKey = SplitJoinKey(node, rightKey, filter)?.Left
            ?? throw SqlException.FeatureNotSupported($"a table-table join whose ON does not compare the PRIMARY "
                + $"KEY of \"{right.Definition.Name}\" with an expression of the tables before it");
        if (leftKey.Type != right.Types[rightKey])
            leftKey = new BoundCast(leftKey, right.Types[rightKey]);
        var first = FirstTable(left);
        var firstKey = first.Definition.KeyColumn;
        var primaryKey = leftKey is BoundColumn { Ordinal: var ordinal } && ordinal == firstKey;
        if (left.TableTable!.Filter is { } before)
            filter.Insert(0, before);
        if (where is not null)
            filter.Add(where);
        var spec = new TableJoinSpec(!primaryKey, BoundColumns.And(filter), first.Types[firstKey]);
        var rightKeyColumn = new BoundColumn(rightKey, right.Names[rightKey], right.Types[rightKey]);
        return new LogicalJoin(left, TailedScan(right), node.Type, new([leftKey]), new([rightKeyColumn]), null)
        {
            StreamTime = true,
            TableTable = spec,
        };
    }

    /// <summary>The first (leftmost) table of a table-table join.</summary>
    public static StreamRuntime FirstTable(LogicalJoin join)
    {
        LogicalPlan plan = join;
        while (plan is LogicalJoin inner)
            plan = inner.Left;
        return ((LogicalScan)plan).Source;
    }
}
