using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning;

/// <summary>A SELECT item that is a table function call (EXPLODE(x), CUBE_EXPLODE(x) AS y).</summary>
internal static class TableFunctionBinding
{
    /// <summary>
    /// Binds the call's argument, which the projection computes; false when the item is not a table function.
    /// </summary>
    public static bool TryBind(Ast.SingleColumn item, ExpressionBinder binder, out BoundExpr array,
        out TableFunctionKind kind, out SqlType resultType)
    {
        array = null!;
        resultType = null!;
        kind = default;
        var expression = item.Expression;
        if (PgExpandArrayField(expression) is { } field)
            (expression, kind) = field;
        else if (expression is not Ast.FunctionCall { Over: null } named
            || !TableFunctions.TryGetKind(named.Name.Name.Value, out kind))
            return false;
        var call = (Ast.FunctionCall)expression;
        var position = call.Span.Start + 1;
        var name = call.Name.Name.Value.ToUpperInvariant();
        var arity = kind == TableFunctionKind.GenerateSubscripts && !IsPgExpandArray(call) ? 2 : 1;
        if (call.Arguments.Count != arity || call.Star || call.Distinct)
            throw new SqlException(SqlState.UndefinedFunction, arity == 1 ? $"function {name} takes exactly one array"
                : $"function {name} takes an array and its dimension", position: position);
        // Arrays here have one dimension; generate_subscripts(a, 1) is the only one with rows.
        if (arity == 2 && binder.Bind(call.Arguments[1]) is not BoundLiteral { Value: 1 or 1L })
            throw SqlException.FeatureNotSupported($"{name} of a dimension other than a constant 1", position);
        array = binder.Bind(call.Arguments[0]);
        if (array.Type is not ArrayType arrayType)
            throw new SqlException(SqlState.UndefinedFunction, $"function {name}({array.Type}) does not exist",
                position: position, hint: $"Signature: {TableFunctions.Describe(kind).Signature}");
        resultType = TableFunctions.ResultType(kind, arrayType);
        return true;
    }

    /// <summary><c>(_pg_expandarray(a)).x</c> is <c>unnest(a)</c> and <c>.n</c> is <c>generate_subscripts(a, 1)</c>,
    /// row for row (pgjdbc selects both beside the whole function, which keeps them in step).</summary>
    private static (Ast.FunctionCall Call, TableFunctionKind Kind)? PgExpandArrayField(Ast.Expr expression)
    {
        if (expression is not Ast.FieldAccessExpr { Base: Ast.FunctionCall { Over: null } call } access
            || !IsPgExpandArray(call))
            return null;
        return access.Field.Value switch
        {
            "x" => (call, TableFunctionKind.Explode),
            "n" => (call, TableFunctionKind.GenerateSubscripts),
            _ => throw new SqlException(SqlState.UndefinedColumn,
                $"column \"{access.Field.Value}\" not found in data type record", position: access.Span.Start + 1),
        };
    }

    private static bool IsPgExpandArray(Ast.FunctionCall call) =>
        call.Name.Name.Value.Equals(TableFunctions.PgExpandArrayName, StringComparison.OrdinalIgnoreCase);
}
