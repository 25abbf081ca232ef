using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

/// <summary>
/// The functions tools send beside the catalog relations (psql's <c>\dt+</c>, Grafana's query builder,
/// SQLAlchemy's column reflection, pgcli): <c>current_setting</c>, <c>quote_ident</c>, <c>parse_ident</c>,
/// relation sizes, array bounds, <c>string_to_array</c>, <c>json_build_object</c>, function descriptions.
/// </summary>
public sealed partial class ExpressionBinder
{
    private static readonly SqlType TextArray = new ArrayType(SqlType.String);

    private bool TryBindClientCall(Ast.FunctionCall call, string name, int position, out BoundExpr bound)
    {
        var count = call.Arguments.Count;
        bound = name switch
        {
            "CURRENT_SETTING" when count is 1 or 2 => BindCurrentSetting(call, position),
            "QUOTE_IDENT" => CatalogCall(call, "QuoteIdent", SqlType.String, [SqlType.String], null, position),
            "PARSE_IDENT" when count is 1 or 2 =>
                CatalogCall(First(call), "ParseIdent", TextArray, [SqlType.String], null, position),
            "PG_SIZE_PRETTY" => CatalogCall(call, "SizePretty", SqlType.String, [SqlType.BigInt], null, position),
            "PG_TABLE_SIZE" or "PG_TOTAL_RELATION_SIZE" or "PG_RELATION_SIZE" when count >= 1 =>
                CatalogCall(First(call), "RelationSize", SqlType.BigInt, [SqlType.Int], Snapshot(position),
                    position),
            "STRING_TO_ARRAY" =>
                CatalogCall(call, "StringToArray", TextArray, [SqlType.String, SqlType.String], null, position),
            "ARRAY_LOWER" => BindArrayBound(call, "ArrayLower", position),
            "ARRAY_UPPER" or "ARRAY_LENGTH" when count == 2 => BindArrayBound(call, "ArrayUpper", position),
            "JSON_BUILD_OBJECT" or "JSONB_BUILD_OBJECT" => BindJsonBuildObject(call, position),
            "PG_GET_FUNCTION_RESULT" =>
                CatalogCall(call, "FunctionResult", SqlType.String, [SqlType.Int], null, position),
            "PG_GET_FUNCTION_ARGUMENTS" or "PG_GET_FUNCTION_IDENTITY_ARGUMENTS" =>
                CatalogCall(call, "FunctionArguments", SqlType.String, [SqlType.Int], null, position),
            "PG_RELATION_IS_PUBLISHABLE" =>
                CatalogCall(call, "IsUserRelation", SqlType.Boolean, [SqlType.Int], Snapshot(position), position),
            "PG_GET_STATISTICSOBJDEF_COLUMNS" => NullAfterBinding(call),
            "PG_BACKEND_PID" when count == 0 => new BoundLiteral(Session?.ProcessId ?? 0, SqlType.Int),
            // Advisory locks are never taken, so releasing them all releases nothing (Npgsql's pool reset calls it).
            "PG_ADVISORY_UNLOCK_ALL" when count == 0 => BoundLiteral.Null(SqlType.String),
            _ => null!,
        };
        return bound is not null;
    }

    /// <summary>No statistics objects exist, so their definition is NULL (the arguments still bind).</summary>
    private BoundLiteral NullAfterBinding(Ast.FunctionCall call)
    {
        BindAll(call);
        return BoundLiteral.Null(SqlType.String);
    }

    private static Ast.FunctionCall First(Ast.FunctionCall call) =>
        call with { Arguments = Ast.EquatableArray.Of(call.Arguments[0]) };

    private BoundExpr BindCurrentSetting(Ast.FunctionCall call, int position)
    {
        var missingOk = false;
        if (call.Arguments.Count == 2)
        {
            var flag = Bind(call.Arguments[1], SqlType.Boolean);
            missingOk = flag is BoundLiteral { Value: true };
            if (flag is not BoundLiteral)
                throw SqlException.FeatureNotSupported("current_setting with a non-constant missing_ok", position);
        }
        return CatalogCall(First(call), missingOk ? "CurrentSettingOrNull" : "CurrentSetting", SqlType.String,
            [SqlType.String], Snapshot(position), position);
    }

    /// <summary><c>array_lower/upper/length(array, dimension)</c> over an array of any element type.</summary>
    private BoundExpr BindArrayBound(Ast.FunctionCall call, string method, int position)
    {
        if (call.Arguments.Count != 2)
            throw new SqlException(SqlState.UndefinedFunction,
                $"function {call.Name.Name.Value} takes 2 arguments", position: position);
        var array = Bind(call.Arguments[0]);
        if (array.Type is not ArrayType && array.Type.Kind != SqlTypeKind.Null)
            throw new SqlException(SqlState.UndefinedFunction,
                $"function {call.Name.Name.Value}({array.Type}, integer) does not exist", position: position);
        var dimension = Coerce(Bind(call.Arguments[1], SqlType.Int), SqlType.Int, CastContext.Implicit, position);
        var arrayType = array.Type as ArrayType ?? new ArrayType(SqlType.String);
        var info = FunctionDefinition.FindMethod(typeof(CatalogFunctions), method, 2);
        var overload = new FunctionOverload(call.Name.Name.Value, info,
            new EquatableArray<SqlType>([arrayType, SqlType.Int]), SqlType.Int);
        return new BoundCall(overload, new EquatableArray<BoundExpr>([array, dimension]), SqlType.Int);
    }

    /// <summary><c>array || array</c> (psql's <c>\d+</c> joins reloptions this way): ARRAY_CONCAT.</summary>
    private BoundExpr BindArrayConcat(BoundExpr left, BoundExpr right, int position)
    {
        FunctionRegistry.TryGet("ARRAY_CONCAT", out var definition);
        var overload = definition!.Resolve([left.Type, right.Type])
            ?? throw new SqlException(SqlState.UndefinedFunction,
                $"operator does not exist: {left.Type} || {right.Type}", position: position);
        var arguments = new BoundExpr[]
        {
            Coerce(left, overload.ParameterTypes[0], CastContext.Implicit, position),
            Coerce(right, overload.ParameterTypes[1], CastContext.Implicit, position),
        };
        return new BoundCall(overload, new EquatableArray<BoundExpr>(arguments), overload.ReturnType);
    }

    /// <summary><c>json_build_object(k1, v1, ...)</c>: each value rendered as JSON by its own type.</summary>
    private BoundExpr BindJsonBuildObject(Ast.FunctionCall call, int position)
    {
        if (call.Arguments.Count % 2 != 0)
            throw new SqlException(SqlState.InvalidParameterValue, "argument list must have even number of elements",
                position: position);
        var arguments = new BoundExpr[call.Arguments.Count];
        var types = new SqlType[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Bind(call.Arguments[i]);
            types[i] = arguments[i].Type.Kind == SqlTypeKind.Null ? SqlType.String : arguments[i].Type;
            if (arguments[i].Type.Kind == SqlTypeKind.Null)
                arguments[i] = Coerce(arguments[i], SqlType.String, CastContext.Implicit, position);
        }
        var info = FunctionDefinition.FindMethod(typeof(CatalogFunctions), "JsonBuildObject", 2);
        var overload = new FunctionOverload(call.Name.Name.Value, info, new EquatableArray<SqlType>(types),
            SqlType.String, NullAware: true, Variadic: true)
        { Context = types };
        return new BoundCall(overload, new EquatableArray<BoundExpr>(arguments), SqlType.String);
    }
}
