using System.Text;
using System.Text.Json;

namespace Query.Conformance;

/// <summary>
/// Reads QTT files (<c>{"tests": [...]}</c>) from a folder and its subfolders; a file under a folder whose name
/// starts with <c>rest-</c> is a REST case file. <c>//</c> comments outside strings are removed first, since some
/// REST files have them. Each test expands into one case per <c>format</c> value times <c>config</c> value.
/// </summary>
public static class QttLoader
{
    public static List<QttCase> Load(string folder)
    {
        var cases = new List<QttCase>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order())
        {
            var rest = Path.GetFileName(Path.GetDirectoryName(path)!).StartsWith("rest-", StringComparison.Ordinal);
            var name = Path.GetRelativePath(folder, path).Replace('\\', '/');
            using var document = JsonDocument.Parse(StripComments(File.ReadAllText(path)));
            if (!document.RootElement.TryGetProperty("tests", out var tests))
                continue;
            foreach (var test in tests.EnumerateArray())
                cases.AddRange(Expand(name, rest, test.Clone()));
        }
        return cases;
    }

    public static IEnumerable<QttCase> Expand(string file, bool rest, JsonElement test)
    {
        var name = test.GetProperty("name").GetString() ?? "";
        var statements = new List<string>();
        foreach (var statement in test.GetProperty("statements").EnumerateArray())
            statements.Add(statement.GetString() ?? "");
        foreach (var format in Values(test, "format"))
        {
            foreach (var config in Values(test, "config"))
            {
                var suffix = (format is null ? "" : $" - {format}") + (config is null ? "" : $" - {config}");
                var replaced = statements.ConvertAll(s => Replace(Replace(s, "{FORMAT}", format), "{CONFIG}", config));
                yield return new QttCase(file, name + suffix, rest, replaced, test);
            }
        }
    }

    private static string Replace(string text, string placeholder, string? value) =>
        value is null ? text : text.Replace(placeholder, value, StringComparison.Ordinal);

    private static List<string?> Values(JsonElement test, string property)
    {
        var values = new List<string?>();
        if (test.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var value in list.EnumerateArray())
                values.Add(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());
        }
        if (values.Count == 0)
            values.Add(null);
        return values;
    }

    /// <summary>Removes <c>//</c> line comments that are outside JSON strings.</summary>
    public static string StripComments(string json)
    {
        var output = new StringBuilder(json.Length);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                output.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                    output.Append(json[++i]);
                else if (c == '"')
                    inString = false;
            }
            else if (c == '/' && i + 1 < json.Length && json[i + 1] == '/')
            {
                while (i < json.Length && json[i] != '\n')
                    i++;
                output.Append('\n');
            }
            else
            {
                inString = c == '"';
                output.Append(c);
            }
        }
        return output.ToString();
    }
}
