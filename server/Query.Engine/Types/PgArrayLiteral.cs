using System.Text;
using Query.Engine.Errors;

namespace Query.Engine.Types;

/// <summary>
/// PostgreSQL's 1-D array text form, <c>{1,NULL,"a b","{\"X\":1}"}</c>: what the wire's text format and COPY
/// write for an ARRAY column, so a value read out can be written back. Elements are parsed by the element type
/// (a STRUCT or MAP element is its JSON text).
/// </summary>
internal static class PgArrayLiteral
{
    public static bool IsArrayText(string text) => text.AsSpan().TrimStart().StartsWith("{");

    public static SqlArray Parse(string text, ArrayType type)
    {
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || trimmed[^1] != '}')
            throw SqlException.InvalidText(type.ToString(), text);
        var body = trimmed.AsSpan(1, trimmed.Length - 2);
        var items = new List<object?>();
        if (body.Trim().IsEmpty)
            return new SqlArray([]);
        var current = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        var depth = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < body.Length)
                    current.Append(body[++i]);
                else if (c == '"')
                    quoted = false;
                else
                    current.Append(c);
                continue;
            }
            switch (c)
            {
                case '"' when depth == 0:
                    quoted = wasQuoted = true;
                    break;
                case ',' when depth == 0:
                    items.Add(Element(current, wasQuoted, type.Element));
                    wasQuoted = false;
                    break;
                default:
                    // An unquoted nested value (JSON of a STRUCT element, a nested array) keeps its brackets.
                    depth += c is '{' or '[' ? 1 : c is '}' or ']' ? -1 : 0;
                    current.Append(c);
                    break;
            }
        }
        if (quoted || depth != 0)
            throw SqlException.InvalidText(type.ToString(), text);
        items.Add(Element(current, wasQuoted, type.Element));
        return new SqlArray([.. items]);
    }

    private static object? Element(StringBuilder current, bool wasQuoted, SqlType element)
    {
        var value = wasQuoted ? current.ToString() : current.ToString().Trim();
        current.Clear();
        if (!wasQuoted && value.Equals("NULL", StringComparison.OrdinalIgnoreCase))
            return null;
        return ValueCast.ParseText(value, element);
    }
}
