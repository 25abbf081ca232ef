using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

/// <summary>The arguments of aggregates that take more than one value.</summary>
internal static class AggregateArguments
{
    /// <summary>
    /// CORRELATION's two values as one ARRAY[x, y] of DOUBLE, so the aggregate operator still hands each
    /// accumulator one cell per row (this one aggregate pays an array per row).
    /// </summary>
    public static BoundExpr Pair(BoundExpr x, BoundExpr y, int position)
    {
        var items = new BoundExpr[]
        {
            ExpressionBinder.Coerce(x, SqlType.Double, CastContext.Implicit, position),
            ExpressionBinder.Coerce(y, SqlType.Double, CastContext.Implicit, position),
        };
        return new BoundConstructor(new EquatableArray<BoundExpr>(items), new ArrayType(SqlType.Double));
    }

    /// <summary>TOPK's k: an integer literal from 1 to <see cref="AggregateFunctions.MaxTopK"/>.</summary>
    public static int TopK(Ast.Expr k, string name, int position) => k switch
    {
        Ast.IntegerLiteral { Value: >= 1 and <= AggregateFunctions.MaxTopK } literal => (int)literal.Value,
        Ast.IntegerLiteral => throw new SqlException(SqlState.InvalidParameterValue,
            $"{name.ToUpperInvariant()}'s k must be from 1 to {AggregateFunctions.MaxTopK}", position: position),
        _ => throw new SqlException(SqlState.UndefinedFunction,
            $"{name.ToUpperInvariant()}'s k must be an integer literal", position: position),
    };
}
