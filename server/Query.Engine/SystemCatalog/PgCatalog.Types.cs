using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.SystemCatalog;

/// <summary>pg_type (base types, arrays and each relation's row type) and pg_proc (the function registry).</summary>
public static partial class PgCatalog
{
    /// <summary>pg_proc OIDs of the registry's functions start here, one per signature.</summary>
    public const int FirstFunctionOid = 9000;

    private static IEnumerable<object?[]> Types(CatalogSnapshot s)
    {
        foreach (var type in PgTypes.All)
        {
            var input = type.IsArray && type.Name.StartsWith('_') ? "array_in" : type.Name + "in";
            yield return TypeRow(type.Oid, type.Name, type.Length, type.Kind, type.Category, 0, type.ElementOid,
                type.ArrayOid, input);
        }
        foreach (var relation in s.Relations)
        {
            yield return TypeRow(relation.RowTypeOid, relation.Definition.Name, -1, 'c', 'C', relation.Oid, 0, 0,
                "record_in");
        }
    }

    private static object?[] TypeRow(int oid, string name, short length, char kind, char category, int relation,
        int element, int array, string input) =>
    [
        oid, name, CatalogSnapshot.PgCatalogNamespace, CatalogSnapshot.OwnerOid, (int)length, length is > 0 and <= 8,
        kind, category, false, true, ",", relation, element != 0 ? "array_subscript_handler" : "-", element, array,
        input, input[..^2] + "out", input[..^2] + "recv", input[..^2] + "send", "-", "-", "-",
        length == 8 ? 'd' : 'i', length == -1 ? 'x' : 'p', false, 0, -1, 0,
        oid is PgTypes.Text or PgTypes.Varchar or PgTypes.Bpchar or PgTypes.Name ? 100 : 0, null, null, null,
    ];

    /// <summary>One pg_proc row per signature of each registered function (lower-case names, in pg_catalog).</summary>
    internal static IEnumerable<(int Oid, string Name, string Arguments, string Result, bool Aggregate)> Functions()
    {
        var oid = FirstFunctionOid;
        foreach (var function in FunctionRegistry.All.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var aggregate = function.Category.Equals("AGGREGATE", StringComparison.OrdinalIgnoreCase);
            foreach (var signature in function.Signatures)
            {
                var (arguments, result) = SplitSignature(signature);
                yield return (oid++, function.Name.ToLowerInvariant(), arguments, result, aggregate);
            }
        }
    }

    private static readonly Lazy<Dictionary<int, (string Name, string Arguments, string Result)>> FunctionsByOid =
        new(() => Functions().ToDictionary(f => f.Oid, f => (f.Name, f.Arguments, f.Result)));

    /// <summary>A registry function's name, arguments and result as its pg_proc row shows them, or null.</summary>
    internal static (string Name, string Arguments, string Result)? FunctionByOid(int oid) =>
        FunctionsByOid.Value.TryGetValue(oid, out var function) ? function : null;

    private static (string Arguments, string Result) SplitSignature(string signature)
    {
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        var arrow = signature.LastIndexOf("->", StringComparison.Ordinal);
        var close = arrow > 0 ? signature.LastIndexOf(')', arrow) : signature.LastIndexOf(')');
        var arguments = open >= 0 && close > open ? signature[(open + 1)..close].Trim() : "";
        var result = arrow > 0 ? signature[(arrow + 2)..].Trim() : "";
        return (arguments.ToLowerInvariant(), result.ToLowerInvariant());
    }

    private static IEnumerable<object?[]> Procs(CatalogSnapshot s)
    {
        foreach (var (oid, name, arguments, result, aggregate) in Functions())
        {
            int[] argumentTypes = arguments.Length == 0 ? [] : [.. SplitArguments(arguments).Select(ArgumentOid)];
            yield return
            [
                oid, name, CatalogSnapshot.PgCatalogNamespace, CatalogSnapshot.OwnerOid, 12, 1.0, 0.0, 0, "-",
                aggregate ? 'a' : 'f', false, false, false, false, 'i', 's', argumentTypes.Length, 0,
                ArgumentOid(result), argumentTypes, null, null, null, null, null, name, null, null, null, null,
            ];
        }
        foreach (var (oid, name) in InternalFunctions.All)
        {
            yield return
            [
                oid, name, CatalogSnapshot.PgCatalogNamespace, CatalogSnapshot.OwnerOid, 12, 1.0, 0.0, 0, "-", 'f',
                false, false, true, false, 'i', 's', 1, 0, PgTypes.Internal, new[] { PgTypes.Internal }, null, null,
                null, null, null, name, null, null, null, null,
            ];
        }
    }

    /// <summary>The OID of a signature's type: a scalar by name, an array of one, else (generic T, MAP, STRUCT,
    /// DECIMAL(p, s)) PostgreSQL's <c>text</c>, as the signature has no single PostgreSQL type.</summary>
    private static int ArgumentOid(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            return PgTypes.Void;
        if (trimmed.StartsWith("array<", StringComparison.Ordinal) && trimmed.EndsWith('>')
            && SqlTypeParser.ScalarByName(trimmed[6..^1]) is { } element)
            return PgTypes.OidOf(new ArrayType(element));
        return SqlTypeParser.ScalarByName(trimmed) is { } scalar ? PgTypes.OidOf(scalar) : PgTypes.Text;
    }

    /// <summary>Splits a signature's arguments at the commas outside brackets.</summary>
    private static List<string> SplitArguments(string arguments)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < arguments.Length; i++)
        {
            depth += arguments[i] switch { '<' or '(' => 1, '>' or ')' => -1, _ => 0 };
            if (arguments[i] == ',' && depth == 0)
            {
                parts.Add(arguments[start..i]);
                start = i + 1;
            }
        }
        parts.Add(arguments[start..]);
        return parts;
    }

    private static readonly SystemRelation TypeRelation = new("pg_catalog", "pg_type", 1247, 'r',
        "oid:oid, typname:name, typnamespace:oid, typowner:oid, typlen:int2, typbyval:bool, typtype:char, "
        + "typcategory:char, typispreferred:bool, typisdefined:bool, typdelim:char, typrelid:oid, "
        + "typsubscript:regproc, typelem:oid, typarray:oid, typinput:regproc, typoutput:regproc, "
        + "typreceive:regproc, typsend:regproc, typmodin:regproc, typmodout:regproc, typanalyze:regproc, "
        + "typalign:char, typstorage:char, typnotnull:bool, typbasetype:oid, typtypmod:int4, typndims:int4, "
        + "typcollation:oid, typdefaultbin:text, typdefault:text, typacl:aclitem[]", Types);

    private static readonly SystemRelation ProcRelation = new("pg_catalog", "pg_proc", 1255, 'r',
        "oid:oid, proname:name, pronamespace:oid, proowner:oid, prolang:oid, procost:float4, prorows:float4, "
        + "provariadic:oid, prosupport:regproc, prokind:char, prosecdef:bool, proleakproof:bool, proisstrict:bool, "
        + "proretset:bool, provolatile:char, proparallel:char, pronargs:int2, pronargdefaults:int2, "
        + "prorettype:oid, proargtypes:oidvector, proallargtypes:oid[], proargmodes:char[], proargnames:text[], "
        + "proargdefaults:text, protrftypes:oid[], prosrc:text, probin:text, prosqlbody:text, proconfig:text[], "
        + "proacl:aclitem[]", Procs);
}
