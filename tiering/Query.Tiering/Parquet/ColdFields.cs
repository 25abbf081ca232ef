using Parquet.Schema;
using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>Maps cold types to Parquet fields (lower-case names) and their leaves to typed buffers.</summary>
internal static class ColdFields
{
    private const long TicksPerMs = TimeSpan.TicksPerMillisecond;
    private const int UnixEpochDayNumber = 719_162;      // DateOnly.DayNumber of 1970-01-01

    /// <summary>Earliest and latest epoch milliseconds that a Parquet TIMESTAMP written via DateTime holds.</summary>
    public static readonly long MinTimestampMs = (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerMs;
    public static readonly long MaxTimestampMs = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerMs;

    public static Field Create(string name, ColdType type, bool nullable = true)
    {
        name = name.ToLowerInvariant();
        return type switch
        {
            ColdDecimalType d => new DecimalDataField(name, d.Precision, d.Scale, false, nullable),
            ColdListType l => new ListField(name, Create(ListField.ElementName, l.Element)),
            ColdMapType m => new MapField(name, Create("key", m.Key, nullable: false), Create("value", m.Value)),
            ColdStructType s => new StructField(name, CreateAll(s.Fields)),
            _ => CreateScalar(name, type.Kind, nullable),
        };
    }

    private static Field[] CreateAll(IReadOnlyList<ColdColumn> columns)
    {
        var fields = new Field[columns.Count];
        for (var i = 0; i < fields.Length; i++)
            fields[i] = Create(columns[i].Name, columns[i].Type);
        return fields;
    }

    private static DataField CreateScalar(string name, ColdTypeKind kind, bool nullable) => kind switch
    {
        ColdTypeKind.Boolean => new DataField<bool>(name, nullable),
        ColdTypeKind.Int32 => new DataField<int>(name, nullable),
        ColdTypeKind.Int64 => new DataField<long>(name, nullable),
        ColdTypeKind.Double => new DataField<double>(name, nullable),
        ColdTypeKind.String => new DataField<string>(name, nullable),
        ColdTypeKind.Bytes => new DataField<byte[]>(name, nullable),
        ColdTypeKind.Timestamp => TimestampField(name, nullable),
        ColdTypeKind.Date => new DataField<DateOnly>(name, nullable),
        ColdTypeKind.Time => new TimeDataField(name, TimeUnitPrecision.Micros, nullable),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a scalar cold type"),
    };

    /// <summary>
    /// TIMESTAMP(MILLIS, UTC), never Parquet.Net's INT96 default. Millis, not micros: ROWTIME and TIMESTAMP are
    /// milliseconds in the engine, and Parquet.Net 6.1.0 writes the min/max statistics of a MICROS column in
    /// milliseconds, so DuckDB pruned row groups by them and silently dropped matching rows (measured).
    /// </summary>
    public static DateTimeDataField TimestampField(string name, bool nullable) =>
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: nullable);

    public static LeafColumn CreateLeaf(ColdType type, DataField field, int maxDefinition) => type.Kind switch
    {
        ColdTypeKind.Boolean => new LeafColumn<bool>(field, maxDefinition,
            static (in ColdValue v) => v.Bits != 0, static b => ColdValue.FromInt64(b ? 1 : 0), 1),
        ColdTypeKind.Int32 => new LeafColumn<int>(field, maxDefinition,
            static (in ColdValue v) => (int)v.Bits, static i => ColdValue.FromInt64(i), 4),
        ColdTypeKind.Int64 => new LeafColumn<long>(field, maxDefinition,
            static (in ColdValue v) => v.Bits, ColdValue.FromInt64, 8),
        ColdTypeKind.Double => new LeafColumn<double>(field, maxDefinition,
            static (in ColdValue v) => v.AsDouble, ColdValue.FromDouble, 8),
        ColdTypeKind.Decimal => new LeafColumn<decimal>(field, maxDefinition,
            static (in ColdValue v) => v.Decimal, ColdValue.FromDecimal, 16),
        ColdTypeKind.String => new LeafColumn<ReadOnlyMemory<char>>(field, maxDefinition,
            static (in ColdValue v) => ((string)v.Ref!).AsMemory(), static s => ColdValue.FromRef(s.ToString()), 0),
        ColdTypeKind.Bytes => new LeafColumn<ReadOnlyMemory<byte>>(field, maxDefinition,
            static (in ColdValue v) => (byte[])v.Ref!, static b => ColdValue.FromRef(b.ToArray()), 0),
        ColdTypeKind.Timestamp => new LeafColumn<DateTime>(field, maxDefinition,
            static (in ColdValue v) => ToDateTime(v.Bits), static t => ColdValue.FromInt64(ToEpochMs(t)), 8),
        ColdTypeKind.Date => new LeafColumn<DateOnly>(field, maxDefinition,
            static (in ColdValue v) => DateOnly.FromDayNumber((int)v.Bits + UnixEpochDayNumber),
            static d => ColdValue.FromInt64(d.DayNumber - UnixEpochDayNumber), 4),
        ColdTypeKind.Time => new LeafColumn<long>(field, maxDefinition,
            static (in ColdValue v) => v.Bits * 1000, static us => ColdValue.FromInt64(us / 1000), 8),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Kind, "not a scalar cold type"),
    };

    public static DateTime ToDateTime(long epochMs) =>
        new(DateTime.UnixEpoch.Ticks + (epochMs * TicksPerMs), DateTimeKind.Utc);

    public static long ToEpochMs(DateTime time) => (time.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerMs;

    public static bool FitsTimestamp(long epochMs) => epochMs >= MinTimestampMs && epochMs <= MaxTimestampMs;
}
