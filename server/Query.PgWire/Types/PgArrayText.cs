using System.Text;

namespace Query.PgWire.Types;

/// <summary>Parses PostgreSQL's 1-D array text form: <c>{1,2,NULL}</c>, <c>{"a b","c\"d"}</c>.</summary>
public static class PgArrayText
{
    public static List<string?> Split(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '{' || trimmed[^1] != '}')
            throw PgValues.Invalid("array", text);
        var items = new List<string?>();
        var body = trimmed.AsSpan(1, trimmed.Length - 2);
        if (body.Trim().IsEmpty)
            return items;
        var current = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < body.Length)
                    current.Append(body[++i]);
                else if (c == '"')
                    quoted = false;
                else
                    current.Append(c);
            }
            else if (c == '"')
            {
                quoted = wasQuoted = true;
            }
            else if (c == ',')
            {
                items.Add(Finish(current, wasQuoted));
                wasQuoted = false;
            }
            else if (c == '{' || c == '}')
            {
                throw PgException.FeatureNotSupported("multi-dimensional arrays");
            }
            else
            {
                current.Append(c);
            }
        }
        if (quoted)
            throw PgValues.Invalid("array", text);
        items.Add(Finish(current, wasQuoted));
        return items;
    }

    private static string? Finish(StringBuilder current, bool wasQuoted)
    {
        var value = wasQuoted ? current.ToString() : current.ToString().Trim();
        current.Clear();
        return !wasQuoted && value.Equals("NULL", StringComparison.OrdinalIgnoreCase) ? null : value;
    }
}
