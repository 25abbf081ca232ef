using System.Diagnostics;
using Query.Grammar.Formatting;
using Query.Grammar.Generated;

namespace Query.Grammar.Tests;

/// <summary>
/// Random input never produces anything but <see cref="SqlSyntaxException"/>, and whatever does parse
/// survives a format round trip. Seeds are fixed so a failure reproduces.
/// </summary>
public class FuzzTests
{
    private static readonly string[] Fragments = BuildFragments();

    private static string[] BuildFragments()
    {
        var fragments = new List<string>
        {
            "a", "b", "t.x", "`Q`", "\"q\"", "1", "2.5", "1e3", "'s'", "''", "$1", "(", ")", "[", "]", ",", ";", ".",
            "*", "+", "-", "/", "%", "||", "=", "<>", "<", ">", "<=", ">=", "~", "!~", "::", "->", "=>", ":=", "#",
            "'unterminated", "\"unterminated", "/*", "*/", "--", "\n", "ROWTIME", "int", "STRING", "ARRAY<INT>",
        };
        var vocabulary = QuerySqlLexer.DefaultVocabulary;
        for (var type = 1; type <= QuerySqlLexer.UNRECOGNIZED; type++)
        {
            var literal = vocabulary.GetLiteralName(type);
            if (literal is { Length: > 2 } && char.IsLetter(literal[1]))
                fragments.Add(literal.Trim('\''));
        }
        return [.. fragments];
    }

    [Fact]
    public void Random_token_soups_only_raise_syntax_errors()
    {
        var random = new Random(20261124);
        var parsed = 0;
        for (var i = 0; i < 4_000; i++)
        {
            var length = random.Next(1, 24);
            var words = new string[length];
            for (var w = 0; w < length; w++)
                words[w] = Fragments[random.Next(Fragments.Length)];
            parsed += Check(string.Join(' ', words)) ? 1 : 0;
        }
        Assert.InRange(parsed, 0, 4_000);
    }

    [Fact]
    public void Soups_that_start_like_statements_only_raise_syntax_errors()
    {
        // A plausible prefix gets the parser deep into rules before the noise starts.
        string[] starts = ["SELECT", "SELECT a FROM t WHERE", "CREATE STREAM s (", "INSERT INTO t VALUES (",
            "SELECT * FROM a JOIN b WITHIN", "CREATE TABLE t AS SELECT", "SET", "SHOW", "SELECT CASE", "SELECT CAST("];
        var random = new Random(7);
        var parsed = 0;
        for (var i = 0; i < 3_000; i++)
        {
            var words = new List<string> { starts[random.Next(starts.Length)] };
            var length = random.Next(1, 12);
            for (var w = 0; w < length; w++)
                words.Add(Fragments[random.Next(Fragments.Length)]);
            parsed += Check(string.Join(' ', words)) ? 1 : 0;
        }
        Assert.InRange(parsed, 0, 3_000);
    }

    [Fact]
    public void Truncations_of_the_corpus_only_raise_syntax_errors()
    {
        // Cut before every word and at one random point inside it: every place a statement can stop short.
        var random = new Random(3);
        var stopwatch = Stopwatch.StartNew();
        var checkedCount = 0;
        foreach (var sql in StatementCorpus.Statements)
        {
            var wordStart = 0;
            for (var i = 0; i <= sql.Length; i++)
            {
                if (i < sql.Length && sql[i] != ' ')
                    continue;
                Check(sql[..wordStart]);
                if (i - wordStart > 1)
                    Check(sql[..random.Next(wordStart + 1, i)]);
                checkedCount += 2;
                wordStart = i + 1;
            }
        }
        Assert.True(checkedCount > 2_000);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Random_mutations_of_the_corpus_only_raise_syntax_errors()
    {
        var random = new Random(42);
        var statements = StatementCorpus.Statements;
        for (var i = 0; i < 3_000; i++)
        {
            var words = statements[random.Next(statements.Length)].Split(' ').ToList();
            switch (random.Next(4))
            {
                case 0: words.RemoveAt(random.Next(words.Count)); break;
                case 1: words.Insert(random.Next(words.Count), Fragments[random.Next(Fragments.Length)]); break;
                case 2:
                    var at = random.Next(words.Count);
                    (words[at], words[^1]) = (words[^1], words[at]);
                    break;
                default: words[random.Next(words.Count)] = Fragments[random.Next(Fragments.Length)]; break;
            }
            Check(string.Join(' ', words));
        }
    }

    /// <summary>Parses <paramref name="sql"/>; a success must round-trip, a failure must be a syntax error.</summary>
    private static bool Check(string sql)
    {
        System.Collections.Immutable.ImmutableArray<Ast.Statement> statements;
        try
        {
            statements = SqlParser.Parse(sql);
        }
        catch (SqlSyntaxException e)
        {
            Assert.InRange(e.Offset, 0, sql.Length);
            Assert.True(e.Line >= 1 && e.Column >= 1, sql);
            return false;
        }
        var formatted = SqlFormatter.Format(statements);
        var again = SqlParser.Parse(formatted);
        Assert.True(statements.SequenceEqual(again), $"round trip changed the tree:\n{sql}\n{formatted}");
        return true;
    }
}
