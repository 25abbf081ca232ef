using Query.Engine.Binding;
using E = System.Linq.Expressions.Expression;

namespace Query.Engine.Execution;

public sealed partial class ExpressionCompiler<TRow>
{
    /// <summary>
    /// Calls a function's static method. Strict functions run only when every argument is non-NULL; null-aware
    /// ones get NULLs as null references / nullable values. A null reference or an empty Nullable result is NULL.
    /// </summary>
    private Emitted EmitCall(BoundCall call)
    {
        var function = call.Function;
        var arguments = new List<Emitted>();
        foreach (var argument in call.Arguments)
            arguments.Add(Emit(argument));
        var parameters = function.Method.GetParameters();
        var actuals = new List<E>();
        var first = function.Context is null ? 0 : 1;
        if (first == 1)
            actuals.Add(E.Constant(function.Context, parameters[0].ParameterType));
        var fixedCount = (function.Variadic ? parameters.Length - 1 : parameters.Length) - first;
        for (var i = 0; i < fixedCount; i++)
            actuals.Add(Adapt(arguments[i], parameters[first + i].ParameterType, function.NullAware));
        if (function.Variadic)
        {
            var elementType = parameters[^1].ParameterType.GetElementType()!;
            var rest = new List<E>();
            for (var i = fixedCount; i < arguments.Count; i++)
                rest.Add(Adapt(arguments[i], elementType, function.NullAware));
            actuals.Add(E.NewArrayInit(elementType, rest));
        }
        E invoke = E.Call(function.Method, actuals);
        var returnType = function.Method.ReturnType;
        var result = E.Variable(returnType, "r" + _variables.Count);
        _variables.Add(result);
        var hasValue = returnType.IsValueType && Nullable.GetUnderlyingType(returnType) is null
            ? (E)E.Constant(true)
            : E.NotEqual(result, E.Constant(null, returnType));
        var unwrapped = Nullable.GetUnderlyingType(returnType) is not null
            ? E.Property(result, "Value")
            : (E)result;
        if (function.NullAware)
        {
            var (value, isNull) = NewSlot(call.Type);
            var statements = new List<E>();
            foreach (var argument in arguments)
                statements.Add(argument.Code);
            statements.Add(E.Assign(result, invoke));
            statements.Add(E.Assign(isNull, E.Not(hasValue)));
            statements.Add(E.IfThen(E.Not(isNull), E.Assign(value, ConvertResult(unwrapped, value.Type))));
            return new Emitted(E.Block(statements), value, isNull);
        }
        var strict = Strict(call.Type, arguments, value => E.Block(
            E.Assign(result, invoke),
            E.IfThen(hasValue, E.Assign(value, ConvertResult(unwrapped, value.Type)))));
        var code = E.Block(E.Assign(result, E.Default(returnType)), strict.Code,
            E.Assign(strict.IsNull, E.OrElse(strict.IsNull, E.Not(hasValue))));
        return new Emitted(code, strict.Value, strict.IsNull);
    }

    private static E ConvertResult(E value, Type target) => value.Type == target ? value : E.Convert(value, target);

    private static E Adapt(Emitted argument, Type parameterType, bool nullAware)
    {
        E value = argument.Value;
        if (value.Type != parameterType)
            value = E.Convert(value, parameterType);
        if (!nullAware || (parameterType.IsValueType && Nullable.GetUnderlyingType(parameterType) is null))
            return value;
        return E.Condition(argument.IsNull, E.Default(parameterType), value);
    }
}
