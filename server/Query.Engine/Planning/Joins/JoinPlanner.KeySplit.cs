using Query.Engine.Binding;
using Query.Engine.Errors;

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
        if (key is null)
            CheckComparisons(node);
        return key;
    }

    /// <summary>
    /// ksqlDB's rule for a join's equalities: each side of one must read columns of exactly one source. An ON whose
    /// equality compares a source with a constant (<c>ON l.a = NULL</c>) or with itself has no join key, and ksqlDB
    /// refuses it as invalid join criteria (not as a missing feature): 42601 with its message.
    /// </summary>
    private static void CheckComparisons(JoinTreeNode node)
    {
        foreach (var predicate in node.Predicates)
        {
            foreach (var conjunct in BoundColumns.Conjuncts(predicate))
            {
                // An equality with an untyped NULL may already be folded to a constant: it reads no column.
                var (a, b) = conjunct is BoundBinary { Op: BinaryOp.Equal } equal
                    ? (SideOf(equal.Left, node), SideOf(equal.Right, node))
                    : BoundColumns.Range(conjunct).Max < 0 ? (0, 0) : (2, 2);
                if ((a is not 0 && b is not 0 && a != b) || a == 2 || b == 2)
                    continue;
                throw new SqlException(SqlState.SyntaxError, "Invalid comparison expression in join: each side of "
                    + "the join comparison must contain references from exactly one source",
                    hint: "compare an expression of the left source with one of the right source (ON a.x = b.y)",
                    position: PositionOf(node.Syntax!));
            }
        }
    }

    /// <summary>-1: the expression reads only the left side's columns, 1: only the right side's, 0: neither or both,
    /// 2: a pseudo-column of the whole row (not judged here).</summary>
    private static int SideOf(BoundExpr expression, JoinTreeNode node)
    {
        var (min, max) = BoundColumns.Range(expression);
        if (min == int.MinValue)
            return 2;
        if (max < 0)
            return 0;
        if (BoundColumns.Within(expression, 0, node.Left.Width))
            return -1;
        return BoundColumns.Within(expression, node.Left.Width, node.Right.Width) ? 1 : 0;
    }
}
