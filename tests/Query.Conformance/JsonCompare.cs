using System.Globalization;
using System.Text.Json;

namespace Query.Conformance;

/// <summary>
/// Compares an expected QTT value with an actual one, both as JSON: numbers by value (so 1, 1.0 and "1" as a
/// DECIMAL in JSON compare as ksqlDB's test harness does), object property names case-insensitively (identifiers
/// fold to upper case here, as in ksqlDB, but intended differences allow either case), arrays in order.
/// </summary>
public static class JsonCompare
{
    public static bool Equal(JsonElement expected, JsonElement actual)
    {
        if (expected.ValueKind == JsonValueKind.Number && actual.ValueKind is JsonValueKind.Number)
            return NumbersEqual(expected.GetRawText(), actual.GetRawText());
        if (expected.ValueKind != actual.ValueKind)
            return false;
        switch (expected.ValueKind)
        {
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString();
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                    return false;
                using (var a = expected.EnumerateArray())
                using (var b = actual.EnumerateArray())
                {
                    while (a.MoveNext() && b.MoveNext())
                    {
                        if (!Equal(a.Current, b.Current))
                            return false;
                    }
                }
                return true;
            case JsonValueKind.Object:
                return ObjectsEqual(expected, actual);
            default:
                return true;
        }
    }

    private static bool ObjectsEqual(JsonElement expected, JsonElement actual)
    {
        var actualProperties = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in actual.EnumerateObject())
            actualProperties[property.Name] = property.Value;
        var count = 0;
        foreach (var property in expected.EnumerateObject())
        {
            count++;
            if (!actualProperties.TryGetValue(property.Name, out var value))
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                    continue;
                return false;
            }
            if (!Equal(property.Value, value))
                return false;
        }
        // A property we write as null that the expectation leaves out is the same record.
        foreach (var property in actual.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null && !HasProperty(expected, property.Name))
                return false;
        }
        return count >= 0;
    }

    private static bool HasProperty(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static bool NumbersEqual(string a, string b)
    {
        if (decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
            return x == y;
        return double.Parse(a, CultureInfo.InvariantCulture) == double.Parse(b, CultureInfo.InvariantCulture);
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static JsonElement String(string text) => Parse(JsonSerializer.Serialize(text));

    public static readonly JsonElement Null = Parse("null");
}
