namespace Query.Grammar.Tests;

public class SmokeTests
{
    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("SELECT version();")]
    [InlineData("CREATE STREAM s (id BIGINT KEY, name STRING) WITH (kafka_topic = 's', value_format = 'JSON')")]
    [InlineData("SELECT a, COUNT(*) FROM s WINDOW TUMBLING (SIZE 1 MINUTE) WHERE ROWTIME > 5 GROUP BY a EMIT CHANGES LIMIT 3")]
    public void Parses(string sql)
    {
        var statements = SqlParser.Parse(sql);
        Assert.Single(statements);
    }

    [Fact]
    public void Error()
    {
        var ex = Assert.Throws<SqlSyntaxException>(() => SqlParser.Parse("SELECT * FORM t"));
        Assert.Equal("FORM", ex.OffendingText);
        Assert.Equal(9, ex.Offset);
        Assert.Contains("expected", ex.Message);
    }
}
