using System.Linq.Expressions;
using Query.Engine.Binding;
using Query.Engine.Types;
using E = System.Linq.Expressions.Expression;

namespace Query.Engine.Execution;

/// <summary>
/// TRANSFORM / FILTER / REDUCE compile to a loop over the collection's items: each lambda parameter is a pair
/// of locals (value, NULL flag) assigned per item, and the lambda's body is emitted once, inside the loop.
/// </summary>
public sealed partial class ExpressionCompiler<TRow>
{
    private readonly Dictionary<int, (ParameterExpression Value, ParameterExpression IsNull)> _lambdaSlots = [];

    private Emitted EmitLambdaVariable(BoundLambdaVariable variable)
    {
        var (slotValue, slotIsNull) = _lambdaSlots[variable.Slot];
        var (value, isNull) = NewSlot(variable.Type);
        return new Emitted(E.Block(E.Assign(value, slotValue), E.Assign(isNull, slotIsNull)), value, isNull);
    }

    private void DeclareSlots(BoundLambda lambda, params SqlType[] types)
    {
        for (var i = 0; i < types.Length; i++)
            _lambdaSlots[lambda.Slots[i]] = NewSlot(types[i]);
    }

    /// <summary>Assigns a lambda parameter from a boxed item (null is SQL NULL).</summary>
    private E Bind(BoundLambda lambda, int parameter, E boxed)
    {
        var (value, isNull) = _lambdaSlots[lambda.Slots[parameter]];
        return E.Block(E.Assign(isNull, E.Equal(boxed, E.Constant(null))),
            E.Assign(value, E.Condition(isNull, E.Default(value.Type), E.Convert(boxed, value.Type))));
    }

    private Emitted EmitLambdaCall(BoundLambdaCall call)
    {
        var collection = Emit(call.Collection);
        return (call.Function, call.Collection.Type) switch
        {
            (LambdaFunction.Reduce, var type) => EmitReduce(call, collection, type),
            (_, ArrayType array) => EmitArrayLambda(call, collection, array),
            (_, MapType map) => EmitMapLambda(call, collection, map),
            _ => throw new InvalidOperationException($"cannot compile {call.Function} over {call.Collection.Type}"),
        };
    }

    private Emitted EmitArrayLambda(BoundLambdaCall call, Emitted collection, ArrayType array)
    {
        var lambda = call.Lambdas[0];
        DeclareSlots(lambda, array.Element);
        var body = Emit(lambda.Body);
        var (value, isNull) = NewSlot(call.Type);
        var items = Local<object?[]>("items");
        var buffer = Local<object?[]>("buffer");
        var count = Local<int>("count");
        var index = Local<int>("i");
        var item = E.ArrayIndex(items, index);
        var keep = call.Function == LambdaFunction.Filter
            ? E.IfThen(E.AndAlso(E.Not(body.IsNull), body.Value), Append(buffer, count, item))
            : Append(buffer, count, Box(body));
        var loop = Loop(index, E.ArrayLength(items), E.Block(Bind(lambda, 0, item), body.Code, keep));
        var code = E.Block(collection.Code, E.Assign(isNull, collection.IsNull), E.IfThen(E.Not(isNull), E.Block(
            E.Assign(items, E.Property(collection.Value, nameof(SqlArray.Items))),
            E.Assign(buffer, E.Call(typeof(LambdaRuntime), nameof(LambdaRuntime.Buffer), null,
                E.ArrayLength(items))),
            E.Assign(count, E.Constant(0)),
            loop,
            E.Assign(value, E.Call(typeof(LambdaRuntime), nameof(LambdaRuntime.Collect), null, buffer, count)))));
        return new Emitted(code, value, isNull);
    }

    private Emitted EmitMapLambda(BoundLambdaCall call, Emitted collection, MapType map)
    {
        foreach (var lambda in call.Lambdas)
            DeclareSlots(lambda, map.Key, map.Value);
        var bodies = new List<Emitted>();
        foreach (var lambda in call.Lambdas)
            bodies.Add(Emit(lambda.Body));
        var (value, isNull) = NewSlot(call.Type);
        var (keys, values) = (Local<object?[]>("keys"), Local<object?[]>("values"));
        var (newKeys, newValues) = (Local<object?[]>("newKeys"), Local<object?[]>("newValues"));
        var (count, index) = (Local<int>("count"), Local<int>("i"));
        var (key, entry) = (E.ArrayIndex(keys, index), E.ArrayIndex(values, index));
        var perItem = new List<E>();
        for (var i = 0; i < call.Lambdas.Count; i++)
        {
            perItem.Add(Bind(call.Lambdas[i], 0, key));
            perItem.Add(Bind(call.Lambdas[i], 1, entry));
            perItem.Add(bodies[i].Code);
        }
        perItem.Add(call.Function == LambdaFunction.Filter
            ? E.IfThen(E.AndAlso(E.Not(bodies[0].IsNull), bodies[0].Value),
                E.Block(E.Assign(E.ArrayAccess(newValues, count), entry), Append(newKeys, count, key)))
            : E.Block(E.Assign(E.ArrayAccess(newValues, count), Box(bodies[1])),
                Append(newKeys, count, Box(bodies[0]))));
        var code = E.Block(collection.Code, E.Assign(isNull, collection.IsNull), E.IfThen(E.Not(isNull), E.Block(
            E.Assign(keys, E.Property(collection.Value, nameof(SqlMap.Keys))),
            E.Assign(values, E.Property(collection.Value, nameof(SqlMap.Values))),
            E.Assign(newKeys, NewBuffer(E.ArrayLength(keys))),
            E.Assign(newValues, NewBuffer(E.ArrayLength(keys))),
            E.Assign(count, E.Constant(0)),
            Loop(index, E.ArrayLength(keys), E.Block(perItem)),
            E.Assign(value, E.Call(typeof(LambdaRuntime), nameof(LambdaRuntime.CollectMap), null, newKeys,
                newValues, count)))));
        return new Emitted(code, value, isNull);
    }

    /// <summary>REDUCE: the state starts at the initial value and becomes the body's value after each item.
    /// A NULL collection or initial state gives NULL.</summary>
    private Emitted EmitReduce(BoundLambdaCall call, Emitted collection, SqlType collectionType)
    {
        var lambda = call.Lambdas[0];
        var initial = Emit(call.Initial!);
        if (collectionType is ArrayType array)
            DeclareSlots(lambda, call.Type, array.Element);
        else
            DeclareSlots(lambda, call.Type, ((MapType)collectionType).Key, ((MapType)collectionType).Value);
        var body = Emit(lambda.Body);
        var (value, isNull) = NewSlot(call.Type);
        var (state, stateIsNull) = _lambdaSlots[lambda.Slots[0]];
        var (first, second) = (Local<object?[]>("items"), Local<object?[]>("values"));
        var index = Local<int>("i");
        var perItem = new List<E> { Bind(lambda, 1, E.ArrayIndex(first, index)) };
        if (collectionType is MapType)
            perItem.Add(Bind(lambda, 2, E.ArrayIndex(second, index)));
        perItem.Add(body.Code);
        perItem.Add(E.Assign(state, body.Value));
        perItem.Add(E.Assign(stateIsNull, body.IsNull));
        var load = collectionType is ArrayType
            ? (E)E.Assign(first, E.Property(collection.Value, nameof(SqlArray.Items)))
            : E.Block(E.Assign(first, E.Property(collection.Value, nameof(SqlMap.Keys))),
                E.Assign(second, E.Property(collection.Value, nameof(SqlMap.Values))));
        var code = E.Block(collection.Code, initial.Code, E.Assign(isNull, E.OrElse(collection.IsNull, initial.IsNull)),
            E.IfThen(E.Not(isNull), E.Block(load, E.Assign(state, initial.Value),
                E.Assign(stateIsNull, E.Constant(false)),
                Loop(index, E.ArrayLength(first), E.Block(perItem)),
                E.Assign(value, state), E.Assign(isNull, stateIsNull))));
        return new Emitted(code, value, isNull);
    }

    private ParameterExpression Local<T>(string name)
    {
        var local = E.Variable(typeof(T), name + _variables.Count);
        _variables.Add(local);
        return local;
    }

    private static E NewBuffer(E length) =>
        E.Call(typeof(LambdaRuntime), nameof(LambdaRuntime.Buffer), null, length);

    private static E Append(ParameterExpression buffer, ParameterExpression count, E item) =>
        E.Block(E.Assign(E.ArrayAccess(buffer, count), item), E.PreIncrementAssign(count));

    private static E Loop(ParameterExpression index, E count, E body)
    {
        var done = E.Label("done" + index.Name);
        return E.Block(E.Assign(index, E.Constant(0)), E.Loop(
            E.IfThenElse(E.LessThan(index, count), E.Block(body, E.PreIncrementAssign(index)), E.Break(done)), done));
    }
}
