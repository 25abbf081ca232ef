namespace Query.PgWire.Protocol;

/// <summary>
/// COPY forms: <c>COPY rel [(cols)] FROM STDIN …</c>, <c>COPY (query) TO STDOUT …</c>, <c>COPY rel TO STDOUT</c>.
/// </summary>
internal static partial class UtilityParser
{
    private static UtilityCommand ParseCopy(List<SqlToken> t, string sql)
    {
        int i = 1;
        string? relation = null;
        string? query = null;
        int queryOffset = 0;
        List<string>? columns = null;
        if (i < t.Count && t[i].Text == "(")
        {
            int close = MatchParen(t, i);
            query = sql[t[i + 1].Start..t[close].Start].Trim();
            queryOffset = t[i + 1].Start;
            i = close + 1;
        }
        else
        {
            relation = i < t.Count ? t[i].Text : throw PgException.Syntax("syntax error at end of input");
            i++;
            if (i < t.Count && t[i].Text == "(")
            {
                columns = [];
                int close = MatchParen(t, i);
                for (int c = i + 1; c < close; c++)
                {
                    if (t[c].Text != ",")
                        columns.Add(t[c].Text);
                }
                i = close + 1;
            }
        }
        string direction = Word(t, i++);
        string endpoint = Word(t, i++);
        if (direction == "from" && endpoint != "stdin" || direction == "to" && endpoint != "stdout")
            throw PgException.FeatureNotSupported(
                "COPY to or from a server file (use COPY … FROM STDIN / TO STDOUT, e.g. psql \\copy)");
        if (direction is not ("from" or "to"))
            throw PgException.Syntax("syntax error in COPY: expected FROM STDIN or TO STDOUT");
        var options = ParseCopyOptions(t, i);
        if (direction == "from")
        {
            if (relation is null)
                throw PgException.Syntax("COPY (query) FROM is not valid; COPY FROM needs a stream or table");
            return new(UtilityKind.CopyIn, "COPY") { Name = relation, Columns = columns, Copy = options };
        }
        if (query is null)
        {
            query = "SELECT " + (columns is null ? "*" : string.Join(", ", columns.Select(Quote))) + " FROM " +
                Quote(relation!);
            queryOffset = 0;
        }
        return new(UtilityKind.CopyOut, "COPY") { Query = query, QueryOffset = queryOffset, Copy = options };
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static CopyOptions ParseCopyOptions(List<SqlToken> t, int i)
    {
        var options = new CopyOptions();
        if (Word(t, i) == "with")
            i++;
        bool parenthesized = i < t.Count && t[i].Text == "(";
        if (parenthesized)
            i++;
        while (i < t.Count && t[i].Text != ")")
        {
            if (t[i].Text == ",")
            {
                i++;
                continue;
            }
            string option = t[i++].Text;
            string? value = null;
            if (option is "delimiter" or "null" or "quote" or "escape" or "format" or "header" or "encoding" ||
                parenthesized)
            {
                if (Word(t, i) == "as")
                    i++;
                // A string literal is a value even when it is ',' or ')' (DELIMITER ',').
                if (i < t.Count && (t[i].Kind == SqlToken.String || t[i].Text is not ("," or ")"))
                    && !(option == "header" && !parenthesized))
                    value = t[i++].Text;
            }
            ApplyOption(options, option, value);
        }
        return options;
    }

    private static void ApplyOption(CopyOptions options, string option, string? value)
    {
        switch (option)
        {
            case "csv": options.Format = CopyFormat.Csv; break;
            case "binary": options.Format = CopyFormat.Binary; break;
            case "text": options.Format = CopyFormat.Text; break;
            case "format":
                options.Format = value switch
                {
                    "csv" => CopyFormat.Csv,
                    "binary" => CopyFormat.Binary,
                    "text" => CopyFormat.Text,
                    _ => throw new PgException(PgSqlState.InvalidParameterValue,
                        $"COPY format \"{value}\" not recognized"),
                };
                break;
            case "header": options.Header = value is null or "true" or "on" or "1" or "match"; break;
            case "delimiter": options.Delimiter = SingleChar(option, value); break;
            case "quote": options.Quote = SingleChar(option, value); break;
            case "escape": options.Escape = SingleChar(option, value); break;
            case "null": options.Null = value ?? throw PgException.Syntax("COPY NULL needs a string"); break;
            case "encoding" when value is not null && value.Replace("-", "").Equals("utf8",
                StringComparison.OrdinalIgnoreCase):
                break;
            case "freeze" or "oids" when value is null or "false" or "off":
                break;
            default:
                throw new PgException(PgSqlState.InvalidParameterValue, $"COPY option \"{option}\" not recognized");
        }
    }

    private static char SingleChar(string option, string? value) => value is { Length: 1 }
        ? value[0]
        : throw new PgException(PgSqlState.InvalidParameterValue, $"COPY {option} must be a single one-byte character");

    private static int MatchParen(List<SqlToken> t, int open)
    {
        int depth = 0;
        for (int i = open; i < t.Count; i++)
        {
            if (t[i].Text == "(" && t[i].Kind == SqlToken.Symbol)
                depth++;
            else if (t[i].Text == ")" && t[i].Kind == SqlToken.Symbol && --depth == 0)
                return i;
        }
        throw PgException.Syntax("syntax error: unbalanced parentheses in COPY");
    }
}
