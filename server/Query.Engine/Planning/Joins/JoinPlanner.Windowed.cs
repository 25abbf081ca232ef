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
    /// For windowed streams: checks that the join key is two windowed sources' keys and adds the equality of their
    /// rows' windows (WINDOWSTART, and WINDOWEND for sessions) to the conditions checked on each pair.
    /// </summary>
    private static void AddWindowMatch(JoinTreeNode node, BoundExpr leftKey, BoundExpr rightKey,
        List<BoundExpr> condition)
    {
        if (CheckWindowedKeys(node, leftKey, rightKey) is not { } leftLeaf)
            return;
        var rightLeaf = (JoinTreeLeaf)node.Right;
        var (left, right) = (leftLeaf.Leaf.Source!, rightLeaf.Leaf.Source!);
        condition.Add(BoundsEqual(leftLeaf, left.Definition.WindowStartColumn, rightLeaf,
            right.Definition.WindowStartColumn));
        if (left.Definition.Window!.Kind == WindowKind.Session)
            condition.Add(BoundsEqual(leftLeaf, left.Definition.WindowEndColumn, rightLeaf,
                right.Definition.WindowEndColumn));
    }

    /// <summary>
    /// A join of windowed sources compares their keys (a windowed source is not repartitioned): the right source's
    /// key with the key of a windowed source on the left (in a multi-way join, any of those before it). Returns that
    /// left source's leaf, whose window the right row's must equal; null for sources without a window.
    /// </summary>
    private static JoinTreeLeaf? CheckWindowedKeys(JoinTreeNode node, BoundExpr leftKey, BoundExpr rightKey)
    {
        var right = ((JoinTreeLeaf)node.Right).Leaf.Source!;
        if (right.Definition.Window is null)
            return null;
        // Each side's key is bound over that side's own row; the left side's row starts at the whole row's start.
        var leaf = WindowedLeafKeyedBy(node.Left, leftKey);
        if (leaf is null || !IsKeyColumn(rightKey, right.Definition.KeyColumn))
        {
            var left = LeftmostSource(node.Left);
            throw SqlException.FeatureNotSupported("Implicit repartitioning of windowed sources is not supported: a "
                + $"join of windowed sources compares their keys (\"{left.Names[left.Definition.KeyColumn]}\" and "
                + $"\"{right.Names[right.Definition.KeyColumn]}\")");
        }
        return leaf;
    }

    /// <summary>The windowed stream or table of <paramref name="tree"/> whose key column <paramref name="key"/> is.
    /// </summary>
    private static JoinTreeLeaf? WindowedLeafKeyedBy(JoinTree tree, BoundExpr key)
    {
        if (tree is JoinTreeNode node)
            return WindowedLeafKeyedBy(node.Left, key) ?? WindowedLeafKeyedBy(node.Right, key);
        var leaf = (JoinTreeLeaf)tree;
        return leaf.Leaf.Source is { Definition.Window: not null } source
            && IsColumn(key, leaf.Start + source.Definition.KeyColumn) ? leaf : null;
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
