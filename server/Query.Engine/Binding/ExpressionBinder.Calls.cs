using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

public sealed partial class ExpressionBinder
{
    /// <summary><c>string_agg(x, delimiter [ORDER BY ...])</c>: the array of x joined by the delimiter.</summary>
    private BoundExpr BindStringAgg(Ast.FunctionCall call, SqlType? hint)
    {
        var values = new Ast.FunctionCall(Ast.QualifiedName.Of("array_agg"), Ast.EquatableArray.Of(call.Arguments[0]),
            call.Distinct, false, null)
        { OrderBy = call.OrderBy, Span = call.Span };
        return Bind(new Ast.FunctionCall(Ast.QualifiedName.Of("array_join"),
            Ast.EquatableArray.Of<Ast.Expr>(values, call.Arguments[1]), false, false, null)
        { Span = call.Span }, hint);
    }

    private BoundExpr BindCall(Ast.FunctionCall call, SqlType? hint)
    {
        var position = PositionOf(call);
        var name = call.Name.Name.Value.ToUpperInvariant();
        if (call.Over is not null)
            return Windows?.Add(call, position) ?? throw new SqlException(SqlState.WindowingError,
                "window functions are not allowed here", position: position,
                hint: "Window functions are allowed in the SELECT list and ORDER BY of a pull query.");
        if (name == "STRING_AGG" && call.Arguments.Count == 2)
            return BindStringAgg(call, hint);
        if (!call.OrderBy.IsEmpty)
        {
            if (_aggregation is null || !AggregateFunctions.TryGetKind(name, call.Distinct, call.Star, out _))
                throw SqlException.FeatureNotSupported($"ORDER BY inside {call.Name.Name.Value}(...) (it orders an "
                    + "aggregate's input)", position);
            _aggregation.OrderInput(call.OrderBy, position);
            call = call with { OrderBy = default };
        }
        // ksqlDB's COUNT() counts rows, as COUNT(*) does.
        var star = call.Star || (name == "COUNT" && call.Arguments.Count == 0 && !call.Distinct);
        if (AggregateFunctions.TryGetKind(name, call.Distinct, star, out var kind))
        {
            if (_aggregation is null)
                throw new SqlException(SqlState.GroupingError, $"aggregate function {name} is not allowed here",
                    position: position);
            if (!star && (call.Arguments.Count < AggregateFunctions.Arity(kind)
                    || call.Arguments.Count > AggregateFunctions.MaxArity(kind)))
                throw new SqlException(SqlState.UndefinedFunction, AggregateFunctions.MaxArity(kind) switch
                {
                    1 => $"function {name} takes exactly one argument",
                    var most when most == AggregateFunctions.Arity(kind)
                        => $"function {name} takes exactly {most} arguments",
                    int.MaxValue => $"function {name} takes at least {AggregateFunctions.Arity(kind)} arguments",
                    var most => $"function {name} takes {AggregateFunctions.Arity(kind)} to {most} arguments",
                }, position: position);
            return _aggregation.AddAggregate(kind, star ? null : call.Arguments[0], call, position);
        }
        if (call.Star || call.Distinct)
            throw new SqlException(SqlState.SyntaxError, $"{name}(*) and {name}(DISTINCT ...) apply only to aggregates",
                position: position);
        switch (name)
        {
            case "COALESCE" or "IFNULL":
                return BindCoalesce(call, name, hint, position);
            case "NULLIF":
                return BindNullIf(call, position);
            case "TRANSFORM" or "FILTER" or "REDUCE":
                return BindLambdaCall(call, name, position);
            case "EXPLODE" or "CUBE_EXPLODE" or "UNNEST" or TableFunctions.PgExpandArrayName:
                throw SqlException.FeatureNotSupported(
                    $"table function {name} inside an expression (it stands only as a whole SELECT item)", position);
        }
        if (TryBindCatalogCall(call, name, position, out var catalog))
            return catalog;
        if (!FunctionRegistry.TryGet(name, out var definition))
            throw new SqlException(SqlState.UndefinedFunction, $"function {name.ToLowerInvariant()} does not exist",
                position: position, hint: "SHOW FUNCTIONS lists the functions that exist.");
        var arguments = new BoundExpr[call.Arguments.Count];
        var types = new SqlType[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = i == 0 && IsBareTimeUnit(name, call.Arguments[0], out var unit)
                ? new BoundLiteral(unit, SqlType.String)
                : Bind(call.Arguments[i]);
            types[i] = arguments[i].Type;
        }
        TypeTemporalLiterals(name, arguments, types, position);
        var overload = definition.Resolve(types)
            ?? throw new SqlException(SqlState.UndefinedFunction,
                $"function {name}({string.Join(", ", (IEnumerable<SqlType>)types)}) does not exist", position: position,
                hint: $"Signatures: {string.Join("; ", definition.Signatures)}");
        for (var i = 0; i < arguments.Length; i++)
            arguments[i] = Coerce(arguments[i], overload.ParameterTypes[i], CastContext.Implicit, position);
        overload = overload with { Deterministic = FunctionRegistry.IsDeterministic(name) };
        return Fold(new BoundCall(overload, new EquatableArray<BoundExpr>(arguments), overload.ReturnType));
    }

    /// <summary>
    /// ksqlDB writes the unit of TIMESTAMPADD and its siblings as a bare word (TIMESTAMPADD(DAYS, 1, ts)); we
    /// also take it quoted. A bare word that names a column of the query still means the column.
    /// </summary>
    private bool IsBareTimeUnit(string function, Ast.Expr argument, out string unit)
    {
        unit = "";
        if (!FunctionRegistry.IntervalFunctionNames.Contains(function)
            || argument is not Ast.ColumnRef { Qualifier: null, IsPseudoColumn: false } column
            || _scope.IndexOf(column.Name.Value) >= 0)
            return false;
        unit = column.Name.Value.ToUpperInvariant();
        return unit.TrimEnd('S') is "MILLISECOND" or "SECOND" or "MINUTE" or "HOUR" or "DAY" or "WEEK" or "MONTH"
            or "YEAR";
    }

    private BoundExpr BindCoalesce(Ast.FunctionCall call, string name, SqlType? hint, int position)
    {
        if (call.Arguments.Count == 0 || (name == "IFNULL" && call.Arguments.Count != 2))
            throw new SqlException(SqlState.UndefinedFunction,
                $"function {name} needs {(name == "IFNULL" ? "two" : "at least one")} arguments",
                position: position);
        var arguments = new List<BoundExpr>();
        foreach (var argument in call.Arguments)
            arguments.Add(Bind(argument, hint));
        var type = CommonResultType(arguments, position);
        var whens = new BoundWhen[arguments.Count - 1];
        for (var i = 0; i < whens.Length; i++)
        {
            var value = Coerce(arguments[i], type, CastContext.Implicit, position);
            whens[i] = new BoundWhen(new BoundIsNull(value, Negated: true), value);
        }
        return new BoundCase(new EquatableArray<BoundWhen>(whens),
            Coerce(arguments[^1], type, CastContext.Implicit, position), type);
    }

    private BoundExpr BindNullIf(Ast.FunctionCall call, int position)
    {
        if (call.Arguments.Count != 2)
            throw new SqlException(SqlState.UndefinedFunction, "function NULLIF needs two arguments",
                position: position);
        var (first, second) = BindPair(call.Arguments[0], call.Arguments[1]);
        var equal = BindComparison(BinaryOp.Equal, first, second, position);
        var when = new BoundWhen(equal, BoundLiteral.Null(first.Type));
        return new BoundCase(new EquatableArray<BoundWhen>([when]), first, first.Type);
    }

    private BoundExpr BindSubscript(Ast.SubscriptExpr subscript)
    {
        var position = PositionOf(subscript);
        var container = Bind(subscript.Base);
        return container.Type switch
        {
            ArrayType array => new BoundSubscript(container, BindAs(subscript.Index, SqlType.Int, CastContext.Implicit),
                array.Element),
            MapType map => new BoundSubscript(container, BindAs(subscript.Index, map.Key, CastContext.Implicit),
                map.Value),
            _ => throw new SqlException(SqlState.DatatypeMismatch,
                $"cannot subscript type {container.Type} because it is not an array or a map", position: position),
        };
    }

    private BoundExpr BindFieldAccess(Ast.FieldAccessExpr access)
    {
        var position = PositionOf(access);
        var structure = Bind(access.Base);
        if (structure.Type is not StructType type)
            throw new SqlException(SqlState.DatatypeMismatch, $"type {structure.Type} is not a STRUCT",
                position: position);
        var index = type.IndexOf(access.Field.Value);
        if (index < 0)
            throw SqlException.UndefinedColumn(access.Field.Text, position: position);
        return new BoundFieldAccess(structure, index, type.Fields[index].Type);
    }

    /// <remarks>Where the constructor meets a type (an INSERT's column, the other side of a comparison:
    /// <paramref name="hint"/>), elements that are all NULL or untyped strings take its element type, so
    /// <c>ARRAY[NULL]</c> is an ARRAY&lt;INT&gt; there, not an ARRAY&lt;STRING&gt; it cannot be assigned from; the same
    /// for MAP keys and values and STRUCT fields.</remarks>
    private BoundExpr BindArray(Ast.ArrayConstructor array, ArrayType? hint)
    {
        var position = PositionOf(array);
        var items = new List<BoundExpr>();
        foreach (var item in array.Items)
            items.Add(Bind(item, hint?.Element));
        var element = CommonResultType(items, position, hint?.Element);
        var coerced = new BoundExpr[items.Count];
        for (var i = 0; i < coerced.Length; i++)
            coerced[i] = Coerce(items[i], element, CastContext.Implicit, position);
        return Fold(new BoundConstructor(new EquatableArray<BoundExpr>(coerced), new ArrayType(element)));
    }

    private BoundExpr BindMap(Ast.MapConstructor map, MapType? hint)
    {
        var position = PositionOf(map);
        var keys = new List<BoundExpr>();
        var values = new List<BoundExpr>();
        foreach (var entry in map.Entries)
        {
            keys.Add(Bind(entry.Key, hint?.Key));
            values.Add(Bind(entry.Value, hint?.Value));
        }
        var keyType = CommonResultType(keys, position, hint?.Key);
        var valueType = CommonResultType(values, position, hint?.Value);
        var items = new BoundExpr[keys.Count * 2];
        for (var i = 0; i < keys.Count; i++)
        {
            items[2 * i] = Coerce(keys[i], keyType, CastContext.Implicit, position);
            items[(2 * i) + 1] = Coerce(values[i], valueType, CastContext.Implicit, position);
        }
        return Fold(new BoundConstructor(new EquatableArray<BoundExpr>(items), new MapType(keyType, valueType)));
    }

    private BoundExpr BindStruct(Ast.StructConstructor structure, StructType? hint)
    {
        var items = new BoundExpr[structure.Fields.Count];
        var fields = new StructField[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var index = hint?.IndexOf(structure.Fields[i].Name.Value) ?? -1;
            var fieldHint = index >= 0 ? hint!.Fields[index].Type : null;
            var value = Bind(structure.Fields[i].Value, fieldHint);
            if (value is BoundLiteral { IsUntypedString: true } || value.Type.Kind == SqlTypeKind.Null)
                value = Coerce(value, fieldHint ?? SqlType.String, CastContext.Implicit, PositionOf(structure));
            items[i] = value;
            fields[i] = new StructField(structure.Fields[i].Name.Value, value.Type);
        }
        return Fold(new BoundConstructor(new EquatableArray<BoundExpr>(items),
            new StructType(new EquatableArray<StructField>(fields))));
    }
}
