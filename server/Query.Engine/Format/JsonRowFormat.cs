using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Query.Engine.Types;

namespace Query.Engine.Format;

/// <summary>
/// VALUE_FORMAT='JSON': a row is a JSON object keyed by column name, as ksqlDB writes it, so other tools can read
/// the log. Reading matches names case-insensitively; absent properties are NULL; unknown ones are ignored.
/// </summary>
public static class JsonRowFormat
{
    public static void Write(ArrayBufferWriter<byte> buffer, ReadOnlySpan<Cell> cells, IReadOnlyList<string> names,
        IReadOnlyList<SqlType> types)
    {
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        for (var i = 0; i < cells.Length; i++)
        {
            writer.WritePropertyName(names[i]);
            JsonValueWriter.Write(writer, cells[i].ToObject(types[i]), types[i]);
        }
        writer.WriteEndObject();
    }

    /// <summary>Decodes one JSON row into <paramref name="cells"/> (one per column of the schema).</summary>
    public static void Read(ReadOnlySpan<byte> json, IReadOnlyList<string> names, IReadOnlyList<SqlType> types,
        Cell[] cells)
    {
        cells.AsSpan(0, types.Count).Fill(Cell.Null);
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw NestedValueCodec.Corrupt();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var index = IndexOf(names, property.Name);
                if (index >= 0)
                    cells[index] = Cell.FromObject(FromElement(property.Value, types[index]), types[index]);
            }
        }
        catch (JsonException)
        {
            throw NestedValueCodec.Corrupt();
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }

    /// <summary>Converts a JSON element to the engine value of <paramref name="type"/> (null for JSON null).</summary>
    public static object? FromElement(JsonElement element, SqlType type)
    {
        RuntimeHelpersGuard.Check();
        if (element.ValueKind == JsonValueKind.Null)
            return null;
        try
        {
            return type switch
            {
                ArrayType array => new SqlArray(MapArray(element, array.Element)),
                MapType map => ReadMap(element, map),
                StructType structType => ReadStruct(element, structType),
                _ => ReadScalar(element, type),
            };
        }
        catch (InvalidOperationException)
        {
            throw NestedValueCodec.Corrupt();
        }
        catch (FormatException)
        {
            throw NestedValueCodec.Corrupt();
        }
    }

    private static object ReadScalar(JsonElement element, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => element.ValueKind == JsonValueKind.String
            ? bool.Parse(element.GetString()!) : element.GetBoolean(),
        SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time => element.ValueKind == JsonValueKind.String
            ? int.Parse(element.GetString()!, CultureInfo.InvariantCulture)
            : element.TryGetInt32(out var i) ? i : (int)WholePart(element),
        SqlTypeKind.BigInt or SqlTypeKind.Timestamp => element.ValueKind == JsonValueKind.String
            ? long.Parse(element.GetString()!, CultureInfo.InvariantCulture)
            : element.TryGetInt64(out var l) ? l : (long)WholePart(element),
        SqlTypeKind.Double => element.ValueKind == JsonValueKind.String
            ? double.Parse(element.GetString()!, CultureInfo.InvariantCulture) : element.GetDouble(),
        SqlTypeKind.Decimal when type is DecimalType { IsWide: true } wide => WideDecimal.Parse(
            element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText())
                .ToPrecision(wide.Precision, wide.Scale),
        SqlTypeKind.Decimal => element.ValueKind == JsonValueKind.String
            ? decimal.Parse(element.GetString()!, CultureInfo.InvariantCulture) : element.GetDecimal(),
        SqlTypeKind.Bytes => element.GetBytesFromBase64(),
        SqlTypeKind.String => element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText(),
        _ => throw NestedValueCodec.Corrupt(),
    };

    /// <summary>A JSON number with a fraction read into an integer column: cut toward zero, as ksqlDB's JSON
    /// deserializer reads it (Jackson's intValue); beyond the column's range it overflows (the record is skipped).
    /// </summary>
    private static decimal WholePart(JsonElement element) => decimal.Truncate(element.GetDecimal());

    private static object?[] MapArray(JsonElement element, SqlType elementType)
    {
        var items = new object?[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
            items[i++] = FromElement(item, elementType);
        return items;
    }

    private static SqlMap ReadMap(JsonElement element, MapType type)
    {
        var keys = new List<object?>();
        var values = new List<object?>();
        foreach (var property in element.EnumerateObject())
        {
            keys.Add(ValueCast.ParseText(property.Name, type.Key));
            values.Add(FromElement(property.Value, type.Value));
        }
        return new SqlMap([.. keys], [.. values]);
    }

    private static SqlStruct ReadStruct(JsonElement element, StructType type)
    {
        var fields = new object?[type.Fields.Count];
        foreach (var property in element.EnumerateObject())
        {
            var index = type.IndexOf(property.Name);
            if (index >= 0)
                fields[index] = FromElement(property.Value, type.Fields[index].Type);
        }
        return new SqlStruct(fields);
    }
}

internal static class RuntimeHelpersGuard
{
    public static void Check() => System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
}
