using System.Text;
using System.Text.Json;
using Query.Engine.Catalog;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Conformance;

/// <summary>
/// The runner's producer and consumer: QTT's JSON notation of a key or value to the bytes of a stream's formats
/// (as ksqlDB's test harness serializes inputs), and a record's bytes back to that notation for comparison.
/// </summary>
public static class RecordSerde
{
    /// <summary>An input's <c>headers</c> (<c>[{"KEY": "k", "VALUE": "base64"}]</c>, as ksqlDB's harness writes them).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, byte[]?>> InputHeaders(JsonElement headers)
    {
        if (headers.ValueKind != JsonValueKind.Array)
            return [];
        var list = new List<KeyValuePair<string, byte[]?>>();
        foreach (var header in headers.EnumerateArray())
        {
            string? key = null;
            byte[]? value = null;
            foreach (var property in header.EnumerateObject())
            {
                if (property.NameEquals("KEY") || property.NameEquals("key"))
                    key = property.Value.GetString();
                else if ((property.NameEquals("VALUE") || property.NameEquals("value"))
                    && property.Value.ValueKind == JsonValueKind.String)
                    value = Convert.FromBase64String(property.Value.GetString()!);
            }
            if (key is not null)
                list.Add(new(key, value));
        }
        return list;
    }

    /// <summary>Headers for the log (a NULL header value is stored empty: the record format has no NULL value).
    /// </summary>
    public static Storage.RecordHeader[] Headers(IReadOnlyList<KeyValuePair<string, byte[]?>> headers) =>
        [.. headers.Select(h => new Storage.RecordHeader(h.Key, h.Value ?? []))];

    public static byte[]? Key(JsonElement key, StreamDefinition stream)
    {
        if (key.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        switch (stream.KeyFormat)
        {
            case KeyFormat.Json:
                return Encoding.UTF8.GetBytes(key.GetRawText());
            case KeyFormat.Delimited:
                return Encoding.UTF8.GetBytes(Text(key));
            default:
                if (stream.KeyColumn < 0)
                    return Encoding.UTF8.GetBytes(Text(key));
                return Kafka(key, stream.Columns[stream.KeyColumn].Type);
        }
    }

    /// <summary>The record value of an input; null for a JSON null (Kafka's null value, a tombstone).</summary>
    public static byte[]? Value(JsonElement value, StreamDefinition stream, byte[]? key)
    {
        if (value.ValueKind is JsonValueKind.Null)
            return null;
        if (value.ValueKind is JsonValueKind.Undefined)
            return [];
        switch (stream.ValueFormat)
        {
            case ValueFormat.Binary:
                return Binary(value, stream, key);
            case ValueFormat.ProtobufNoSr:
                return Protobuf(value, stream, key);
            case ValueFormat.Delimited:
                return Encoding.UTF8.GetBytes(Text(value));
            case ValueFormat.Kafka:
                for (var i = 0; i < stream.Columns.Count; i++)
                {
                    if (!stream.IsKeyColumn(i))
                        return Kafka(value, stream.Columns[i].Type);
                }
                return [];
            default:
                return Encoding.UTF8.GetBytes(value.GetRawText());
        }
    }

    /// <summary>
    /// A stream without VALUE_FORMAT takes our default, the engine's binary rows (an intended difference): the
    /// input's JSON value, with the key, becomes a binary row (JSON that does not fit gives an empty record).
    /// </summary>
    private static byte[] Binary(JsonElement value, StreamDefinition stream, byte[]? key)
    {
        var codec = new RecordCodec(stream with { ValueFormat = ValueFormat.Json, WrapSingleValue = true });
        var cells = new Cell[stream.Columns.Count];
        if (!codec.TryDecode(key, key is not null, Encoding.UTF8.GetBytes(value.GetRawText()), cells))
            return [];
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        BinaryRowFormat.Write(buffer, cells, stream.ColumnTypes());
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>PROTOBUF_NOSR: the input's JSON value (ksqlDB's harness writes protobuf inputs from JSON too), read
    /// as the stream's columns and written as the stream's protobuf message.</summary>
    private static byte[] Protobuf(JsonElement value, StreamDefinition stream, byte[]? key)
    {
        var json = new RecordCodec(stream with { ValueFormat = ValueFormat.Json, WrapSingleValue = true });
        var cells = new Cell[stream.Columns.Count];
        if (!json.TryDecode(key, key is not null, Encoding.UTF8.GetBytes(value.GetRawText()), cells))
            return Encoding.UTF8.GetBytes(value.GetRawText());
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        new RecordCodec(stream).EncodeValue(buffer, cells);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A primitive in Kafka's serialization; text that is not of the type goes as its UTF-8 bytes.</summary>
    private static byte[] Kafka(JsonElement value, SqlType type)
    {
        try
        {
            var cell = ValueCast.ParseTextCell(Text(value), type);
            return KafkaSerde.Write(cell, type);
        }
        catch (Exception e) when (e is Engine.Errors.SqlException or FormatException or OverflowException)
        {
            return Encoding.UTF8.GetBytes(Text(value));
        }
    }

    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    /// <summary>A record's key in QTT notation, by the stream's key format.</summary>
    /// <summary>A record of a topic in QTT notation; a windowed topic's key is split into key and window.</summary>
    public static TopicRecord Read(byte[]? key, byte[]? value, long timestampMs, StreamDefinition stream)
    {
        (long, long)? window = null;
        if (key is not null && stream.Window is { } tableWindow
            && Engine.Windows.WindowedKey.TrySplit(key, tableWindow, out var inner, out var start, out var end))
        {
            key = inner.ToArray();
            window = (start, end);
        }
        var valueJson = value is null ? JsonCompare.Null : ValueJson(value, stream);
        return new TopicRecord(KeyJson(key, stream), valueJson, timestampMs) { Window = window };
    }

    public static JsonElement KeyJson(byte[]? key, StreamDefinition stream)
    {
        if (key is null)
            return JsonCompare.Null;
        return stream.KeyFormat switch
        {
            KeyFormat.Json => TryParse(key),
            KeyFormat.Delimited => JsonCompare.String(Encoding.UTF8.GetString(key)),
            _ when stream.KeyColumn < 0 => JsonCompare.String(Encoding.UTF8.GetString(key)),
            _ => KafkaJson(key, stream.Columns[stream.KeyColumn].Type),
        };
    }

    /// <summary>A record's value in QTT notation, by the stream's value format.</summary>
    public static JsonElement ValueJson(byte[] value, StreamDefinition stream)
    {
        if (value.Length == 0 && stream.ValueFormat != ValueFormat.Delimited)
            return JsonCompare.Null;
        switch (stream.ValueFormat)
        {
            case ValueFormat.Delimited:
                return JsonCompare.String(Encoding.UTF8.GetString(value));
            case ValueFormat.Kafka:
                for (var i = 0; i < stream.Columns.Count; i++)
                {
                    if (!stream.IsKeyColumn(i))
                        return KafkaJson(value, stream.Columns[i].Type);
                }
                return JsonCompare.Null;
            case ValueFormat.ProtobufNoSr:
                var cells = new Cell[stream.Columns.Count];
                return new RecordCodec(stream).TryDecode(default, false, value, cells)
                    ? ValueColumnsJson(cells, stream) : JsonCompare.String("malformed protobuf message");
            case ValueFormat.Binary:
                try
                {
                    return BinaryJson(value, stream);
                }
                catch (Engine.Errors.SqlException e)
                {
                    return JsonCompare.String($"malformed binary row: {e.Message}");
                }
            default:
                return TryParse(value);
        }
    }

    /// <summary>A binary row's value columns as the JSON object ksqlDB's JSON format would hold.</summary>
    private static JsonElement BinaryJson(byte[] value, StreamDefinition stream)
    {
        var types = stream.ColumnTypes();
        var cursor = new Engine.Execution.RecordCursor(types, stream.ColumnNames(), codec: null);
        cursor.Load(value, 0, 0, 0);
        var cells = new Cell[types.Length];
        for (var i = 0; i < types.Length; i++)
            cells[i] = cursor.GetCell(i);
        return ValueColumnsJson(cells, stream);
    }

    /// <summary>A row's value columns as the JSON object ksqlDB's JSON format would hold.</summary>
    private static JsonElement ValueColumnsJson(Cell[] cells, StreamDefinition stream)
    {
        var types = stream.ColumnTypes();
        var json = new StringBuilder("{");
        for (var i = 0; i < types.Length; i++)
        {
            if (stream.IsKeyColumn(i))
                continue;
            if (json.Length > 1)
                json.Append(',');
            json.Append(JsonSerializer.Serialize(stream.Columns[i].Name)).Append(':')
                .Append(ValueText.ToJson(cells[i].ToObject(types[i]), types[i]));
        }
        return JsonCompare.Parse(json.Append('}').ToString());
    }

    private static JsonElement KafkaJson(byte[] data, SqlType type)
    {
        try
        {
            var cell = KafkaSerde.Read(data, type);
            return JsonCompare.Parse(ValueText.ToJson(cell.ToObject(type), type));
        }
        catch (Engine.Errors.SqlException)
        {
            return JsonCompare.String(Encoding.UTF8.GetString(data));
        }
    }

    private static JsonElement TryParse(byte[] json)
    {
        try
        {
            return JsonCompare.Parse(Encoding.UTF8.GetString(json));
        }
        catch (JsonException)
        {
            return JsonCompare.String(Encoding.UTF8.GetString(json));
        }
    }
}
