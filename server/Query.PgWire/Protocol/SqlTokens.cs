namespace Query.PgWire.Protocol;

/// <summary>A lexical token of a utility statement: words lower-cased unless quoted, strings unquoted.</summary>
internal readonly record struct SqlToken(string Text, int Start, int End, char Kind)
{
    public const char Word = 'w';
    public const char QuotedIdent = 'q';
    public const char String = 's';
    public const char Symbol = 'p';

    public bool Is(string word) => Kind == Word && Text == word;
}

/// <summary>Tokenizes the leading words of a statement so the wire layer can recognise its own commands.</summary>
internal static class SqlTokens
{
    public static List<SqlToken> Tokenize(string sql, int maxTokens = 64)
    {
        var tokens = new List<SqlToken>();
        int i = 0;
        while (i < sql.Length && tokens.Count < maxTokens)
        {
            char c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            int end = PgSqlSplitter.SkipToken(sql, i);
            if ((c == '-' || c == '/') && end > i + 1)
            {
                i = end;   // comment
                continue;
            }
            if (c == '\'' || ((c is 'e' or 'E') && i + 1 < sql.Length && sql[i + 1] == '\''))
            {
                int open = c == '\'' ? i : i + 1;
                end = PgSqlSplitter.SkipToken(sql, open);
                var body = sql[(open + 1)..Math.Max(open + 1, end - 1)].Replace("''", "'");
                tokens.Add(new SqlToken(body, i, end, SqlToken.String));
            }
            else if (c == '"')
            {
                tokens.Add(new SqlToken(sql[(i + 1)..Math.Max(i + 1, end - 1)].Replace("\"\"", "\""), i, end,
                    SqlToken.QuotedIdent));
            }
            else if (char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+')
            {
                end = i + 1;
                while (end < sql.Length && (char.IsLetterOrDigit(sql[end]) || sql[end] is '_' or '.' or '$' or '-'
                    or '/' or ':' or '+'))
                    end++;
                tokens.Add(new SqlToken(sql[i..end].ToLowerInvariant(), i, end, SqlToken.Word));
            }
            else
            {
                tokens.Add(new SqlToken(c.ToString(), i, i + 1, SqlToken.Symbol));
                end = i + 1;
            }
            i = end;
        }
        return tokens;
    }

    /// <summary>The original-case text of an identifier token (quoted keeps case, plain is lower-cased).</summary>
    public static string Identifier(SqlToken token) => token.Text;
}
