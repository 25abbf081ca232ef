using Query.Engine.Errors;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

/// <summary>
/// TRANSFORM / FILTER / REDUCE with lambdas, as ksqlDB writes them: <c>TRANSFORM(arr, x =&gt; x * 2)</c>,
/// <c>TRANSFORM(map, (k, v) =&gt; k, (k, v) =&gt; v + 1)</c>, <c>FILTER(arr, x =&gt; x &gt; 0)</c>,
/// <c>REDUCE(arr, 0, (s, x) =&gt; s + x)</c>. A lambda's parameters shadow columns of the same name inside its
/// body; each gets a slot the compiler turns into a local.
/// </summary>
public sealed partial class ExpressionBinder
{
    private readonly Dictionary<string, BoundLambdaVariable> _lambdaVariables = new(StringComparer.Ordinal);
    private int _nextLambdaSlot;

    private bool TryBindLambdaVariable(Ast.ColumnRef column, out BoundExpr bound)
    {
        bound = null!;
        if (column.Qualifier is not null || !_lambdaVariables.TryGetValue(column.Name.Value, out var variable))
            return false;
        bound = variable;
        return true;
    }

    private BoundExpr BindLambdaCall(Ast.FunctionCall call, string name, int position)
    {
        var function = name switch
        {
            "TRANSFORM" => LambdaFunction.Transform,
            "FILTER" => LambdaFunction.Filter,
            _ => LambdaFunction.Reduce,
        };
        var arguments = call.Arguments;
        if (arguments.Count < 2)
            throw LambdaUsage(name, position);
        var collection = Bind(arguments[0]);
        return (function, collection.Type) switch
        {
            (LambdaFunction.Transform, ArrayType array) when arguments.Count == 2 =>
                BindArrayLambda(function, collection, Lambda(arguments[1], 1, name, position), array, position),
            (LambdaFunction.Filter, ArrayType array) when arguments.Count == 2 =>
                BindArrayLambda(function, collection, Lambda(arguments[1], 1, name, position), array, position),
            (LambdaFunction.Transform, MapType map) when arguments.Count == 3 => BindMapTransform(collection, map,
                Lambda(arguments[1], 2, name, position), Lambda(arguments[2], 2, name, position)),
            (LambdaFunction.Filter, MapType map) when arguments.Count == 2 =>
                BindMapFilter(collection, map, Lambda(arguments[1], 2, name, position), position),
            (LambdaFunction.Reduce, ArrayType or MapType) when arguments.Count == 3 =>
                BindReduce(collection, arguments[1], arguments[2], position),
            (_, { Kind: SqlTypeKind.Null }) => BoundLiteral.Null(SqlType.Null),
            _ => throw LambdaUsage(name, position),
        };
    }

    private static SqlException LambdaUsage(string name, int position) =>
        new(SqlState.UndefinedFunction, $"function {name} does not take these arguments", position: position,
            hint: name switch
            {
                "TRANSFORM" => "TRANSFORM(array, x => ...) or TRANSFORM(map, (k, v) => ..., (k, v) => ...)",
                "FILTER" => "FILTER(array, x => ...) or FILTER(map, (k, v) => ...)",
                _ => "REDUCE(array, state, (s, x) => ...) or REDUCE(map, state, (s, k, v) => ...)",
            });

    private static Ast.LambdaExpr Lambda(Ast.Expr argument, int parameters, string name, int position) =>
        argument is Ast.LambdaExpr lambda && lambda.Parameters.Count == parameters
            ? lambda
            : throw new SqlException(SqlState.UndefinedFunction,
                $"{name} needs a lambda of {parameters} parameter{(parameters == 1 ? "" : "s")} here",
                position: position, hint: LambdaUsage(name, position).Hint);

    private BoundExpr BindArrayLambda(LambdaFunction function, BoundExpr collection, Ast.LambdaExpr lambda,
        ArrayType array, int position)
    {
        var bound = BindLambdaBody(lambda, [array.Element]);
        if (function == LambdaFunction.Filter)
        {
            var predicate = Coerce(bound.Body, SqlType.Boolean, CastContext.Implicit, position);
            return new BoundLambdaCall(function, collection, null, Lambdas(bound with { Body = predicate }), array);
        }
        var body = Concrete(bound.Body, position);
        return new BoundLambdaCall(function, collection, null, Lambdas(bound with { Body = body }),
            new ArrayType(body.Type));
    }

    private BoundExpr BindMapTransform(BoundExpr collection, MapType map, Ast.LambdaExpr keyLambda,
        Ast.LambdaExpr valueLambda)
    {
        var key = BindLambdaBody(keyLambda, [map.Key, map.Value]);
        var value = BindLambdaBody(valueLambda, [map.Key, map.Value]);
        key = key with { Body = Concrete(key.Body, PositionOf(keyLambda)) };
        value = value with { Body = Concrete(value.Body, PositionOf(valueLambda)) };
        return new BoundLambdaCall(LambdaFunction.Transform, collection, null, Lambdas(key, value),
            new MapType(key.Body.Type, value.Body.Type));
    }

    private BoundExpr BindMapFilter(BoundExpr collection, MapType map, Ast.LambdaExpr lambda, int position)
    {
        var bound = BindLambdaBody(lambda, [map.Key, map.Value]);
        var predicate = Coerce(bound.Body, SqlType.Boolean, CastContext.Implicit, position);
        return new BoundLambdaCall(LambdaFunction.Filter, collection, null, Lambdas(bound with { Body = predicate }),
            map);
    }

    /// <summary>
    /// The state takes the initial value's type; when the body widens it (an INT 0 summing BIGINTs), the
    /// lambda is bound again with the wider type so the state never narrows.
    /// </summary>
    private BoundExpr BindReduce(BoundExpr collection, Ast.Expr initialSyntax, Ast.Expr lambdaSyntax, int position)
    {
        var itemTypes = collection.Type is ArrayType array ? new[] { array.Element }
            : [((MapType)collection.Type).Key, ((MapType)collection.Type).Value];
        var lambda = Lambda(lambdaSyntax, itemTypes.Length + 1, "REDUCE", position);
        var initial = Concrete(Bind(initialSyntax), position);
        var bound = BindLambdaBody(lambda, [initial.Type, .. itemTypes]);
        if (bound.Body.Type != initial.Type && bound.Body.Type.Kind != SqlTypeKind.Null
            && ValueCast.CanCast(initial.Type, bound.Body.Type, CastContext.Implicit))
        {
            initial = Coerce(initial, bound.Body.Type, CastContext.Implicit, position);
            bound = BindLambdaBody(lambda, [initial.Type, .. itemTypes]);
        }
        var body = Coerce(bound.Body, initial.Type, CastContext.Implicit, position);
        return new BoundLambdaCall(LambdaFunction.Reduce, collection, initial, Lambdas(bound with { Body = body }),
            initial.Type);
    }

    private BoundLambda BindLambdaBody(Ast.LambdaExpr lambda, SqlType[] parameterTypes)
    {
        var shadowed = new List<(string Name, BoundLambdaVariable? Previous)>();
        var slots = new int[parameterTypes.Length];
        try
        {
            for (var i = 0; i < parameterTypes.Length; i++)
            {
                var name = lambda.Parameters[i].Value;
                _lambdaVariables.TryGetValue(name, out var previous);
                shadowed.Add((name, previous));
                slots[i] = _nextLambdaSlot++;
                _lambdaVariables[name] = new BoundLambdaVariable(slots[i], name, parameterTypes[i]);
            }
            return new BoundLambda(new EquatableArray<int>(slots), Bind(lambda.Body));
        }
        finally
        {
            for (var i = shadowed.Count - 1; i >= 0; i--)
            {
                if (shadowed[i].Previous is { } previous)
                    _lambdaVariables[shadowed[i].Name] = previous;
                else
                    _lambdaVariables.Remove(shadowed[i].Name);
            }
        }
    }

    /// <summary>A result element needs a real type: an untyped NULL or string literal becomes a STRING.</summary>
    private BoundExpr Concrete(BoundExpr expression, int position) =>
        expression.Type.Kind == SqlTypeKind.Null || expression is BoundLiteral { IsUntypedString: true }
            ? Coerce(expression, SqlType.String, CastContext.Implicit, position)
            : expression;

    private static EquatableArray<BoundLambda> Lambdas(params BoundLambda[] lambdas) => new(lambdas);
}
