using Query.Grammar.Formatting;
using Query.Grammar.Generated;

namespace Query.Grammar.Tests;

public class ReservedWordTests
{
    /// <summary>Every keyword of the lexer, read from its vocabulary (literal names such as 'SELECT').</summary>
    private static IEnumerable<string> Keywords()
    {
        var vocabulary = QuerySqlLexer.DefaultVocabulary;
        for (var type = 1; type <= QuerySqlLexer.UNRECOGNIZED; type++)
        {
            var literal = vocabulary.GetLiteralName(type);
            if (literal is { Length: > 2 } && char.IsLetter(literal[1]))
                yield return literal.Trim('\'');
        }
    }

    [Fact]
    public void Formatter_reserved_words_match_the_grammar()
    {
        var keywords = Keywords().ToList();
        Assert.True(keywords.Count > 100);
        foreach (var keyword in keywords)
        {
            var usableAsName = TryParse($"SELECT {keyword}.x FROM t AS {keyword}");
            Assert.True(usableAsName != SqlFormatter.ReservedWords.Contains(keyword),
                $"{keyword}: usable as a name = {usableAsName}, but the formatter's reserved list disagrees");
        }
    }

    [Fact]
    public void Reserved_words_are_quoted_by_the_formatter()
    {
        foreach (var word in SqlFormatter.ReservedWords)
        {
            var expr = new Ast.ColumnRef(null, Ast.Identifier.Unquoted(word));
            var text = SqlFormatter.Format(expr);
            Assert.Equal($"\"{word.ToLowerInvariant()}\"", text);
            Assert.Equal(expr, SqlParser.ParseExpression(text));
        }
    }

    private static bool TryParse(string sql)
    {
        try
        {
            SqlParser.Parse(sql);
            return true;
        }
        catch (SqlSyntaxException)
        {
            return false;
        }
    }
}
