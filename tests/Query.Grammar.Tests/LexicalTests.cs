using Query.Grammar.Ast;

namespace Query.Grammar.Tests;

public class LexicalTests
{
    [Fact]
    public void Unquoted_identifiers_are_lower_cased_and_keep_their_text()
    {
        var column = Assert.IsType<ColumnRef>(Sql.Expr("myCol"));
        Assert.Equal("mycol", column.Name.Value);
        Assert.Equal("myCol", column.Name.Text);
        Assert.False(column.Name.Quoted);
        Assert.Equal(Sql.Column("MYCOL"), column);
    }

    [Theory]
    [InlineData("`myCol`", "myCol")]
    [InlineData("\"myCol\"", "myCol")]
    [InlineData("\"with \"\"quote\"\"\"", "with \"quote\"")]
    [InlineData("`with ``tick```", "with `tick`")]
    [InlineData("\"select\"", "select")]
    public void Quoted_identifiers_keep_case(string sql, string value)
    {
        var name = Assert.IsType<ColumnRef>(Sql.Expr(sql)).Name;
        Assert.Equal(value, name.Value);
        Assert.True(name.Quoted);
    }

    [Fact]
    public void Quoted_lower_case_equals_unquoted()
    {
        Assert.Equal(Sql.Expr("FOO"), Sql.Expr("\"foo\""));
        Assert.NotEqual(Sql.Expr("foo"), Sql.Expr("\"FOO\""));
    }

    [Fact]
    public void Keywords_are_case_insensitive()
    {
        Assert.Equal(SqlParser.Parse("SELECT a FROM t WHERE b IS NOT NULL"),
            SqlParser.Parse("select a from t where b is not null"),
            new StatementListComparer());
        Assert.Equal(Sql.Statement<Show>("SHOW STREAMS"), Sql.Statement<Show>("sHoW sTrEaMs"));
    }

    [Fact]
    public void Non_reserved_keywords_work_as_names()
    {
        var s = Sql.Select("SELECT key, value, size, type, topic, stream, source, time FROM stream AS key");
        Assert.Equal(8, s.Items.Count);
        Assert.Equal("key", Assert.IsType<TableRef>(s.From).Alias!.Value);
    }

    [Fact]
    public void Comments_are_ignored()
    {
        var plain = SqlParser.Parse("SELECT a FROM t");
        Assert.Equal(plain, SqlParser.Parse("SELECT /* x */ a -- y\nFROM /* multi\nline */ t -- end"),
            new StatementListComparer());
    }

    [Fact]
    public void Unicode_letters_in_identifiers_and_strings()
    {
        Assert.Equal("über", Assert.IsType<ColumnRef>(Sql.Expr("ÜBER")).Name.Value);
        Assert.Equal(new StringLiteral("日本 😀"), Sql.Expr("'日本 😀'"));
    }

    [Fact]
    public void Spans_cover_the_source_text()
    {
        const string sql = "SELECT  a + 1 AS x\nFROM t; SHOW TABLES";
        var statements = SqlParser.Parse(sql);
        Assert.Equal(new TextSpan(0, 25), statements[0].Span);
        Assert.Equal("SHOW TABLES", sql.Substring(statements[1].Span.Start, statements[1].Span.Length));
        var item = Assert.IsType<SingleColumn>(Assert.IsType<Select>(((QueryStatement)statements[0]).Query.Body).Items[0]);
        Assert.Equal("a + 1 AS x", sql.Substring(item.Span.Start, item.Span.Length));
        Assert.Equal("a + 1", sql.Substring(item.Expression.Span.Start, item.Expression.Span.Length));
        Assert.Equal((2, 1), TextSpan.GetLineColumn(sql, sql.IndexOf("FROM", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parsing_from_many_threads_gives_the_same_trees()
    {
        var expected = StatementCorpus.Statements.Select(sql => SqlParser.Parse(sql)).ToArray();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < StatementCorpus.Statements.Length; i++)
                Assert.True(expected[i].SequenceEqual(SqlParser.Parse(StatementCorpus.Statements[i])));
            Assert.Throws<SqlSyntaxException>(() => SqlParser.Parse("SELECT * FORM t"));
        });
    }

    [Fact]
    public void Spans_do_not_take_part_in_equality()
    {
        var a = Sql.Expr("a+1");
        var b = Sql.Expr("  a   +   1");
        Assert.NotEqual(a.Span, b.Span);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    /// <summary>ImmutableArray compares by reference; compare its elements.</summary>
    private sealed class StatementListComparer : IEqualityComparer<System.Collections.Immutable.ImmutableArray<Statement>>
    {
        public bool Equals(System.Collections.Immutable.ImmutableArray<Statement> x,
            System.Collections.Immutable.ImmutableArray<Statement> y) => x.SequenceEqual(y);

        public int GetHashCode(System.Collections.Immutable.ImmutableArray<Statement> obj) => obj.Length;
    }
}
