using System.Text.Json;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>ksqlDB's JSON functions over JSON text; malformed JSON yields NULL, as ksqlDB does.</summary>
public static class JsonFunctions
{
    /// <summary>EXTRACTJSONFIELD(json, '$.a.b[0]'): the value at a JSONPath, as text; NULL when missing.</summary>
    public static string? ExtractJsonField(string json, string path)
    {
        if (!TryParse(json, out var document))
            return null;
        using (document)
        {
            var element = document!.RootElement;
            if (!Navigate(ref element, path))
                return null;
            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Null => null,
                _ => element.GetRawText(),
            };
        }
    }

    private static bool Navigate(ref JsonElement element, string path)
    {
        var position = path.StartsWith('$') ? 1 : 0;
        while (position < path.Length)
        {
            if (path[position] == '.')
            {
                var end = position + 1;
                while (end < path.Length && path[end] != '.' && path[end] != '[')
                    end++;
                if (element.ValueKind != JsonValueKind.Object
                    || !element.TryGetProperty(path[(position + 1)..end], out element))
                    return false;
                position = end;
            }
            else if (path[position] == '[')
            {
                var end = path.IndexOf(']', position);
                if (end < 0)
                    return false;
                var token = path[(position + 1)..end].Trim('\'', '"');
                if (int.TryParse(token, out var index))
                {
                    if (element.ValueKind != JsonValueKind.Array || index < 0 || index >= element.GetArrayLength())
                        return false;
                    element = element[index];
                }
                else if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(token, out element))
                {
                    return false;
                }
                position = end + 1;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsJsonString(string json)
    {
        if (!TryParse(json, out var document))
            return false;
        document!.Dispose();
        return true;
    }

    public static int? JsonArrayLength(string json)
    {
        if (!TryParse(json, out var document))
            return null;
        using (document)
            return document!.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.GetArrayLength()
                : null;
    }

    public static SqlArray? JsonKeys(string json)
    {
        if (!TryParse(json, out var document))
            return null;
        using (document)
        {
            if (document!.RootElement.ValueKind != JsonValueKind.Object)
                return null;
            var keys = new List<object?>();
            foreach (var property in document.RootElement.EnumerateObject())
                keys.Add(property.Name);
            return new SqlArray([.. keys]);
        }
    }

    private static bool TryParse(string json, out JsonDocument? document)
    {
        try
        {
            document = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            document = null;
            return false;
        }
    }
}
