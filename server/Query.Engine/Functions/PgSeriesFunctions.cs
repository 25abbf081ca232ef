using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// <c>generate_series</c> in FROM follows PostgreSQL: the step defaults to +1 and a step pointing away from the end
/// gives no rows (<c>generate_series(5, 1)</c> is empty). In the select list GENERATE_SERIES stays ksqlDB's array
/// function, which counts down by itself and refuses a step pointing away.
/// </summary>
public static class PgSeriesFunctions
{
    public static SqlArray GenerateSeries(long start, long end) => GenerateSeries(start, end, 1);

    public static SqlArray GenerateSeries(long start, long end, int step)
    {
        var count = Count(start, end, step);
        var items = ResultAllocation.Items(count);
        for (var i = 0L; i < count; i++)
            items[i] = start + (i * step);
        return new SqlArray(items);
    }

    public static SqlArray GenerateSeriesInt(int start, int end) => GenerateSeriesInt(start, end, 1);

    public static SqlArray GenerateSeriesInt(int start, int end, int step)
    {
        var count = Count(start, end, step);
        var items = ResultAllocation.Items(count);
        for (var i = 0L; i < count; i++)
            items[i] = (int)(start + (i * step));
        return new SqlArray(items);
    }

    private static long Count(long start, long end, long step)
    {
        if (step == 0)
            throw new SqlException(SqlState.InvalidParameterValue, "step size cannot equal zero");
        if (step > 0 ? start > end : start < end)
            return 0;
        return ((end - start) / step) + 1;
    }

    /// <summary>
    /// <c>generate_series(a, b [, step])</c> of integers in FROM, bound to these functions (INT elements when every
    /// argument is INT, else BIGINT); null for anything else (timestamps, other functions), which binds as usual.
    /// </summary>
    public static BoundExpr? BindInFrom(Grammar.Ast.FunctionCall call, ExpressionBinder binder, int position)
    {
        if (!call.Name.Name.Value.Equals("generate_series", StringComparison.OrdinalIgnoreCase)
            || call.Arguments.Count is < 2 or > 3)
            return null;
        var arguments = new BoundExpr[call.Arguments.Count];
        var wide = false;
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = binder.Bind(call.Arguments[i], SqlType.Int);
            if (arguments[i].Type.Kind is not (SqlTypeKind.Int or SqlTypeKind.BigInt or SqlTypeKind.Null))
                return null;
            wide |= i < 2 && arguments[i].Type.Kind == SqlTypeKind.BigInt;
        }
        var type = wide ? SqlType.BigInt : SqlType.Int;
        var parameterTypes = new SqlType[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            parameterTypes[i] = i < 2 ? type : SqlType.Int;
            arguments[i] = ExpressionBinder.Coerce(arguments[i], parameterTypes[i], CastContext.Implicit, position);
        }
        var method = FunctionDefinition.FindMethod(typeof(PgSeriesFunctions),
            wide ? nameof(GenerateSeries) : nameof(GenerateSeriesInt), arguments.Length);
        var overload = new FunctionOverload("generate_series", method, new(parameterTypes), new ArrayType(type));
        return new BoundCall(overload, new(arguments), overload.ReturnType);
    }
}
