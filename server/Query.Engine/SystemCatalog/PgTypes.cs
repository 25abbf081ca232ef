using Query.Engine.Types;

namespace Query.Engine.SystemCatalog;

/// <summary>One row of pg_type: PostgreSQL 15's name, OID and shape of a type the catalog can show.</summary>
/// <param name="Oid">PostgreSQL's OID.</param>
/// <param name="Name">typname.</param>
/// <param name="Length">typlen (-1 varlena, -2 C string).</param>
/// <param name="Kind">typtype: b base, p pseudo, c composite.</param>
/// <param name="Category">typcategory (N numeric, S string, A array, ...).</param>
/// <param name="ArrayOid">typarray, 0 without one.</param>
/// <param name="ElementOid">typelem of an array type, else 0.</param>
public sealed record PgType(int Oid, string Name, short Length, char Kind, char Category, int ArrayOid,
    int ElementOid = 0)
{
    public bool IsArray => ElementOid != 0;
}

/// <summary>
/// The types pg_type lists: PostgreSQL 15's OIDs and names (clients match them: Npgsql and psycopg by name, asyncpg
/// and pgjdbc by OID), the array type of each, and the mapping of the engine's types onto them (the same mapping the
/// wire layer uses for RowDescription: TIMESTAMP is <c>timestamp</c>, MAP and STRUCT travel as <c>json</c>).
/// </summary>
public static class PgTypes
{
    public const int Bool = 16, Bytea = 17, Char = 18, Name = 19, Int8 = 20, Int2 = 21, Int2Vector = 22, Int4 = 23,
        RegProc = 24, Text = 25, Oid = 26, OidVector = 30, Json = 114, Float4 = 700, Float8 = 701, Unknown = 705,
        Bpchar = 1042, Varchar = 1043, Date = 1082, Time = 1083, Timestamp = 1114, TimestampTz = 1184,
        Interval = 1186, Numeric = 1700, RegType = 2206, RegClass = 2205, Uuid = 2950, Jsonb = 3802, Record = 2249,
        Void = 2278, AnyArray = 2277, Int4Range = 3904, RegNamespace = 4089, Trigger = 2279, PgNodeTree = 194,
        AclItem = 1033, Internal = 2281, OidArray = 1028;

    private static readonly PgType[] BaseTypes =
    [
        new(Bool, "bool", 1, 'b', 'B', 1000),
        new(Bytea, "bytea", -1, 'b', 'U', 1001),
        new(Char, "char", 1, 'b', 'Z', 1002),
        new(Name, "name", 64, 'b', 'S', 1003),
        new(Int8, "int8", 8, 'b', 'N', 1016),
        new(Int2, "int2", 2, 'b', 'N', 1005),
        new(Int2Vector, "int2vector", -1, 'b', 'A', 1006, Int2),
        new(Int4, "int4", 4, 'b', 'N', 1007),
        new(RegProc, "regproc", 4, 'b', 'N', 1008),
        new(Text, "text", -1, 'b', 'S', 1009),
        new(Oid, "oid", 4, 'b', 'N', 1028),
        new(OidVector, "oidvector", -1, 'b', 'A', 1013, Oid),
        new(Json, "json", -1, 'b', 'U', 199),
        new(Float4, "float4", 4, 'b', 'N', 1021),
        new(Float8, "float8", 8, 'b', 'N', 1022),
        new(Unknown, "unknown", -2, 'p', 'X', 0),
        new(Bpchar, "bpchar", -1, 'b', 'S', 1014),
        new(Varchar, "varchar", -1, 'b', 'S', 1015),
        new(Date, "date", 4, 'b', 'D', 1182),
        new(Time, "time", 8, 'b', 'D', 1183),
        new(Timestamp, "timestamp", 8, 'b', 'D', 1115),
        new(TimestampTz, "timestamptz", 8, 'b', 'D', 1185),
        new(Interval, "interval", 16, 'b', 'T', 1187),
        new(Numeric, "numeric", -1, 'b', 'N', 1231),
        new(RegClass, "regclass", 4, 'b', 'N', 2210),
        new(RegType, "regtype", 4, 'b', 'N', 2211),
        new(Uuid, "uuid", 16, 'b', 'U', 2951),
        new(Jsonb, "jsonb", -1, 'b', 'U', 3807),
        new(Record, "record", -1, 'p', 'P', 2287),
        new(Void, "void", 4, 'p', 'P', 0),
        new(AnyArray, "anyarray", -1, 'p', 'P', 0),
        new(Trigger, "trigger", 4, 'p', 'P', 0),
        new(3838, "event_trigger", 4, 'p', 'P', 0),
        new(2275, "cstring", -2, 'p', 'P', 1263),
        new(2276, "any", 4, 'p', 'P', 0),
        new(2283, "anyelement", 4, 'p', 'P', 0),
        new(Internal, "internal", 8, 'p', 'P', 0),
        new(2280, "language_handler", 4, 'p', 'P', 0),
        new(28, "xid", 4, 'b', 'U', 1011),
        new(27, "tid", 6, 'b', 'U', 1010),
        new(29, "cid", 4, 'b', 'U', 1012),
        new(PgNodeTree, "pg_node_tree", -1, 'b', 'Z', 0),
        new(AclItem, "aclitem", 12, 'b', 'U', 1034),
        new(RegNamespace, "regnamespace", 4, 'b', 'N', 4090),
        new(4096, "regrole", 4, 'b', 'N', 4097),
        new(2202, "regprocedure", 4, 'b', 'N', 2207),
        new(2203, "regoper", 4, 'b', 'N', 2208),
        new(2204, "regoperator", 4, 'b', 'N', 2209),
        new(3734, "regconfig", 4, 'b', 'N', 3735),
        new(3769, "regdictionary", 4, 'b', 'N', 3770),
        new(1266, "timetz", 12, 'b', 'D', 1270),
        new(869, "inet", -1, 'b', 'I', 1041),
        new(650, "cidr", -1, 'b', 'I', 651),
        new(829, "macaddr", 6, 'b', 'U', 1040),
        new(1560, "bit", -1, 'b', 'V', 1561),
        new(1562, "varbit", -1, 'b', 'V', 1563),
        new(790, "money", 8, 'b', 'N', 791),
        new(142, "xml", -1, 'b', 'U', 143),
        new(3614, "tsvector", -1, 'b', 'U', 3643),
        new(3615, "tsquery", -1, 'b', 'U', 3645),
        new(4072, "jsonpath", -1, 'b', 'U', 4073),
    ];

    /// <summary>Every type: base types, then their arrays (named <c>_element</c>, as PostgreSQL names them).</summary>
    public static IReadOnlyList<PgType> All { get; } = BuildAll();

    private static readonly Dictionary<int, PgType> ByOid = All.ToDictionary(t => t.Oid);

    private static readonly Dictionary<string, PgType> ByName =
        All.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(int oid, out PgType type) => ByOid.TryGetValue(oid, out type!);

    public static bool TryGetByName(string name, out PgType type) => ByName.TryGetValue(name, out type!);

    /// <summary>The OID the engine's type travels as.</summary>
    public static int OidOf(SqlType type) => type switch
    {
        ArrayType array => ByOid.TryGetValue(OidOf(array.Element), out var element) && element.ArrayOid != 0
            ? element.ArrayOid : Json,
        MapType or StructType => Json,
        _ => type.Kind switch
        {
            SqlTypeKind.Boolean => Bool,
            SqlTypeKind.Int => Int4,
            SqlTypeKind.BigInt => Int8,
            SqlTypeKind.Double => Float8,
            SqlTypeKind.Decimal => Numeric,
            SqlTypeKind.Bytes => Bytea,
            SqlTypeKind.Timestamp => Timestamp,
            SqlTypeKind.Date => Date,
            SqlTypeKind.Time => Time,
            _ => Text,
        },
    };

    /// <summary>numeric(p, s) carries ((p &lt;&lt; 16) | s) + 4, as PostgreSQL's typmod does; -1 otherwise.</summary>
    public static int TypeModifierOf(SqlType type) =>
        type is DecimalType d ? ((d.Precision << 16) | d.Scale) + 4 : -1;

    /// <summary>PostgreSQL's <c>format_type(oid, typmod)</c> (<c>???</c> for an OID it does not know).</summary>
    public static string FormatType(int oid, int typeModifier)
    {
        if (!ByOid.TryGetValue(oid, out var type))
            return "???";
        if (type.IsArray && type.Category == 'A' && type.Name.StartsWith('_'))
            return FormatType(type.ElementOid, typeModifier) + "[]";
        return oid switch
        {
            Int2 => "smallint",
            Int4 => "integer",
            Int8 => "bigint",
            Float4 => "real",
            Float8 => "double precision",
            Bool => "boolean",
            Char => "\"char\"",
            Varchar => typeModifier > 4 ? $"character varying({typeModifier - 4})" : "character varying",
            Bpchar => typeModifier > 4 ? $"character({typeModifier - 4})" : "bpchar",
            Timestamp => "timestamp without time zone",
            TimestampTz => "timestamp with time zone",
            Time => "time without time zone",
            Numeric when typeModifier >= 4 =>
                $"numeric({((typeModifier - 4) >> 16) & 0xFFFF},{(typeModifier - 4) & 0xFFFF})",
            _ => type.Name,
        };
    }

    private static PgType[] BuildAll()
    {
        var all = new List<PgType>(BaseTypes);
        foreach (var element in BaseTypes)
        {
            if (element.ArrayOid != 0)
                all.Add(new(element.ArrayOid, "_" + element.Name, -1, 'b', 'A', 0, element.Oid));
        }
        return [.. all];
    }
}
