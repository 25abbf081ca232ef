using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.SystemCatalog;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

/// <summary>Who is asking, for current_user and the catalog functions, and the catalog they read.</summary>
/// <param name="User">current_user.</param>
/// <param name="Database">current_database().</param>
/// <param name="Snapshot">The catalog, taken when the query runs.</param>
public sealed record SessionIdentity(string User, string Database, Func<CatalogSnapshot> Snapshot)
{
    /// <summary>pg_backend_pid(): the connection's process id (its BackendKeyData), 0 outside a connection.</summary>
    public int ProcessId { get; init; }
}

/// <summary>
/// PostgreSQL's session names (<c>current_user</c>), catalog functions (<c>format_type</c>,
/// <c>pg_table_is_visible</c>, <c>pg_get_indexdef</c>, ...) and OID casts (<c>::regclass</c>, <c>::regtype</c>,
/// <c>::regproc</c>, <c>::oid</c>) that client introspection queries use. Visibility and privilege checks are true
/// (one schema, one role that owns everything); descriptions and column defaults are NULL (none exist).
/// </summary>
public sealed partial class ExpressionBinder
{
    public SessionIdentity? Session { get; init; }

    private string SessionUser => Session?.User ?? "query";

    private bool TryBindSessionName(Ast.ColumnRef column, out BoundExpr bound)
    {
        // SQL's CURRENT_TIMESTAMP / LOCALTIMESTAMP / CURRENT_DATE (no parentheses): now(), as a DATE for the last.
        if (column.Qualifier is null && column.Name.Value is "current_timestamp" or "localtimestamp" or "current_date")
        {
            var call = new Ast.FunctionCall(Ast.QualifiedName.Of("now"), default, Distinct: false, Star: false,
                Over: null)
            {
                Span = column.Span,
            };
            var now = Bind(call);
            bound = column.Name.Value == "current_date"
                ? Coerce(now, SqlType.Date, CastContext.Explicit, PositionOf(column)) : now;
            return true;
        }
        string? value = column.Qualifier is not null ? null : column.Name.Value switch
        {
            "current_user" or "session_user" or "user" or "current_role" => SessionUser,
            "current_catalog" => Session?.Database ?? "query",
            "current_schema" => "public",
            _ => null,
        };
        bound = new BoundLiteral(value, SqlType.String);
        return value is not null;
    }

    private bool TryBindCatalogCall(Ast.FunctionCall call, string name, int position, out BoundExpr bound)
    {
        bound = null!;
        switch (name)
        {
            case "PG_GET_USERBYID":
                BindAll(call);
                bound = new BoundLiteral(SessionUser, SqlType.String);
                return true;
            case "CURRENT_DATABASE":
                bound = new BoundLiteral(Session?.Database ?? "query", SqlType.String);
                return true;
            case "CURRENT_SCHEMAS":
                BindAll(call);
                bound = new BoundLiteral(new SqlArray(["pg_catalog", "public"]), new ArrayType(SqlType.String));
                return true;
            case "PG_TABLE_IS_VISIBLE" or "PG_TYPE_IS_VISIBLE" or "PG_FUNCTION_IS_VISIBLE" or "PG_HAS_ROLE"
                or "HAS_TABLE_PRIVILEGE" or "HAS_SCHEMA_PRIVILEGE" or "HAS_DATABASE_PRIVILEGE"
                or "HAS_COLUMN_PRIVILEGE" or "HAS_FUNCTION_PRIVILEGE" or "HAS_ANY_COLUMN_PRIVILEGE"
                or "HAS_SEQUENCE_PRIVILEGE" or "HAS_TYPE_PRIVILEGE":
                BindAll(call);
                bound = new BoundLiteral(true, SqlType.Boolean);
                return true;
            case "OBJ_DESCRIPTION" or "COL_DESCRIPTION" or "SHOBJ_DESCRIPTION" or "PG_GET_EXPR"
                or "PG_GET_SERIAL_SEQUENCE" or "PG_GET_TRIGGERDEF" or "PG_GET_VIEWDEF":
                BindAll(call);
                bound = BoundLiteral.Null(SqlType.String);
                return true;
            case "PG_TYPEOF" when call.Arguments.Count == 1:
                // PostgreSQL's regtype prints as format_type without a modifier: integer, numeric, text[].
                var typeOid = PgTypes.OidOf(Bind(call.Arguments[0]).Type);
                bound = new BoundLiteral(PgTypes.FormatType(typeOid, -1), SqlType.String);
                return true;
            case "PG_ENCODING_TO_CHAR":
                BindAll(call);
                bound = new BoundLiteral("UTF8", SqlType.String);
                return true;
            case "FORMAT_TYPE":
                bound = CatalogCall(call, "FormatType", SqlType.String, [SqlType.Int, SqlType.Int], null, position);
                return true;
            case "TO_TIMESTAMP" when call.Arguments.Count == 1:
                bound = CatalogCall(call, "ToTimestamp", SqlType.Timestamp, [SqlType.Double], null, position);
                return true;
            case "DATE_PART" or "EXTRACT":
                bound = CatalogCall(call, "DatePart", SqlType.Double, [SqlType.String, SqlType.Timestamp], null,
                    position);
                if (name == "EXTRACT")
                    bound = Coerce(bound, ExtractType(call), CastContext.Explicit, position);
                return true;
            case "TIMEZONE" when call.Arguments.Count == 2:
                bound = Bind(call with
                {
                    Name = Ast.QualifiedName.Of("convert_tz"),
                    Arguments = Ast.EquatableArray.Of(call.Arguments[1], new Ast.StringLiteral("UTC"),
                        call.Arguments[0]),
                });
                return true;
            case "BTRIM" or "LTRIM" or "RTRIM" when call.Arguments.Count == 2:
                bound = PgCall(call, typeof(PgStringFunctions), name[0] + "Trim", SqlType.String,
                    [SqlType.String, SqlType.String]);
                return true;
            case "BTRIM" when call.Arguments.Count == 1:
                bound = PgCall(call, typeof(PgStringFunctions), "BTrimSpaces", SqlType.String, [SqlType.String]);
                return true;
            case "DATE_BIN" when call.Arguments.Count == 3:
                bound = BindDateBin(call, position);
                return true;
            case "OCTET_LENGTH":
                bound = CatalogCall(call, "OctetLength", SqlType.Int, [SqlType.String], null, position);
                return true;
            case "PG_GET_INDEXDEF" when call.Arguments.Count >= 2:
                // pg_get_indexdef(index, column, pretty): one column's definition (pgjdbc's getIndexInfo), 0 all.
                BindAll(call);
                var indexAndColumn = Ast.EquatableArray.Of(call.Arguments[0], call.Arguments[1]);
                bound = CatalogCall(call with { Arguments = indexAndColumn }, "IndexColumnDefinition", SqlType.String,
                    [SqlType.Int, SqlType.Int], Snapshot(position), position);
                return true;
            case "PG_GET_INDEXDEF" or "PG_GET_CONSTRAINTDEF" when call.Arguments.Count >= 1:
                BindAll(call);
                bound = CatalogCall(call with { Arguments = Ast.EquatableArray.Of(call.Arguments[0]) },
                    name == "PG_GET_INDEXDEF" ? "IndexDefinition" : "ConstraintDefinition", SqlType.String,
                    [SqlType.Int], Snapshot(position), position);
                return true;
            case "ARRAY_TO_STRING" when call.Arguments.Count == 2:
                bound = Bind(call with { Name = Ast.QualifiedName.Of("array_join") });
                return true;
            default:
                return TryBindClientCall(call, name, position, out bound);
        }
    }

    private BoundExpr PgCall(Ast.FunctionCall call, Type type, string method, SqlType result, SqlType[] parameters)
    {
        var arguments = new BoundExpr[parameters.Length];
        for (var i = 0; i < arguments.Length; i++)
            arguments[i] = BindAs(call.Arguments[i], parameters[i], CastContext.Implicit);
        var info = FunctionDefinition.FindMethod(type, method, parameters.Length);
        var overload = new FunctionOverload(call.Name.Name.Value, info, new EquatableArray<SqlType>(parameters),
            result);
        return Fold(new BoundCall(overload, new EquatableArray<BoundExpr>(arguments), result));
    }

    /// <summary><c>date_bin(stride, ts, origin)</c>; the stride is an interval (milliseconds) or its text.</summary>
    private BoundExpr BindDateBin(Ast.FunctionCall call, int position)
    {
        var stride = BindInterval(call.Arguments[0], position);
        var timestamp = BindAs(call.Arguments[1], SqlType.Timestamp, CastContext.Implicit);
        var origin = BindAs(call.Arguments[2], SqlType.Timestamp, CastContext.Implicit);
        var info = FunctionDefinition.FindMethod(typeof(PgTimeFunctions), nameof(PgTimeFunctions.DateBin), 3);
        var overload = new FunctionOverload(call.Name.Name.Value, info,
            new EquatableArray<SqlType>([SqlType.BigInt, SqlType.BigInt, SqlType.BigInt]), SqlType.Timestamp);
        return Fold(new BoundCall(overload, new EquatableArray<BoundExpr>([stride,
            new BoundCast(timestamp, SqlType.BigInt), new BoundCast(origin, SqlType.BigInt)]), SqlType.Timestamp));
    }

    /// <summary>An interval: its text (<c>'15 minutes'</c>) or a number of milliseconds (INTERVAL literals).
    /// </summary>
    private BoundExpr BindInterval(Ast.Expr expression, int position)
    {
        if (expression is Ast.StringLiteral text)
            return PgTimeFunctions.ParseIntervalMs(text.Value) is { } ms ? new BoundLiteral(ms, SqlType.BigInt)
                : throw SqlException.InvalidText("interval", text.Value, position);
        var bound = Bind(expression, SqlType.BigInt);
        if (bound.Type.IsIntegral)
            return Coerce(bound, SqlType.BigInt, CastContext.Implicit, position);
        throw SqlException.FeatureNotSupported($"an interval computed from {bound.Type} (write INTERVAL '...' or "
            + "'...'::interval)", position);
    }

    private void BindAll(Ast.FunctionCall call)
    {
        foreach (var argument in call.Arguments)
            Bind(argument);
    }

    private Func<CatalogSnapshot> Snapshot(int position) => Session?.Snapshot
        ?? throw SqlException.FeatureNotSupported("catalog lookups outside a session's query", position);

    /// <summary>PostgreSQL 15's extract gives numeric (date_part stays double precision): six decimals for the
    /// fields with fractions of a second (epoch, second, julian), three for milliseconds, none for the rest.</summary>
    private static DecimalType ExtractType(Ast.FunctionCall call)
    {
        var field = call.Arguments.Count > 0 && call.Arguments[0] is Ast.StringLiteral literal
            ? literal.Value.ToLowerInvariant() : "epoch";
        var scale = field switch
        {
            "epoch" or "second" or "seconds" or "julian" => 6,
            "milliseconds" or "millisecond" => 3,
            _ => 0,
        };
        return new DecimalType(28, scale);
    }

    private BoundExpr CatalogCall(Ast.FunctionCall call, string method, SqlType result, SqlType[] parameters,
        object? context, int position)
    {
        if (call.Arguments.Count != parameters.Length)
            throw new SqlException(SqlState.UndefinedFunction,
                $"function {call.Name.Name.Value} takes {parameters.Length} arguments", position: position);
        var arguments = new BoundExpr[parameters.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = Bind(call.Arguments[i], parameters[i]);
            arguments[i] = Coerce(argument, parameters[i], CastContext.Implicit, position);
        }
        var info = FunctionDefinition.FindMethod(typeof(CatalogFunctions), method,
            parameters.Length + (context is null ? 0 : 1));
        var overload = new FunctionOverload(call.Name.Name.Value, info, new EquatableArray<SqlType>(parameters),
            result)
        { Context = context };
        return new BoundCall(overload, new EquatableArray<BoundExpr>(arguments), result);
    }

    /// <summary><c>x::regclass</c>, <c>x::regtype</c>, <c>x::regproc</c>, <c>x::oid</c> and their
    /// <c>::text</c>.</summary>
    private bool TryBindCatalogCast(Ast.CastExpr cast, out BoundExpr bound)
    {
        bound = null!;
        var position = PositionOf(cast);
        if (cast.Operand is Ast.CastExpr { Type.Name: "REGCLASS" or "REGTYPE" or "REGNAMESPACE" or "REGPROC" } inner
            && cast.Type.Name == Ast.SqlTypeNames.String)
        {
            bound = inner.Type.Name switch
            {
                "REGTYPE" => CatalogCall(Oid(inner), "RegTypeName", SqlType.String, [SqlType.Int], null, position),
                "REGNAMESPACE" =>
                    CatalogCall(Oid(inner), "RegNamespaceName", SqlType.String, [SqlType.Int], null, position),
                "REGPROC" => CatalogCall(Oid(inner), "RegProcName", SqlType.String, [SqlType.Int], null, position),
                _ => CatalogCall(Oid(inner), "RegClassName", SqlType.String, [SqlType.Int], Snapshot(position),
                    position),
            };
            return true;
        }
        if (cast.Type.Name == "INTERVAL")
        {
            bound = BindInterval(cast.Operand, position);
            return true;
        }
        if (cast.Type.Name is "REGCLASS" or "REGTYPE" or "OID" or "REGNAMESPACE" or "REGROLE")
        {
            bound = BindOidCast(cast, position);
            return true;
        }
        if (cast.Type.Name == "REGPROC")
        {
            var operand = Bind(cast.Operand, SqlType.String);
            bound = operand.Type.Kind == SqlTypeKind.String || operand is BoundLiteral { IsUntypedString: true }
                ? CatalogCall(new Ast.FunctionCall(Ast.QualifiedName.Of("regproc"), Ast.EquatableArray.Of(cast.Operand),
                    false, false, null), "RegProc", SqlType.Int, [SqlType.String], null, position)
                : operand;
            return true;
        }
        if (cast.Type is { Name: Ast.SqlTypeNames.Array, ElementTypes: { Count: 1 } elements }
            && elements[0].Name is "OID" or "REGTYPE" or "REGCLASS")
        {
            var target = new ArrayType(SqlType.Int);
            if (cast.Operand is Ast.Parameter parameter
                && SystemCatalog.PgTypes.TryGetByName(elements[0].Name.ToLowerInvariant(), out var element))
                _parameters.DeclarePgType(parameter.Index - 1, element.ArrayOid);
            bound = Coerce(Bind(cast.Operand, target), target, CastContext.Explicit, position);
            return true;
        }
        return false;
    }

    private static Ast.FunctionCall Oid(Ast.CastExpr cast) =>
        new(Ast.QualifiedName.Of("oid"), Ast.EquatableArray.Of<Ast.Expr>(cast), false, false, null);

    private BoundExpr BindOidCast(Ast.CastExpr cast, int position)
    {
        // A parameter cast to regclass or regtype is the name (psycopg's TypeInfo.fetch sends 'int4').
        var hint = cast.Operand is Ast.Parameter && cast.Type.Name is "REGCLASS" or "REGTYPE"
            ? SqlType.String : SqlType.Int;
        if (cast.Operand is Ast.Parameter parameter && cast.Type.Name == "OID")
            _parameters.DeclarePgType(parameter.Index - 1, SystemCatalog.PgTypes.Oid);
        var operand = Bind(cast.Operand, hint);
        if (operand.Type.Kind is SqlTypeKind.Int or SqlTypeKind.BigInt or SqlTypeKind.Null)
            return Coerce(operand, SqlType.Int, CastContext.Explicit, position);
        var text = Coerce(operand, SqlType.String, CastContext.Explicit, position);
        var call = new Ast.FunctionCall(Ast.QualifiedName.Of(cast.Type.Name.ToLowerInvariant()),
            Ast.EquatableArray.Of(cast.Operand), false, false, null);
        return cast.Type.Name switch
        {
            "REGCLASS" => CatalogCallOn(call, text, "RegClass", Snapshot(position)),
            "REGTYPE" => CatalogCallOn(call, text, "RegType", null),
            _ => Coerce(operand, SqlType.Int, CastContext.Explicit, position),
        };
    }

    private static BoundExpr CatalogCallOn(Ast.FunctionCall call, BoundExpr text, string method, object? context)
    {
        var info = FunctionDefinition.FindMethod(typeof(CatalogFunctions), method, context is null ? 1 : 2);
        var overload = new FunctionOverload(call.Name.Name.Value, info, new EquatableArray<SqlType>([SqlType.String]),
            SqlType.Int)
        { Context = context };
        return new BoundCall(overload, new EquatableArray<BoundExpr>([text]), SqlType.Int);
    }
}
