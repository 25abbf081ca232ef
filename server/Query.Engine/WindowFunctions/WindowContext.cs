using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.WindowFunctions;

/// <summary>
/// Binding state of a query's window functions. The row below the window node is the input row's first
/// <see cref="PassThrough"/> columns followed by <see cref="Inputs"/> (each function's arguments and keys); the row
/// above it is the same <see cref="PassThrough"/> columns followed by one column per function. A call in the select
/// list or ORDER BY binds to its column above; the same call written twice is computed once.
/// </summary>
public sealed class WindowContext
{
    private readonly ExpressionBinder _arguments;
    private readonly List<Ast.FunctionCall> _calls = [];

    /// <param name="passThrough">Columns of the input row the window node passes up.</param>
    /// <param name="arguments">Binds arguments and keys over the input row (it has no window context, so a window
    /// function inside another is 42P20).</param>
    public WindowContext(int passThrough, ExpressionBinder arguments)
    {
        PassThrough = passThrough;
        _arguments = arguments;
    }

    public int PassThrough { get; }

    /// <summary>Expressions over the input row the window node reads (arguments, PARTITION BY, ORDER BY).</summary>
    public List<BoundExpr> Inputs { get; } = [];

    public List<BoundWindowFunction> Functions { get; } = [];

    public BoundExpr Add(Ast.FunctionCall call, int position)
    {
        for (var i = 0; i < _calls.Count; i++)
        {
            if (_calls[i].Equals(call))
                return new BoundColumn(PassThrough + i, Functions[i].Name, Functions[i].ResultType);
        }
        var function = Bind(call, position);
        _calls.Add(call);
        Functions.Add(function);
        return new BoundColumn(PassThrough + Functions.Count - 1, function.Name, function.ResultType);
    }

    private BoundWindowFunction Bind(Ast.FunctionCall call, int position)
    {
        var name = call.Name.Name.Value.ToLowerInvariant();
        if (!call.OrderBy.IsEmpty)
            throw SqlException.FeatureNotSupported($"ORDER BY inside {name}(...) of a window function", position);
        if (call.Distinct)
            throw SqlException.FeatureNotSupported("DISTINCT in window functions", position);
        var over = call.Over!;
        var partition = new int[over.PartitionBy.Count];
        for (var i = 0; i < partition.Length; i++)
            partition[i] = Input(Key(over.PartitionBy[i]));
        var order = new SortKey[over.OrderBy.Count];
        for (var i = 0; i < order.Length; i++)
        {
            var item = over.OrderBy[i];
            var nullsFirst = item.Nulls switch
            {
                Ast.NullsOrder.First => true,
                Ast.NullsOrder.Last => false,
                _ => item.Descending,
            };
            order[i] = new SortKey(Input(Key(item.Expression)), item.Descending, nullsFirst);
        }
        var frame = WindowFrames.Bind(over.Frame, _arguments);
        var (kind, arguments, resultType, aggregate) = BindFunction(call, name, position);
        return new BoundWindowFunction(kind, name, new(arguments), new(partition), new(order), frame, resultType)
        {
            Aggregate = aggregate,
        };
    }

    private (WindowFunctionKind, int[], SqlType, BoundAggregate?) BindFunction(Ast.FunctionCall call, string name,
        int position)
    {
        if (WindowFunctionCatalog.TryGet(name, out var kind, out var min, out var max))
        {
            if (call.Star || call.Arguments.Count < min || call.Arguments.Count > max)
                throw new SqlException(SqlState.UndefinedFunction, $"function {name} takes "
                    + (min == max ? $"{min}" : $"{min} to {max}") + " arguments", position: position);
            return BindWindowFunction(call, kind, position);
        }
        var star = call.Star || (name == "count" && call.Arguments.Count == 0);
        if (AggregateFunctions.TryGetKind(name, false, star, out var aggregateKind))
            return BindAggregate(call, name, aggregateKind, star, position);
        if (FunctionRegistry.TryGet(name.ToUpperInvariant(), out _))
            throw new SqlException(SqlState.WrongObjectType,
                $"OVER specified, but {name} is not a window function nor an aggregate function", position: position);
        throw new SqlException(SqlState.UndefinedFunction, $"function {name} does not exist", position: position);
    }

    private (WindowFunctionKind, int[], SqlType, BoundAggregate?) BindWindowFunction(Ast.FunctionCall call,
        WindowFunctionKind kind, int position)
    {
        var arguments = new int[call.Arguments.Count];
        switch (kind)
        {
            case WindowFunctionKind.RowNumber or WindowFunctionKind.Rank or WindowFunctionKind.DenseRank:
                return (kind, arguments, SqlType.BigInt, null);
            case WindowFunctionKind.PercentRank or WindowFunctionKind.CumeDist:
                return (kind, arguments, SqlType.Double, null);
            case WindowFunctionKind.Ntile:
                arguments[0] = Input(Integer(call.Arguments[0]));
                return (kind, arguments, SqlType.Int, null);
        }
        var value = Value(call.Arguments[0]);
        arguments[0] = Input(value);
        if (arguments.Length > 1)
            arguments[1] = Input(Integer(call.Arguments[1]));
        if (arguments.Length > 2)
        {
            var fallback = _arguments.Bind(call.Arguments[2], value.Type);
            arguments[2] = Input(ExpressionBinder.Coerce(fallback, value.Type, CastContext.Implicit, position));
        }
        return (kind, arguments, value.Type, null);
    }

    private (WindowFunctionKind, int[], SqlType, BoundAggregate?) BindAggregate(Ast.FunctionCall call, string name,
        AggregateKind kind, bool star, int position)
    {
        if (AggregateFunctions.Arity(kind) != 1)
            throw SqlException.FeatureNotSupported($"{name} as a window function", position);
        if (star)
        {
            var (_, countType) = AggregateFunctions.Types(kind, null, position);
            var rows = new BoundAggregate(kind, null, null, countType);
            return (WindowFunctionKind.Aggregate, [], countType, rows);
        }
        if (call.Arguments.Count != 1)
            throw new SqlException(SqlState.UndefinedFunction, $"function {name} takes exactly one argument",
                position: position);
        var bound = Value(call.Arguments[0]);
        var (input, result) = AggregateFunctions.Types(kind, bound.Type, position);
        if (input is not null)
            bound = ExpressionBinder.Coerce(bound, input, CastContext.Implicit, position);
        var column = Input(bound);
        var aggregate = new BoundAggregate(kind, new BoundColumn(column, name, bound.Type), input ?? bound.Type,
            result);
        return (WindowFunctionKind.Aggregate, [column], result, aggregate);
    }

    private BoundExpr Value(Ast.Expr syntax)
    {
        var bound = _arguments.Bind(syntax);
        return bound.Type.Kind == SqlTypeKind.Null || bound is BoundLiteral { IsUntypedString: true }
            ? ExpressionBinder.Coerce(bound, SqlType.String, CastContext.Implicit, syntax.Span.Start + 1)
            : bound;
    }

    private BoundExpr Integer(Ast.Expr syntax) => _arguments.BindAs(syntax, SqlType.BigInt, CastContext.Implicit);

    private BoundExpr Key(Ast.Expr syntax)
    {
        var bound = Value(syntax);
        if (bound.Type.IsComplex)
            throw new SqlException(SqlState.UndefinedFunction,
                $"could not identify an ordering operator for type {bound.Type}", position: syntax.Span.Start + 1);
        return bound;
    }

    private int Input(BoundExpr expression)
    {
        Inputs.Add(expression);
        return PassThrough + Inputs.Count - 1;
    }
}
