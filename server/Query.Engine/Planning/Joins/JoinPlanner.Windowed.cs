using Query.Engine.Binding;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// Windowed sources in streaming joins, as ksqlDB has them (its JoinNode / analyzer rules): two windowed streams join
/// on their keys, and a pair matches only when both rows are of the same window, because Kafka Streams matches the
/// windowed keys' bytes (a time window's key holds its start, a session's its start and end). So the join key is
/// the two keys and the windows' bounds are compared on each pair. Tumbling and hopping windows join each other,
/// sessions only sessions; a windowed source never joins a non-windowed one; a join of windowed sources on anything
/// but their keys would need a repartition of a windowed source, which ksqlDB does not do either.
/// </summary>
public sealed partial class JoinPlanner
{
    /// <summary>Refuses the joins of windowed sources ksqlDB refuses, with its reasons.</summary>
    private static void CheckWindowedSources(JoinTreeNode node, StreamRuntime right, int position)
    {
        var left = LeftmostSource(node.Left);
        var (leftWindow, rightWindow) = (left.Definition.Window, right.Definition.Window);
        if (leftWindow is null && rightWindow is null)
            return;
        if (leftWindow is null || rightWindow is null)
            throw SqlException.FeatureNotSupported("Can not join windowed source to non-windowed source: "
                + $"\"{left.Definition.Name}\" is {Describe(leftWindow)} windowed, \"{right.Definition.Name}\" is "
                + $"{Describe(rightWindow)} windowed", position);
        var compatible = leftWindow.Kind == WindowKind.Session
            ? rightWindow.Kind == WindowKind.Session : rightWindow.Kind != WindowKind.Session;
        if (!compatible)
            throw SqlException.FeatureNotSupported($"Incompatible windowed sources: \"{left.Definition.Name}\" is "
                + $"{Describe(leftWindow)} windowed, \"{right.Definition.Name}\" is {Describe(rightWindow)} windowed "
                + "(session windowed sources join only session windowed sources, hopping and tumbling windowed "
                + "sources only hopping and tumbling ones)", position);
        if (node.Left is not JoinTreeLeaf)
            throw SqlException.FeatureNotSupported("multi-way joins of windowed sources", position);
        if (left.Definition.IsTable && right.Definition.IsTable && IsForeignKeyJoin(node, left, right))
            throw new SqlException(SqlState.WrongObjectType,
                "Foreign-key table-table joins are not supported on windowed tables.",
                hint: "a windowed table joins another on both tables' keys (a row matches the other's row of the same "
                + "key and window)", position: position);
        if (left.Definition.KeyColumns.Count != 1 || right.Definition.KeyColumns.Count != 1)
            throw SqlException.FeatureNotSupported("joins of windowed sources with several key columns", position);
    }

    /// <summary>Whether a join of two tables compares the right table's key with anything but the left's key.
    /// </summary>
    private static bool IsForeignKeyJoin(JoinTreeNode node, StreamRuntime left, StreamRuntime right)
    {
        var leftKey = SplitJoinKey(node, right.Definition.KeyColumn, [])?.Left;
        return leftKey is not null && !IsTableKey(leftKey, left.Definition.KeyColumn);
    }

    private static string Describe(TableWindow? window) => window?.Kind.ToString().ToUpperInvariant() ?? "not";

    /// <summary>
    /// For two windowed streams: checks that the join key is both streams' keys and adds the equality of the two
    /// rows' windows (WINDOWSTART, and WINDOWEND for sessions) to the conditions checked on each pair.
    /// </summary>
    private static void AddWindowMatch(JoinTreeNode node, BoundExpr leftKey, BoundExpr rightKey,
        List<BoundExpr> condition)
    {
        var leftLeaf = (JoinTreeLeaf)node.Left;
        var rightLeaf = (JoinTreeLeaf)node.Right;
        var (left, right) = (leftLeaf.Leaf.Source!, rightLeaf.Leaf.Source!);
        if (left.Definition.Window is null)
            return;
        CheckWindowedKeys(node, leftKey, rightKey);
        condition.Add(BoundsEqual(leftLeaf, left.Definition.WindowStartColumn, rightLeaf,
            right.Definition.WindowStartColumn));
        if (left.Definition.Window.Kind == WindowKind.Session)
            condition.Add(BoundsEqual(leftLeaf, left.Definition.WindowEndColumn, rightLeaf,
                right.Definition.WindowEndColumn));
    }

    /// <summary>A join of windowed sources compares their keys (a windowed source is not repartitioned); no-op for
    /// sources without a window.</summary>
    private static void CheckWindowedKeys(JoinTreeNode node, BoundExpr leftKey, BoundExpr rightKey)
    {
        var (left, right) = (LeftmostSource(node.Left), ((JoinTreeLeaf)node.Right).Leaf.Source!);
        if (left.Definition.Window is null)
            return;
        // The first source's columns lead every joined row, so its key is the same column at every step.
        if (!IsColumn(leftKey, left.Definition.KeyColumn) || !IsKeyColumn(rightKey, right.Definition.KeyColumn))
            throw SqlException.FeatureNotSupported("Implicit repartitioning of windowed sources is not supported: a "
                + $"join of windowed sources compares their keys (\"{left.Names[left.Definition.KeyColumn]}\" and "
                + $"\"{right.Names[right.Definition.KeyColumn]}\")");
    }

    private static bool IsKeyColumn(BoundExpr expression, int ordinal) =>
        IsColumn(expression, ordinal)
        || (expression is BoundCast { Operand: BoundColumn column } && column.Ordinal == ordinal);

    private static bool IsColumn(BoundExpr expression, int ordinal) =>
        expression is BoundColumn column && column.Ordinal == ordinal;

    private static BoundBinary BoundsEqual(JoinTreeLeaf left, int leftColumn, JoinTreeLeaf right, int rightColumn)
    {
        var (l, r) = (left.Leaf.Source!, right.Leaf.Source!);
        return new BoundBinary(BinaryOp.Equal,
            new BoundColumn(left.Start + leftColumn, l.Names[leftColumn], l.Types[leftColumn]),
            new BoundColumn(right.Start + rightColumn, r.Names[rightColumn], r.Types[rightColumn]), SqlType.Boolean);
    }
}
