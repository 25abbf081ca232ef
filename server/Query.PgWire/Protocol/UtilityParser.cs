namespace Query.PgWire.Protocol;

/// <summary>
/// Recognises the statements the wire layer handles itself by their leading keywords. Anything not recognised
/// returns null and goes to the session (so ksqlDB's SHOW STREAMS, DESCRIBE, … reach the engine).
/// </summary>
internal static partial class UtilityParser
{
    private static readonly string[] FirstWords =
    [
        "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release", "unlisten", "set", "reset",
        "show", "discard", "deallocate", "declare", "fetch", "move", "close", "copy",
    ];

    public static UtilityCommand? Parse(string sql, Func<string, bool> isKnownSetting)
    {
        if (!StartsWithUtilityWord(sql))
            return null;
        var t = SqlTokens.Tokenize(sql, maxTokens: 100_000);
        if (t.Count == 0 || t[0].Kind != SqlToken.Word)
            return null;
        string w1 = Word(t, 1);
        return t[0].Text switch
        {
            "begin" => new(UtilityKind.Begin, "BEGIN"),
            "start" when w1 == "transaction" => new(UtilityKind.Begin, "START TRANSACTION"),
            "commit" or "end" => new(UtilityKind.Commit, "COMMIT"),
            "rollback" or "abort" when w1 == "to" || Word(t, 2) == "to" => new(UtilityKind.NoOp, "ROLLBACK"),
            "rollback" or "abort" => new(UtilityKind.Rollback, "ROLLBACK"),
            "savepoint" => new(UtilityKind.NoOp, "SAVEPOINT"),
            "release" => new(UtilityKind.NoOp, "RELEASE"),
            "unlisten" => new(UtilityKind.NoOp, "UNLISTEN"),
            "set" => ParseSet(t, sql),
            "reset" => new(UtilityKind.Reset, "RESET")
            {
                Name = w1 == "all" ? null : SettingName(t, 1),
                All = w1 == "all"
            },
            "show" => ParseShow(t, isKnownSetting),
            "discard" => new(UtilityKind.Discard, "DISCARD " + w1.ToUpperInvariant()) { All = w1 == "all" },
            "deallocate" => ParseDeallocate(t),
            "declare" => ParseDeclare(t, sql),
            "fetch" or "move" => ParseFetch(t),
            "close" => new(UtilityKind.Close, w1 == "all" ? "CLOSE CURSOR ALL" : "CLOSE CURSOR")
            {
                Name = t.Count > 1 ? t[1].Text : throw PgException.Syntax("syntax error at end of input"),
                All = w1 == "all" && t[1].Kind == SqlToken.Word,
            },
            "copy" => ParseCopy(t, sql),
            _ => null,
        };
    }

    /// <summary>Cheap first-word test (no allocation) so ordinary queries are never tokenized here.</summary>
    private static bool StartsWithUtilityWord(string sql)
    {
        var word = PgSqlSplitter.FirstWord(sql);
        foreach (var candidate in FirstWords)
        {
            if (word.Equals(candidate, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static string Word(List<SqlToken> t, int i) => i < t.Count && t[i].Kind == SqlToken.Word ? t[i].Text : "";

    private static UtilityCommand? ParseSet(List<SqlToken> t, string sql)
    {
        int i = 1;
        if (Word(t, i) is "session" or "local")
            i++;
        // ksqlDB's SET 'property' = 'value' (a quoted string as the name) is the session's, not a PostgreSQL setting.
        if (i < t.Count && t[i].Kind == SqlToken.String)
            return null;
        string w = Word(t, i);
        if (w is "characteristics" or "transaction" or "authorization" || (w == "session" && Word(t, i
            + 1) == "authorization"))
            return new(UtilityKind.NoOp, "SET");
        string name;
        if (w == "time" && Word(t, i + 1) == "zone")
        {
            name = "TimeZone";
            i += 2;
        }
        else
        {
            name = SettingName(t, i) ?? throw PgException.Syntax("syntax error at end of input");
            i++;
            if (i < t.Count && (t[i].Is("to") || t[i].Text == "="))
                i++;
        }
        if (i >= t.Count)
            throw PgException.Syntax("syntax error at end of input");
        string value = t[i].Kind is SqlToken.String or SqlToken.QuotedIdent ? t[i].Text : sql[t[i].Start..].Trim();
        if (t[i].Kind == SqlToken.Word && value.Equals("default", StringComparison.OrdinalIgnoreCase))
            return new(UtilityKind.Reset, "SET") { Name = name };
        if (t[i].Kind == SqlToken.Word && (value.Equals("local", StringComparison.OrdinalIgnoreCase)))
            value = "UTC";
        return new(UtilityKind.Set, "SET") { Name = name, Value = StripListQuotes(value) };
    }

    /// <summary><c>search_path = "$user", public</c> and similar lists keep their text minus outer quotes.</summary>
    private static string StripListQuotes(string value) =>
        value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' ? value[1..^1].Replace("''", "'") : value;

    private static string? SettingName(List<SqlToken> t, int i) =>
        i < t.Count && t[i].Kind is SqlToken.Word or SqlToken.QuotedIdent ? t[i].Text : null;

    private static UtilityCommand? ParseShow(List<SqlToken> t, Func<string, bool> isKnownSetting)
    {
        string name = Word(t, 1);
        if (name == "transaction" && Word(t, 2) == "isolation")
            return new(UtilityKind.Show, "SHOW") { Name = "transaction_isolation" };
        if (name == "all")
            return new(UtilityKind.Show, "SHOW") { All = true };
        if (name == "time" && Word(t, 2) == "zone")
            name = "timezone";
        return name.Length > 0 && isKnownSetting(name) ? new(UtilityKind.Show, "SHOW") { Name = name } : null;
    }

    private static UtilityCommand ParseDeallocate(List<SqlToken> t)
    {
        int i = Word(t, 1) == "prepare" ? 2 : 1;
        if (i >= t.Count)
            throw PgException.Syntax("syntax error at end of input");
        return new(UtilityKind.Deallocate, Word(t, i) == "all" ? "DEALLOCATE ALL" : "DEALLOCATE")
        {
            Name = t[i].Text,
            All = Word(t, i) == "all",
        };
    }

    private static UtilityCommand ParseDeclare(List<SqlToken> t, string sql)
    {
        if (t.Count < 2)
            throw PgException.Syntax("syntax error at end of input");
        int i = 2;
        while (i < t.Count && !t[i].Is("cursor"))
            i++;
        while (i < t.Count && !t[i].Is("for"))
            i++;
        if (i + 1 >= t.Count)
            throw PgException.Syntax("syntax error in DECLARE: expected CURSOR … FOR query");
        return new(UtilityKind.Declare, "DECLARE CURSOR")
        {
            Name = t[1].Text,
            Query = sql[t[i + 1].Start..],
            QueryOffset = t[i + 1].Start,
        };
    }

    private static UtilityCommand ParseFetch(List<SqlToken> t)
    {
        bool move = t[0].Text == "move";
        int i = 1;
        long count = 1;
        bool all = false;
        string w = Word(t, i);
        if (w is "forward" or "next")
        {
            i++;
            w = w == "forward" ? Word(t, i) : "";
        }
        else if (w is "backward" or "prior" or "first" or "last" or "absolute" or "relative")
        {
            throw PgException.FeatureNotSupported($"FETCH {w.ToUpperInvariant()} (cursors are forward-only)");
        }
        if (w == "all")
        {
            all = true;
            i++;
        }
        else if (w.Length > 0 && long.TryParse(w, out var n))
        {
            if (n < 0)
                throw PgException.FeatureNotSupported("FETCH with a negative count (cursors are forward-only)");
            count = n;
            i++;
        }
        if (Word(t, i) is "from" or "in")
            i++;
        if (i >= t.Count)
            throw PgException.Syntax("syntax error at end of input");
        return new(UtilityKind.Fetch, move ? "MOVE" : "FETCH") { Name = t[i].Text, Count = all ? 0 : count, All = all };
    }
}
