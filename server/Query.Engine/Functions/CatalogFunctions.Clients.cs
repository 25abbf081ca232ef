using System.Globalization;
using System.Text;
using Query.Engine.Errors;
using Query.Engine.SystemCatalog;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// Functions tools call beside the catalog relations: settings (<c>current_setting</c>), identifier quoting
/// (<c>quote_ident</c>, <c>parse_ident</c>), relation sizes (<c>pg_table_size</c>, <c>pg_size_pretty</c>),
/// array bounds and <c>string_to_array</c>, <c>json_build_object</c> and the descriptions of registry functions.
/// </summary>
public static partial class CatalogFunctions
{
    /// <summary><c>current_setting(name)</c>: the session's value; an unknown name is 42704 as in PostgreSQL.</summary>
    public static string CurrentSetting(Func<CatalogSnapshot> snapshot, string name) =>
        CurrentSettingOrNull(snapshot, name)
            ?? throw new SqlException(SqlState.UndefinedObject, $"unrecognized configuration parameter \"{name}\"");

    /// <summary><c>current_setting(name, true)</c>: NULL for an unknown name.</summary>
    public static string? CurrentSettingOrNull(Func<CatalogSnapshot> snapshot, string name) =>
        snapshot().Settings.TryGetValue(name.Trim(), out var value) ? value : null;

    /// <summary><c>quote_ident</c>: double-quoted unless it is a lower-case identifier that needs no quotes.</summary>
    public static string QuoteIdent(string name)
    {
        var plain = name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_');
        foreach (var c in name)
            plain &= char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_';
        return plain && !ReservedWords.Contains(name) ? name : $"\"{name.Replace("\"", "\"\"")}\"";
    }

    /// <summary>PostgreSQL's reserved key words, which quote_ident quotes.</summary>
    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
        "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role",
        "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
        "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in",
        "initially", "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
        "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning", "select",
        "session_user", "some", "symmetric", "table", "then", "to", "trailing", "true", "union", "unique", "user",
        "using", "variadic", "when", "where", "window", "with",
    };

    /// <summary><c>parse_ident('a."B".c')</c>: the parts, unquoted parts folded to lower case.</summary>
    public static SqlArray ParseIdent(string text)
    {
        var parts = new List<object?>();
        var current = new StringBuilder();
        var (quoted, wasQuoted) = (false, false);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"' && quoted && i + 1 < text.Length && text[i + 1] == '"')
            {
                current.Append('"');
                i++;
            }
            else if (c == '"')
            {
                (quoted, wasQuoted) = (!quoted, true);
            }
            else if (c == '.' && !quoted)
            {
                parts.Add(Part(current, wasQuoted, text));
                (current, wasQuoted) = (new StringBuilder(), false);
            }
            else
            {
                current.Append(c);
            }
        }
        if (quoted)
            throw new SqlException(SqlState.InvalidParameterValue, $"string is not a valid identifier: \"{text}\"");
        parts.Add(Part(current, wasQuoted, text));
        return new SqlArray([.. parts]);
    }

    private static string Part(StringBuilder part, bool quoted, string text)
    {
        var value = quoted ? part.ToString() : part.ToString().Trim();
        if (value.Length == 0)
            throw new SqlException(SqlState.InvalidParameterValue, $"string is not a valid identifier: \"{text}\"");
        return quoted ? value : Grammar.Ast.Identifier.Fold(value);
    }

    /// <summary><c>pg_table_size(oid)</c>: the bytes of the relation's log segments, 0 for a system relation.</summary>
    public static long RelationSize(Func<CatalogSnapshot> snapshot, int oid)
    {
        var s = snapshot();
        return s.TryGetRelation(oid, out var relation) ? s.RelationBytes(relation.Definition.Name) : 0;
    }

    /// <summary><c>pg_size_pretty(bigint)</c>, PostgreSQL's rounding: bytes below 10 kB, then kB, MB, GB, TB.</summary>
    public static string SizePretty(long bytes)
    {
        const long Limit = 10 * 1024;
        if (Math.Abs(bytes) < Limit)
            return bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
        string[] units = ["kB", "MB", "GB", "TB", "PB"];
        var half = bytes / 512;
        foreach (var unit in units)
        {
            if (Math.Abs(half) < Limit * 2 || unit == "PB")
                return ((half + (half >= 0 ? 1 : -1)) / 2).ToString(CultureInfo.InvariantCulture) + " " + unit;
            half /= 1024;
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
    }

    /// <summary><c>string_to_array(text, delimiter)</c>; an empty string is an empty array, a NULL delimiter
    /// splits into characters.</summary>
    public static SqlArray StringToArray(string text, string delimiter)
    {
        if (text.Length == 0)
            return new SqlArray([]);
        return delimiter.Length == 0
            ? new SqlArray([text])
            : new SqlArray([.. text.Split(delimiter).Select(p => (object?)p)]);
    }

    /// <summary><c>array_lower(a, 1)</c>: 1 for a non-empty array's first dimension, else NULL.</summary>
    public static int? ArrayLower(SqlArray array, int dimension) => dimension == 1 && array.Count > 0 ? 1 : null;

    /// <summary><c>array_upper(a, 1)</c> and <c>array_length(a, 1)</c>: the element count, NULL when empty.</summary>
    public static int? ArrayUpper(SqlArray array, int dimension) =>
        dimension == 1 && array.Count > 0 ? array.Count : null;

    /// <summary><c>json_build_object(k, v, ...)</c> over values rendered as JSON.</summary>
    public static string JsonBuildObject(SqlType[] types, object?[] values)
    {
        if (values.Length % 2 != 0)
            throw new SqlException(SqlState.InvalidParameterValue,
                "argument list must have even number of elements");
        var json = new StringBuilder("{");
        for (var i = 0; i < values.Length; i += 2)
        {
            if (values[i] is null)
                throw new SqlException(SqlState.InvalidParameterValue, "null value not allowed for object key");
            if (i > 0)
                json.Append(", ");
            json.Append(JsonTextFunctions.ToJsonString(SqlType.String, ValueText.Format(values[i], types[i])))
                .Append(" : ")
                .Append(JsonTextFunctions.ToJsonString(types[i + 1], values[i + 1]));
        }
        return json.Append('}').ToString();
    }

    /// <summary><c>pg_get_function_result(oid)</c> of a registry function's pg_proc row.</summary>
    public static string? FunctionResult(int oid) =>
        PgCatalog.FunctionByOid(oid) is { } function ? function.Result : null;

    /// <summary><c>pg_get_function_arguments(oid)</c> of a registry function's pg_proc row.</summary>
    public static string? FunctionArguments(int oid) =>
        PgCatalog.FunctionByOid(oid) is { } function ? function.Arguments : null;

    /// <summary><c>oid::regnamespace::text</c>: the schema's name, or the OID as text.</summary>
    public static string RegNamespaceName(int oid) => oid switch
    {
        CatalogSnapshot.PgCatalogNamespace => "pg_catalog",
        CatalogSnapshot.PublicNamespace => "public",
        CatalogSnapshot.InformationSchemaNamespace => "information_schema",
        _ => oid.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary><c>pg_relation_is_publishable(oid)</c>: true for a stream or table, not a system relation.</summary>
    public static bool IsUserRelation(Func<CatalogSnapshot> snapshot, int oid) => snapshot().TryGetRelation(oid, out _);

    private static int? RegProcOid(string name)
    {
        if (name == "-")
            return 0;
        var oid = InternalFunctions.OidOf(name);
        if (oid != 0)
            return oid;
        foreach (var function in PgCatalog.Functions())
        {
            if (function.Name == name)
                return function.Oid;
        }
        return null;
    }

    /// <summary><c>oid::regproc::text</c>: the function's name, <c>-</c> for 0, or the OID as text.</summary>
    public static string RegProcName(int oid) => oid == 0 ? "-"
        : InternalFunctions.NameOf(oid) ?? (PgCatalog.FunctionByOid(oid) is { } f ? f.Name
            : oid.ToString(CultureInfo.InvariantCulture));
}
