namespace Query.PgWire.Types;

/// <summary>PostgreSQL's canonical type OIDs for the types this server produces or accepts.</summary>
public static class PgTypeOid
{
    public const int Unspecified = 0;
    public const int Bool = 16;
    public const int Bytea = 17;
    public const int Char = 18;
    public const int Name = 19;
    public const int Int8 = 20;
    public const int Int2 = 21;
    public const int Int4 = 23;
    public const int Text = 25;
    public const int Oid = 26;
    public const int Json = 114;
    public const int Float4 = 700;
    public const int Float8 = 701;
    public const int Unknown = 705;
    public const int Bpchar = 1042;
    public const int Varchar = 1043;
    public const int Date = 1082;
    public const int Time = 1083;
    public const int Timestamp = 1114;
    public const int TimestampTz = 1184;
    public const int Interval = 1186;
    public const int Numeric = 1700;
    public const int Uuid = 2950;
    public const int Jsonb = 3802;
    public const int Record = 2249;
    public const int Void = 2278;

    public const int BoolArray = 1000;
    public const int ByteaArray = 1001;
    public const int Int8Array = 1016;
    public const int Int2Array = 1005;
    public const int Int4Array = 1007;
    public const int TextArray = 1009;
    public const int Float4Array = 1021;
    public const int Float8Array = 1022;
    public const int VarcharArray = 1015;
    public const int DateArray = 1182;
    public const int TimestampArray = 1115;
    public const int TimestampTzArray = 1185;
    public const int NumericArray = 1231;
    public const int UuidArray = 2951;
    public const int JsonbArray = 3807;
}
