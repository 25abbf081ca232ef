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
        if (item.Expression is not Ast.FunctionCall { Over: null } call
            || !TableFunctions.TryGetKind(call.Name.Name.Value, out kind))
            return false;
        var position = call.Span.Start + 1;
        var name = call.Name.Name.Value.ToUpperInvariant();
        if (call.Arguments.Count != 1 || call.Star || call.Distinct)
            throw new SqlException(SqlState.UndefinedFunction, $"function {name} takes exactly one array",
                position: position);
        array = binder.Bind(call.Arguments[0]);
        if (array.Type is not ArrayType arrayType)
            throw new SqlException(SqlState.UndefinedFunction, $"function {name}({array.Type}) does not exist",
                position: position, hint: $"Signature: {TableFunctions.Catalog[(int)kind].Signature}");
        resultType = TableFunctions.ResultType(kind, arrayType);
        return true;
    }
}
