using Query.Grammar.Formatting;

namespace Query.Grammar.Tests;

public class RoundTripTests
{
    public static TheoryData<string> Corpus()
    {
        // Each statement runs once (ClientQueryTests round-trips the captured client statements).
        var data = new TheoryData<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sql in StatementCorpus.Statements)
        {
            if (seen.Add(sql))
                data.Add(sql);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Parse_format_parse_gives_an_equal_tree(string sql) => AssertRoundTrips(sql);

    internal static void AssertRoundTrips(string sql)
    {
        var first = SqlParser.Parse(sql);
        var formatted = SqlFormatter.Format(first);
        var second = SqlParser.Parse(formatted);
        Assert.Equal(first.Length, second.Length);
        for (var i = 0; i < first.Length; i++)
            Assert.Equal(first[i], second[i]);
        // Formatting is a fixed point: the formatted text formats to itself.
        Assert.Equal(formatted, SqlFormatter.Format(second));
    }
}
