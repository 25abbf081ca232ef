namespace Query.PgWire.Tests;

public sealed class SqlSplitterTests
{
    [Fact]
    public void Splits_at_top_level_semicolons_only()
    {
        var parts = PgSqlSplitter.Split(
            "SELECT 'a;b'; SELECT \"x;y\" -- c;d\n; /* e; /* nested; */ f; */ SELECT $tag$ g; $tag$;;");
        Assert.Equal(3, parts.Count);
        Assert.Equal("SELECT 'a;b'", parts[0].Sql);
        Assert.Equal(14, parts[1].Offset);
        Assert.StartsWith("/* e;", parts[2].Sql, StringComparison.Ordinal);
        Assert.EndsWith("$tag$ g; $tag$", parts[2].Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_strings_and_parameters_do_not_confuse_it()
    {
        var parts = PgSqlSplitter.Split("SELECT E'it\\'s;' , $1; SELECT 2");
        Assert.Equal(["SELECT E'it\\'s;' , $1", "SELECT 2"], parts.Select(p => p.Sql));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ;  ; ")]
    [InlineData("-- only a comment")]
    [InlineData("/* block */")]
    public void Blank_strings_have_no_statements(string sql) => Assert.Empty(PgSqlSplitter.Split(sql));
}
