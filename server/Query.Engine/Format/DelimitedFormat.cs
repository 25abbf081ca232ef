using System.Globalization;
using System.Text;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Format;

/// <summary>
/// ksqlDB's DELIMITED format: one line of fields separated by a delimiter, CSV quoting (a field holding the
/// delimiter, a quote or a line break is quoted, quotes doubled), an empty field is NULL (so an empty STRING, written
/// empty as ksqlDB writes it, reads back as NULL, as in ksqlDB). TIMESTAMP, DATE and TIME
/// are epoch milliseconds, days and milliseconds of the day; BYTES base64; ARRAY, MAP and STRUCT are not allowed.
/// </summary>
public static class DelimitedFormat
{
    public static List<string?> Split(string line, char delimiter)
    {
        var fields = new List<string?>();
        var current = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    current.Append(line[++i]);
                else if (c == '"')
                    quoted = false;
                else
                    current.Append(c);
            }
            else if (c == '"' && current.Length == 0)
            {
                quoted = wasQuoted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(Finish(current, wasQuoted));
                wasQuoted = false;
            }
            else
            {
                current.Append(c);
            }
        }
        if (quoted)
            throw new SqlException(SqlState.InvalidTextRepresentation, "unterminated quote in a DELIMITED value");
        fields.Add(Finish(current, wasQuoted));
        return fields;
    }

    private static string? Finish(StringBuilder current, bool wasQuoted)
    {
        var text = current.ToString();
        current.Clear();
        return text.Length == 0 && !wasQuoted ? null : text;
    }

    public static Cell ParseField(string? text, SqlType type)
    {
        if (text is null)
            return Cell.Null;
        return type.Kind switch
        {
            SqlTypeKind.Timestamp or SqlTypeKind.BigInt => Cell.FromInt64(long.Parse(text.Trim(),
                NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
            SqlTypeKind.Date or SqlTypeKind.Time or SqlTypeKind.Int => Cell.FromInt64(int.Parse(text.Trim(),
                NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
            SqlTypeKind.Bytes => Cell.FromRef(Convert.FromBase64String(text)),
            SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Struct => throw Unsupported(type),
            _ => ValueCast.ParseTextCell(type.Kind == SqlTypeKind.String ? text : text.Trim(), type),
        };
    }

    /// <summary>
    /// Appends one field, quoted where ksqlDB's CSV printer (Commons CSV, minimal quoting) quotes it: a delimiter,
    /// quote or line break inside, a first character up to '#' (space, tab, '!', '"'), a last character up to a
    /// space, and, in the first field of a value (<paramref name="firstOfValue"/>), any first character that is not
    /// a letter or digit (so "-1.5" is quoted there). DOUBLE as Java writes it (<see cref="JavaDoubleText"/>).
    /// </summary>
    public static void AppendField(StringBuilder line, in Cell cell, SqlType type, char delimiter,
        bool firstOfValue = false)
    {
        if (cell.IsNull)
            return;
        var text = type.Kind switch
        {
            SqlTypeKind.Timestamp or SqlTypeKind.BigInt or SqlTypeKind.Date or SqlTypeKind.Time or SqlTypeKind.Int =>
                cell.Bits.ToString(CultureInfo.InvariantCulture),
            SqlTypeKind.Boolean => cell.Bits != 0 ? "true" : "false",
            SqlTypeKind.Double => JavaDoubleText.Format(BitConverter.Int64BitsToDouble(cell.Bits)),
            SqlTypeKind.Bytes => Convert.ToBase64String((byte[])cell.Ref!),
            SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Struct => throw Unsupported(type),
            _ => ValueText.Format(cell.ToObject(type), type),
        };
        // An empty STRING is written empty as ksqlDB writes it (and reads back as NULL), except as the first field
        // of a value, where Commons CSV quotes it.
        if (NeedsQuotes(text, delimiter, firstOfValue) || (text.Length == 0 && firstOfValue))
            line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        else
            line.Append(text);
    }

    private static bool NeedsQuotes(string text, char delimiter, bool firstOfValue)
    {
        if (text.Length == 0)
            return false;
        var first = text[0];
        if (first <= '#' || (firstOfValue && !char.IsAsciiLetterOrDigit(first)) || text[^1] <= ' ')
            return true;
        return text.AsSpan().IndexOfAny(delimiter, '"', '\n') >= 0 || text.Contains('\r');
    }

    public static SqlException Unsupported(SqlType type) =>
        SqlException.FeatureNotSupported($"the DELIMITED format cannot hold {type} values");
}
