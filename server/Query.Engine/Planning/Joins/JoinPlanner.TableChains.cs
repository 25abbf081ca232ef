using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// Multi-way table-table joins of push and persistent queries (<c>a JOIN b ON ... JOIN c ON ...</c>), as ksqlDB
/// allows them: left to right, each step joins the table the joins before it make with one more table, on that
/// table's PRIMARY KEY compared with an expression of the tables before it: the first table's key (a primary-key
/// step) or any other expression (a foreign-key step). The result is keyed by the first table's key. Foreign-key steps
/// are INNER or LEFT; a chain with a RIGHT or FULL step has only primary-key steps (every table's row of one key
/// value makes the result row of that key, as ksqlDB joins tables on one key).
/// </summary>
public sealed partial class JoinPlanner
{
    private static Execution.StreamRuntime LeftmostSource(JoinTree tree)
    {
        while (tree is JoinTreeNode node)
            tree = node.Left;
        return ((JoinTreeLeaf)tree).Leaf.Source!;
    }

    private static void CheckTableChainShape(JoinTreeNode node, StreamRuntime right, int position)
    {
        if (node.Type is JoinType.Cross)
            throw SqlException.FeatureNotSupported("CROSS joins of tables", position);
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
        if (MixesOuterAndForeignKeys(node.Type, !primaryKey, left))
            throw SqlException.FeatureNotSupported("RIGHT and FULL joins in a join of more than two tables unless "
                + $"every step compares its table's key with the first table's key (\"{first.Names[firstKey]}\"): "
                + "this chain has a foreign-key step", PositionOf(node.Syntax!));
        if (left.TableTable!.Filter is { } before)
            filter.Insert(0, before);
        if (where is not null)
            filter.Add(where);
        var spec = new TableJoinSpec(!primaryKey, BoundColumns.And(filter), first.Types[firstKey])
        { Window = first.Definition.Window };
        var rightKeyColumn = new BoundColumn(rightKey, right.Names[rightKey], right.Types[rightKey]);
        return new LogicalJoin(left, TailedScan(right), node.Type, new([leftKey]), new([rightKeyColumn]), null)
        {
            StreamTime = true,
            TableTable = spec,
        };
    }

    /// <summary>Whether a chain has a RIGHT or FULL step (<paramref name="type"/> or one before it) and a foreign-key
    /// step (this one, <paramref name="foreignKey"/>, or one before it): refused, since RIGHT and FULL steps rest on
    /// every table sharing one key.</summary>
    private static bool MixesOuterAndForeignKeys(JoinType type, bool foreignKey, LogicalJoin left)
    {
        var outer = type is JoinType.Right or JoinType.Full;
        LogicalPlan plan = left;
        while (plan is LogicalJoin step)
        {
            outer |= step.Type is JoinType.Right or JoinType.Full;
            foreignKey |= step.TableTable!.ForeignKey;
            plan = step.Left;
        }
        return outer && foreignKey;
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
