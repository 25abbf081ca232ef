using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Query.Engine.Types;

/// <summary>
/// Text forms of engine values: scalars as PostgreSQL prints them (CAST(x AS STRING), EXPLAIN, SHOW) and
/// ARRAY / MAP / STRUCT as JSON, which every client can read.
/// </summary>
public static class ValueText
{
    public static string Format(object? value, SqlType type)
    {
        if (value is null)
            return "NULL";
        return type.Kind switch
        {
            SqlTypeKind.Boolean => (bool)value ? "true" : "false",
            SqlTypeKind.Int => ((int)value).ToString(CultureInfo.InvariantCulture),
            SqlTypeKind.BigInt => ((long)value).ToString(CultureInfo.InvariantCulture),
            SqlTypeKind.Double => FormatDouble((double)value),
            SqlTypeKind.Decimal when value is WideDecimal wide => wide.ToString(),
            SqlTypeKind.Decimal => ((decimal)value).ToString(CultureInfo.InvariantCulture),
            SqlTypeKind.String => (string)value,
            SqlTypeKind.Bytes => "\\x" + Convert.ToHexStringLower((byte[])value),
            SqlTypeKind.Timestamp => Temporal.FormatTimestamp((long)value),
            SqlTypeKind.Date => Temporal.FormatDate((int)value),
            SqlTypeKind.Time => Temporal.FormatTime((int)value),
            SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Struct => ToJson(value, type),
            _ => value.ToString() ?? "",
        };
    }

    public static string FormatDouble(double value) =>
        double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);

    public static string ToJson(object? value, SqlType type)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            JsonValueWriter.Write(writer, value, type);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
