using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// TO_JSON_STRING and the JSON functions that build values (JSON_CONCAT, JSON_RECORDS, JSON_ITEMS,
/// JSON_ARRAY_CONTAINS). Text that is not JSON gives NULL (FALSE for JSON_ARRAY_CONTAINS), as in ksqlDB.
/// </summary>
public static class JsonTextFunctions
{
    /// <summary>TO_JSON_STRING(x): x as JSON; DATE, TIME and TIMESTAMP as ISO text; NULL as 'null'.</summary>
    public static string ToJsonString(SqlType type, object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, value, type);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, object? value, SqlType type)
    {
        switch (type)
        {
            case ArrayType array when value is SqlArray items:
                writer.WriteStartArray();
                foreach (var item in items.Items)
                    Write(writer, item, array.Element);
                writer.WriteEndArray();
                return;
            case MapType map when value is SqlMap entries:
                writer.WriteStartObject();
                for (var i = 0; i < entries.Count; i++)
                {
                    writer.WritePropertyName(ValueText.Format(entries.Keys[i], map.Key));
                    Write(writer, entries.Values[i], map.Value);
                }
                writer.WriteEndObject();
                return;
            case StructType structure when value is SqlStruct fields:
                writer.WriteStartObject();
                for (var i = 0; i < structure.Fields.Count; i++)
                {
                    writer.WritePropertyName(structure.Fields[i].Name);
                    Write(writer, fields.Fields[i], structure.Fields[i].Type);
                }
                writer.WriteEndObject();
                return;
        }
        if (value is not null && type.Kind is SqlTypeKind.Timestamp or SqlTypeKind.Date or SqlTypeKind.Time)
            writer.WriteStringValue(ValueText.Format(value, type));
        else
            JsonValueWriter.Write(writer, value, type);
    }

    /// <summary>
    /// JSON_CONCAT(a, b, ...): objects merge their top-level keys (later wins); otherwise every value becomes
    /// an array (a non-array as one element) and the arrays concatenate. NULL or non-JSON input gives NULL.
    /// </summary>
    public static string? JsonConcat(string?[] values)
    {
        var nodes = new List<JsonNode?>();
        foreach (var text in values)
        {
            if (text is null || !TryParse(text, out var node))
                return null;
            nodes.Add(node);
        }
        if (nodes.TrueForAll(node => node is JsonObject))
        {
            var merged = new JsonObject();
            foreach (var node in nodes)
            {
                var obj = (JsonObject)node!;
                foreach (var (key, value) in obj.ToArray())
                {
                    obj.Remove(key);
                    merged[key] = value;
                }
            }
            return merged.ToJsonString();
        }
        var result = new JsonArray();
        foreach (var node in nodes)
        {
            if (node is JsonArray array)
            {
                foreach (var item in array.ToArray())
                {
                    array.Remove(item);
                    result.Add(item);
                }
            }
            else
            {
                result.Add(node);
            }
        }
        return result.ToJsonString();
    }

    /// <summary>JSON_RECORDS(json): the top-level entries of an object as a MAP of JSON texts.</summary>
    public static SqlMap? JsonRecords(string json)
    {
        if (!TryParse(json, out var node) || node is not JsonObject obj)
            return null;
        var keys = new object?[obj.Count];
        var values = new object?[obj.Count];
        var i = 0;
        foreach (var (key, value) in obj)
        {
            keys[i] = key;
            values[i++] = value?.ToJsonString() ?? "null";
        }
        return new SqlMap(keys, values);
    }

    /// <summary>JSON_ITEMS(json): the elements of a top-level array as JSON texts.</summary>
    public static SqlArray? JsonItems(string json)
    {
        if (!TryParse(json, out var node) || node is not JsonArray array)
            return null;
        var items = new object?[array.Count];
        for (var i = 0; i < items.Length; i++)
            items[i] = array[i]?.ToJsonString() ?? "null";
        return new SqlArray(items);
    }

    /// <summary>JSON_ARRAY_CONTAINS(json, value): whether a top-level array holds an equal primitive.</summary>
    public static bool JsonArrayContains(string? json, object? value)
    {
        if (json is null || !TryParse(json, out var node) || node is not JsonArray array)
            return false;
        foreach (var item in array)
        {
            if (Matches(item, value))
                return true;
        }
        return false;
    }

    private static bool Matches(JsonNode? item, object? value)
    {
        if (item is null || value is null)
            return item is null && value is null;
        if (item is not JsonValue scalar)
            return false;
        var element = scalar.GetValue<JsonElement>();
        return (element.ValueKind, value) switch
        {
            (JsonValueKind.String, string s) => element.GetString() == s,
            (JsonValueKind.True or JsonValueKind.False, bool b) => element.GetBoolean() == b,
            (JsonValueKind.Number, int n) => element.TryGetInt64(out var l) && l == n,
            (JsonValueKind.Number, long n) => element.TryGetInt64(out var l) && l == n,
            (JsonValueKind.Number, double d) => element.GetDouble() == d,
            (JsonValueKind.Number, decimal m) => element.TryGetDecimal(out var x) && x == m,
            (JsonValueKind.Number, WideDecimal w) => WideDecimal.TryParse(element.GetRawText(), out var x) && x == w,
            _ => false,
        };
    }

    private static bool TryParse(string text, out JsonNode? node)
    {
        try
        {
            node = JsonNode.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            node = null;
            return false;
        }
    }
}
