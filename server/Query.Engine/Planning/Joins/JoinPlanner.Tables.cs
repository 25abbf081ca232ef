using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// Table-table joins of push and persistent queries, as ksqlDB has them: on both PRIMARY KEYs (INNER, LEFT, RIGHT,
/// FULL), or a foreign-key join, an expression of the left table equal to the right table's PRIMARY KEY (INNER,
/// LEFT). The result is a table keyed by the joined key (the left key for a foreign-key join).
/// </summary>
public sealed partial class JoinPlanner
{
    private static void CheckTableTableShape(JoinTreeNode node, StreamRuntime left, StreamRuntime right, int position)
    {
        if (node.Type is JoinType.Cross)
            throw SqlException.FeatureNotSupported("CROSS joins of two tables", position);
        foreach (var table in (ReadOnlySpan<StreamRuntime>)[left, right])
        {
            if (table.Definition.KeyColumns.Count > 1)
                throw SqlException.FeatureNotSupported($"a table-table join with table \"{table.Definition.Name}\" "
                    + $"of several PRIMARY KEY columns ({KeyList(table)}): as in ksqlDB, a table-table join compares "
                    + "one expression with each table's key, and JOINs on multiple conditions are not supported",
                    position);
        }
    }

    private static LogicalJoin PlanTableTable(JoinTreeNode node, StreamRuntime left, StreamRuntime right,
        BoundExpr? where, LogicalScan leftScan, LogicalScan rightScan)
    {
        var rightKey = right.Definition.KeyColumn;
        var leftKeyColumn = left.Definition.KeyColumn;
        var filter = new List<BoundExpr>();
        var leftKey = SplitJoinKey(node, rightKey, filter)?.Left;
        if (leftKey is null)
            throw SqlException.FeatureNotSupported($"a table-table join whose ON does not compare the PRIMARY KEY of "
                + $"\"{right.Definition.Name}\" with an expression of \"{left.Definition.Name}\"");
        var foreignKey = !IsTableKey(leftKey, leftKeyColumn);
        if (foreignKey && node.Type is not (JoinType.Inner or JoinType.Left))
            throw SqlException.FeatureNotSupported($"{node.Type.ToString().ToUpperInvariant()} foreign-key "
                + "table-table joins (ksqlDB allows INNER and LEFT)");
        if (!foreignKey && left.Types[leftKeyColumn] != right.Types[rightKey])
            throw SqlException.FeatureNotSupported($"a primary-key join of tables whose keys have different types "
                + $"({left.Types[leftKeyColumn]} and {right.Types[rightKey]})");
        if (leftKey.Type != right.Types[rightKey])
            leftKey = new BoundCast(leftKey, right.Types[rightKey]);
        if (where is not null)
            filter.Add(where);
        // LeftKeys: the left expression equal to the right key; RightKeys: the right key. The result is keyed by
        // the joined key (either side's) or, for a foreign-key join, by the left table's key.
        var rightKeyColumn = new BoundColumn(rightKey, right.Names[rightKey], right.Types[rightKey]);
        var spec = new TableJoinSpec(foreignKey, BoundColumns.And(filter),
            foreignKey ? left.Types[leftKeyColumn] : right.Types[rightKey])
        { Window = left.Definition.Window };
        return new LogicalJoin(leftScan, rightScan, node.Type, new([leftKey]),
            new([rightKeyColumn]), null)
        {
            StreamTime = true,
            TableTable = spec,
        };
    }
}
