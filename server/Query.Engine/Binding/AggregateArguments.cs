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

    /// <summary>
    /// TOPK(sort_col, col1, ..., k)'s row: one STRUCT per row with the fields ksqlDB names (<c>sort_col</c>, then
    /// <c>col0</c>, <c>col1</c>, ... in the order written; a UDAF sees values, not column names). Untyped literals
    /// and NULLs become STRING, as in a STRUCT constructor.
    /// </summary>
    public static BoundExpr TopKRow(BoundExpr sort, IReadOnlyList<BoundExpr> others, int position)
    {
        var items = new BoundExpr[others.Count + 1];
        var fields = new StructField[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var value = i == 0 ? sort : others[i - 1];
            if (value is BoundLiteral { IsUntypedString: true } || value.Type.Kind == SqlTypeKind.Null)
                value = ExpressionBinder.Coerce(value, SqlType.String, CastContext.Implicit, position);
            items[i] = value;
            fields[i] = new StructField(i == 0 ? TopKSortField : $"col{i - 1}", value.Type);
        }
        return new BoundConstructor(new EquatableArray<BoundExpr>(items),
            new StructType(new EquatableArray<StructField>(fields)));
    }

    /// <summary>The field of TOPK's several-column result that holds the ranked value (ksqlDB's name).</summary>
    public const string TopKSortField = "sort_col";

    /// <summary>TOPK's k: an integer literal from 1 to <see cref="AggregateFunctions.MaxTopK"/>.</summary>
    public static int TopK(Ast.Expr k, string name, int position) => k switch
    {
        Ast.IntegerLiteral { Value: >= 1 and <= AggregateFunctions.MaxTopK } literal => (int)literal.Value,
        Ast.IntegerLiteral => throw new SqlException(SqlState.InvalidParameterValue,
            $"{name.ToUpperInvariant()}'s k must be from 1 to {AggregateFunctions.MaxTopK}", position: position),
        _ => throw new SqlException(SqlState.UndefinedFunction,
            $"{name.ToUpperInvariant()}'s k must be an integer literal", position: position),
    };

    /// <summary>
    /// LATEST_BY_OFFSET / EARLIEST_BY_OFFSET's optional arguments, as ksqlDB's overloads take them:
    /// (x, ignoreNulls), (x, n) and (x, n, ignoreNulls), literals. n (from 1) makes the result the n latest /
    /// earliest values as an ARRAY (0: one value); ignoreNulls defaults to true.
    /// </summary>
    public static (int N, bool KeepNulls) ByOffset(Ast.Expr second, Ast.Expr? third, string name, int position)
    {
        var upper = name.ToUpperInvariant();
        if (third is null && second is Ast.BooleanLiteral onlyNulls)
            return (0, !onlyNulls.Value);
        var n = second switch
        {
            Ast.IntegerLiteral { Value: >= 1 and <= AggregateFunctions.MaxTopK } literal => (int)literal.Value,
            Ast.IntegerLiteral => throw new SqlException(SqlState.InvalidParameterValue,
                $"{upper}'s n must be from 1 to {AggregateFunctions.MaxTopK}", position: position),
            _ => throw new SqlException(SqlState.UndefinedFunction,
                $"{upper}'s second argument must be an integer literal (n) or a boolean literal (ignoreNulls)",
                position: position),
        };
        if (third is null)
            return (n, false);
        return third is Ast.BooleanLiteral ignoreNulls ? (n, !ignoreNulls.Value)
            : throw new SqlException(SqlState.UndefinedFunction,
                $"{upper}'s third argument (ignoreNulls) must be a boolean literal", position: position);
    }
}
