namespace Query.PgWire;

/// <summary>
/// Splits SQL text at top-level semicolons the way PostgreSQL's lexer does: semicolons inside '…' and E'…'
/// strings, "identifiers", $tag$ dollar quotes, -- line comments and nested /* */ comments do not count.
/// Used for catalog batches (which engine lexers may not understand) and as a default for sessions.
/// </summary>
public static class PgSqlSplitter
{
    public static IReadOnlyList<PgStatementText> Split(string sql)
    {
        var statements = new List<PgStatementText>();
        int start = 0;
        int i = 0;
        while (i < sql.Length)
        {
            char c = sql[i];
            if (c == ';')
            {
                Add(statements, sql, start, i);
                start = ++i;
                continue;
            }
            i = SkipToken(sql, i);
        }
        Add(statements, sql, start, sql.Length);
        return statements;
    }

    /// <summary>
    /// Index just past the token (string, identifier, comment, dollar quote or one char) at <paramref name="i"/>.
    /// </summary>
    public static int SkipToken(string sql, int i)
    {
        char c = sql[i];
        if (c == '\'')
            return SkipQuoted(sql, i, '\'', backslashEscapes: i > 0 && (sql[i - 1] is 'e' or 'E') && !IsIdentChar(sql,
                i - 2));
        if (c == '"')
            return SkipQuoted(sql, i, '"', backslashEscapes: false);
        if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
        {
            int end = sql.IndexOf('\n', i);
            return end < 0 ? sql.Length : end + 1;
        }
        if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            return SkipBlockComment(sql, i);
        if (c == '$' && !IsIdentChar(sql, i - 1))
            return SkipDollarQuote(sql, i);
        return i + 1;
    }

    /// <summary>
    /// The first word of the text after white space and comments, without allocating; empty when something
    /// else (a bracket, a quoted name) comes first.
    /// </summary>
    public static ReadOnlySpan<char> FirstWord(string sql)
    {
        int start = 0;
        while (start < sql.Length && !char.IsLetter(sql[start]))
        {
            int next = SkipToken(sql, start);
            if (!char.IsWhiteSpace(sql[start]) && next == start + 1)
                return default;
            start = next;
        }
        int end = start;
        while (end < sql.Length && char.IsLetter(sql[end]))
            end++;
        return sql.AsSpan(start, end - start);
    }

    /// <summary>True when the text holds only whitespace and comments.</summary>
    public static bool IsBlank(string sql)
    {
        int i = 0;
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i]))
            {
                i++;
                continue;
            }
            int next = SkipToken(sql, i);
            if (!(sql[i] == '-' || sql[i] == '/') || next == i + 1)
                return false;
            i = next;
        }
        return true;
    }

    private static void Add(List<PgStatementText> statements, string sql, int start, int end)
    {
        var text = sql[start..end];
        if (IsBlank(text))
            return;
        int lead = 0;
        while (char.IsWhiteSpace(text[lead]))
            lead++;
        statements.Add(new PgStatementText(text[lead..].TrimEnd(), start + lead));
    }

    private static int SkipQuoted(string sql, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < sql.Length)
        {
            char c = sql[i];
            if (backslashEscapes && c == '\\')
            {
                i += 2;
                continue;
            }
            if (c == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.Length;
    }

    private static int SkipBlockComment(string sql, int i)
    {
        int depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && i + 1 < sql.Length && sql[i + 1] == '/')
            {
                i += 2;
                if (--depth == 0)
                    return i;
            }
            else
            {
                i++;
            }
        }
        return sql.Length;
    }

    private static int SkipDollarQuote(string sql, int i)
    {
        int tagEnd = i + 1;
        while (tagEnd < sql.Length && (char.IsLetterOrDigit(sql[tagEnd]) || sql[tagEnd] == '_'))
            tagEnd++;
        if (tagEnd >= sql.Length || sql[tagEnd] != '$' || (tagEnd > i + 1 && char.IsDigit(sql[i + 1])))
            return i + 1;   // $1 parameter or a lone $
        var tag = sql[i..(tagEnd + 1)];
        int close = sql.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
        return close < 0 ? sql.Length : close + tag.Length;
    }

    private static bool IsIdentChar(string sql, int i) =>
        i >= 0 && i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_');
}
