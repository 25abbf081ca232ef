using System.Text.Json;

namespace Query.Engine.Types;

/// <summary>
/// Writes engine values as JSON the way ksqlDB's JSON format does: numbers as numbers, DECIMAL as a number
/// with its scale, TIMESTAMP as epoch ms, DATE as days, TIME as ms of day, BYTES as base64, STRUCT as an
/// object keyed by field name, MAP as an object (keys as text).
/// </summary>
public static class JsonValueWriter
{
    public static void Write(Utf8JsonWriter writer, object? value, SqlType type)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        switch (type)
        {
            case ArrayType array:
                WriteArray(writer, (SqlArray)value, array);
                return;
            case MapType map:
                WriteMap(writer, (SqlMap)value, map);
                return;
            case StructType structType:
                WriteStruct(writer, (SqlStruct)value, structType);
                return;
        }
        WriteScalar(writer, value, type.Kind == SqlTypeKind.Null ? TypeOfValue(value) : type);
    }

    private static void WriteScalar(Utf8JsonWriter writer, object value, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean: writer.WriteBooleanValue((bool)value); break;
            case SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time: writer.WriteNumberValue((int)value); break;
            case SqlTypeKind.BigInt or SqlTypeKind.Timestamp: writer.WriteNumberValue((long)value); break;
            case SqlTypeKind.Double:
                var d = (double)value;
                if (double.IsFinite(d))
                    writer.WriteNumberValue(d);
                else
                    writer.WriteStringValue(ValueText.FormatDouble(d));
                break;
            case SqlTypeKind.Decimal when value is WideDecimal wide: writer.WriteRawValue(wide.ToString()); break;
            case SqlTypeKind.Decimal: writer.WriteNumberValue((decimal)value); break;
            case SqlTypeKind.Bytes: writer.WriteBase64StringValue((byte[])value); break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    private static void WriteArray(Utf8JsonWriter writer, SqlArray value, ArrayType type)
    {
        writer.WriteStartArray();
        foreach (var item in value.Items)
            Write(writer, item, type.Element);
        writer.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter writer, SqlMap value, MapType type)
    {
        writer.WriteStartObject();
        for (var i = 0; i < value.Count; i++)
        {
            writer.WritePropertyName(ValueText.Format(value.Keys[i], type.Key));
            Write(writer, value.Values[i], type.Value);
        }
        writer.WriteEndObject();
    }

    private static void WriteStruct(Utf8JsonWriter writer, SqlStruct value, StructType type)
    {
        writer.WriteStartObject();
        for (var i = 0; i < type.Fields.Count; i++)
        {
            writer.WritePropertyName(type.Fields[i].Name);
            Write(writer, i < value.Fields.Length ? value.Fields[i] : null, type.Fields[i].Type);
        }
        writer.WriteEndObject();
    }

    private static SqlType TypeOfValue(object value) => value switch
    {
        bool => SqlType.Boolean,
        int => SqlType.Int,
        long => SqlType.BigInt,
        double => SqlType.Double,
        decimal => new DecimalType(DecimalType.MaxPrecision, 0),
        WideDecimal => new DecimalType(DecimalType.WideMaxPrecision, 0),
        byte[] => SqlType.Bytes,
        _ => SqlType.String,
    };
}
