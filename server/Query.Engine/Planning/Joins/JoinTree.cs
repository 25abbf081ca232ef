using Query.Engine.Binding;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// A FROM clause while it is planned: relations and joins with the range of the joined row their columns occupy,
/// and the predicates placed on each (ON conditions, and WHERE conjuncts pushed down), in ordinals of the whole
/// row. Planning turns it into <see cref="LogicalJoin"/> nodes over the leaves' plans.
/// </summary>
internal abstract class JoinTree
{
    protected JoinTree(int start, int width)
    {
        Start = start;
        Width = width;
    }

    /// <summary>The first ordinal of this subtree's columns in the whole row.</summary>
    public int Start { get; }

    public int Width { get; }

    /// <summary>Predicates on this subtree's rows, in ordinals of the whole row.</summary>
    public List<BoundExpr> Predicates { get; } = [];

    public bool Covers(BoundExpr expression) => BoundColumns.Within(expression, Start, Width);
}

internal sealed class JoinTreeLeaf(JoinLeaf leaf, int start) : JoinTree(start, leaf.Columns.Count)
{
    public JoinLeaf Leaf { get; } = leaf;
}

internal sealed class JoinTreeNode(JoinType type, JoinTree left, JoinTree right)
    : JoinTree(left.Start, left.Width + right.Width)
{
    public JoinType Type { get; } = type;

    public JoinTree Left { get; } = left;

    public JoinTree Right { get; } = right;

    /// <summary>The join as written (its WITHIN clause, and where it is for errors).</summary>
    public Grammar.Ast.Join? Syntax { get; init; }

    /// <summary>Whether a WHERE conjunct over the left side alone may filter it below the join (the join keeps
    /// no left row that the predicate would reject, padded with NULLs).</summary>
    public bool PreservesLeftFilter => Type is JoinType.Inner or JoinType.Cross or JoinType.Left;

    public bool PreservesRightFilter => Type is JoinType.Inner or JoinType.Cross or JoinType.Right;
}
