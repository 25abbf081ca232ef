using Query.Engine.Binding;

namespace Query.Engine.Planning.Joins;

public sealed partial class JoinPlanner
{
    /// <summary>
    /// Splits a streaming join's ON into its join key and the rest: the first conjunct that equates an expression of
    /// the left side with one of the right side (with <paramref name="rightKeyColumn"/>, one whose right expression is
    /// that column of the right relation, a table's PRIMARY KEY) is the key, returned with its right expression
    /// rebased onto the right side's row; every other conjunct goes to <paramref name="rest"/>, in order. Null when ON
    /// has no such equality (the caller names what it needed). The stream-table, stream-stream and table-table joins
    /// of push and persistent queries all split ON this way.
    /// </summary>
    private static (BoundExpr Left, BoundExpr Right)? SplitJoinKey(JoinTreeNode node, int? rightKeyColumn,
        List<BoundExpr> rest)
    {
        (BoundExpr Left, BoundExpr Right)? key = null;
        foreach (var predicate in node.Predicates)
        {
            foreach (var conjunct in BoundColumns.Conjuncts(predicate))
            {
                if (key is null
                    && TrySplitKey(conjunct, node.Left.Width, node.Right.Width, out var left, out var right)
                    && (rightKeyColumn is not { } column || IsTableKey(right, column)))
                    key = (left, right);
                else
                    rest.Add(conjunct);
            }
        }
        return key;
    }
}
