using Query.Engine.Binding;
using Query.Engine.Catalog;
using Query.Engine.Types;
using Query.Storage.Reading;

namespace Query.Engine.Planning;

/// <summary>
/// The top-level AND terms of a scan's WHERE clause that a columnar source can use on its own (skip parts by their
/// statistics, drop rows on typed columns): <c>column op literal</c> (either side) with op one of = &lt; &lt;= &gt;
/// &gt;=, the column a stream column of type INT, BIGINT, DOUBLE, STRING, BOOLEAN, TIMESTAMP or DATE, possibly
/// widened (INT to BIGINT or DOUBLE, BIGINT to DOUBLE). Every row the WHERE clause keeps satisfies all of them,
/// since the clause drops a row for which one term is false or NULL; anything else is left to the filter.
/// </summary>
internal static class ColumnFilterAnalyzer
{
    public static IReadOnlyList<ColumnPredicate> Of(BoundExpr? where, StreamDefinition stream)
    {
        var predicates = new List<ColumnPredicate>();
        if (where is not null)
            Collect(where, stream, predicates);
        return predicates;
    }

    private static void Collect(BoundExpr expression, StreamDefinition stream, List<ColumnPredicate> predicates)
    {
        Limits.DepthGuard.Enter();
        if (expression is BoundBinary { Op: BinaryOp.And } and)
        {
            Collect(and.Left, stream, predicates);
            Collect(and.Right, stream, predicates);
            return;
        }
        if (expression is BoundBinary { IsComparison: true } comparison && From(comparison, stream) is { } predicate)
            predicates.Add(predicate);
    }

    private static ColumnPredicate? From(BoundBinary comparison, StreamDefinition stream)
    {
        var op = comparison.Op;
        BoundExpr operand;
        BoundLiteral literal;
        if (comparison.Right is BoundLiteral right)
            (operand, literal) = (comparison.Left, right);
        else if (comparison.Left is BoundLiteral left)
            (operand, literal, op) = (comparison.Right, left, Flip(op));
        else
            return null;
        if (literal.Value is null || ToComparison(op) is not { } how)
            return null;
        var column = operand switch
        {
            BoundColumn c => c,
            BoundCast { Operand: BoundColumn c } cast when Widens(c.Type.Kind, cast.Type.Kind) => c,
            _ => null,
        };
        if (column is null || column.Ordinal >= stream.Columns.Count
            || stream.Columns[column.Ordinal].Type.Kind != column.Type.Kind)
            return null;
        return Constant(operand.Type.Kind, literal.Value) is { } constant
            ? new ColumnPredicate(column.Ordinal, how, constant) : null;
    }

    // The literal already has the comparison's type (the binder converted it): its CLR value as storage expects.
    private static object? Constant(SqlTypeKind kind, object value) => (kind, value) switch
    {
        (SqlTypeKind.Int or SqlTypeKind.Date, int i) => (long)i,
        (SqlTypeKind.BigInt or SqlTypeKind.Timestamp, long l) => l,
        (SqlTypeKind.Double, double d) => d,
        (SqlTypeKind.String, string s) => s,
        (SqlTypeKind.Boolean, bool b) => b,
        _ => null,
    };

    private static bool Widens(SqlTypeKind from, SqlTypeKind to) =>
        (from, to) is (SqlTypeKind.Int, SqlTypeKind.BigInt) or (SqlTypeKind.Int, SqlTypeKind.Double)
            or (SqlTypeKind.BigInt, SqlTypeKind.Double);

    private static ColumnComparison? ToComparison(BinaryOp op) => op switch
    {
        BinaryOp.Equal => ColumnComparison.Equal,
        BinaryOp.Less => ColumnComparison.Less,
        BinaryOp.LessOrEqual => ColumnComparison.LessOrEqual,
        BinaryOp.Greater => ColumnComparison.Greater,
        BinaryOp.GreaterOrEqual => ColumnComparison.GreaterOrEqual,
        _ => null,
    };

    private static BinaryOp Flip(BinaryOp op) => op switch
    {
        BinaryOp.Less => BinaryOp.Greater,
        BinaryOp.LessOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOp.Greater => BinaryOp.Less,
        BinaryOp.GreaterOrEqual => BinaryOp.LessOrEqual,
        _ => op,
    };
}
