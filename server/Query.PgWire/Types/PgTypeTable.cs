using System.Collections.Frozen;

namespace Query.PgWire.Types;

/// <summary>
/// The server's own pg_type: PostgreSQL 15's canonical names and OIDs (Npgsql binds converters by
/// <c>pg_catalog.name</c>, so both must match PostgreSQL exactly). Every OID a session may put in a RowDescription
/// or ParameterDescription must be here, because Npgsql asks for binary results before it has seen the types.
/// </summary>
public static class PgTypeTable
{
    private static readonly PgTypeInfo[] BaseTypes =
    [
        new(PgTypeOid.Bool, "bool", 1, 'b', 0, PgTypeOid.BoolArray),
        new(PgTypeOid.Bytea, "bytea", -1, 'b', 0, PgTypeOid.ByteaArray),
        new(PgTypeOid.Char, "char", 1, 'b', 0, 1002),
        new(PgTypeOid.Name, "name", 64, 'b', 0, 1003),
        new(PgTypeOid.Int8, "int8", 8, 'b', 0, PgTypeOid.Int8Array),
        new(PgTypeOid.Int2, "int2", 2, 'b', 0, PgTypeOid.Int2Array),
        new(PgTypeOid.Int4, "int4", 4, 'b', 0, PgTypeOid.Int4Array),
        new(PgTypeOid.Text, "text", -1, 'b', 0, PgTypeOid.TextArray),
        new(PgTypeOid.Oid, "oid", 4, 'b', 0, 1028),
        new(PgTypeOid.Json, "json", -1, 'b', 0, 199),
        new(PgTypeOid.Float4, "float4", 4, 'b', 0, PgTypeOid.Float4Array),
        new(PgTypeOid.Float8, "float8", 8, 'b', 0, PgTypeOid.Float8Array),
        new(PgTypeOid.Unknown, "unknown", -2, 'p', 0, 0),
        new(PgTypeOid.Bpchar, "bpchar", -1, 'b', 0, 1014),
        new(PgTypeOid.Varchar, "varchar", -1, 'b', 0, PgTypeOid.VarcharArray),
        new(PgTypeOid.Date, "date", 4, 'b', 0, PgTypeOid.DateArray),
        new(PgTypeOid.Time, "time", 8, 'b', 0, 1183),
        new(PgTypeOid.Timestamp, "timestamp", 8, 'b', 0, PgTypeOid.TimestampArray),
        new(PgTypeOid.TimestampTz, "timestamptz", 8, 'b', 0, PgTypeOid.TimestampTzArray),
        new(PgTypeOid.Interval, "interval", 16, 'b', 0, 1187),
        new(PgTypeOid.Numeric, "numeric", -1, 'b', 0, PgTypeOid.NumericArray),
        new(PgTypeOid.Uuid, "uuid", 16, 'b', 0, PgTypeOid.UuidArray),
        new(PgTypeOid.Jsonb, "jsonb", -1, 'b', 0, PgTypeOid.JsonbArray),
        new(PgTypeOid.Record, "record", -1, 'p', 0, 2287),
        new(PgTypeOid.Void, "void", 4, 'p', 0, 0),
    ];

    /// <summary>Base types first, then arrays (Npgsql resolves elements before their arrays).</summary>
    public static IReadOnlyList<PgTypeInfo> All { get; } = BuildAll();

    private static readonly FrozenDictionary<int, PgTypeInfo> ByOid = All.ToFrozenDictionary(t => t.Oid);

    public static bool TryGet(int oid, out PgTypeInfo info) => ByOid.TryGetValue(oid, out info!);

    /// <summary>The type for an OID; unknown OIDs are reported as text so a result never breaks a client.</summary>
    public static PgTypeInfo Get(int oid) => ByOid.TryGetValue(oid, out var info) ? info : ByOid[PgTypeOid.Text];

    /// <summary>Element OID of an array type, or 0 when <paramref name="oid"/> is not an array.</summary>
    public static int ElementOf(int oid) => ByOid.TryGetValue(oid, out var info) && info.IsArray ? info.ElementOid : 0;

    public static int ArrayOf(int elementOid) => ByOid.TryGetValue(elementOid, out var info) ? info.ArrayOid : 0;

    /// <summary>PostgreSQL's <c>format_type(oid, typmod)</c> for psql's <c>\d</c>.</summary>
    public static string FormatType(int oid, int typeModifier)
    {
        var info = Get(oid);
        if (info.IsArray)
            return FormatType(info.ElementOid, typeModifier) + "[]";
        return oid switch
        {
            PgTypeOid.Int2 => "smallint",
            PgTypeOid.Int4 => "integer",
            PgTypeOid.Int8 => "bigint",
            PgTypeOid.Float4 => "real",
            PgTypeOid.Float8 => "double precision",
            PgTypeOid.Bool => "boolean",
            PgTypeOid.Varchar => typeModifier > 4 ? $"character varying({typeModifier - 4})" : "character varying",
            PgTypeOid.Timestamp => "timestamp without time zone",
            PgTypeOid.TimestampTz => "timestamp with time zone",
            PgTypeOid.Time => "time without time zone",
            PgTypeOid.Numeric when typeModifier >= 4 =>
                $"numeric({((typeModifier - 4) >> 16) & 0xFFFF},{(typeModifier - 4) & 0xFFFF})",
            _ => info.Name,
        };
    }

    private static PgTypeInfo[] BuildAll()
    {
        var all = new List<PgTypeInfo>(BaseTypes);
        foreach (var element in BaseTypes)
        {
            if (element.ArrayOid != 0)
                all.Add(new(element.ArrayOid, "_" + element.Name, -1, 'a', element.Oid, 0));
        }
        return [.. all];
    }
}
