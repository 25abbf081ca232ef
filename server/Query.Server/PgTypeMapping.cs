using Query.Engine.Binding;
using Query.Engine.Types;
using Query.PgWire;
using Query.PgWire.Types;

namespace Query.Server;

/// <summary>
/// The engine's SQL types as PostgreSQL type OIDs. TIMESTAMP is epoch milliseconds without a zone, so it is
/// <c>timestamp</c>; MAP and STRUCT travel as <c>json</c>; ARRAY of a scalar is that scalar's array type.
/// </summary>
internal static class PgTypeMapping
{
    /// <summary>A system catalog column keeps the PostgreSQL type it declares (oid, name, "char").</summary>
    public static PgColumn ToPgColumn(ColumnInfo column) =>
        new(column.Name, column.PgTypeOid != 0 ? column.PgTypeOid : OidOf(column.Type), TypeModifierOf(column.Type));

    public static int OidOf(SqlType type) => type switch
    {
        ArrayType array => PgTypeTable.ArrayOf(OidOf(array.Element)) is var oid && oid != 0 ? oid : PgTypeOid.Json,
        MapType or StructType => PgTypeOid.Json,
        _ => type.Kind switch
        {
            SqlTypeKind.Boolean => PgTypeOid.Bool,
            SqlTypeKind.Int => PgTypeOid.Int4,
            SqlTypeKind.BigInt => PgTypeOid.Int8,
            SqlTypeKind.Double => PgTypeOid.Float8,
            SqlTypeKind.Decimal => PgTypeOid.Numeric,
            SqlTypeKind.String => PgTypeOid.Text,
            SqlTypeKind.Bytes => PgTypeOid.Bytea,
            SqlTypeKind.Timestamp => PgTypeOid.Timestamp,
            SqlTypeKind.Date => PgTypeOid.Date,
            SqlTypeKind.Time => PgTypeOid.Time,
            _ => PgTypeOid.Text,
        },
    };

    /// <summary>numeric(p, s) carries ((p &lt;&lt; 16) | s) + 4, as PostgreSQL's typmod does.</summary>
    public static int TypeModifierOf(SqlType type) =>
        type is DecimalType d ? ((d.Precision << 16) | d.Scale) + 4 : -1;
}
