namespace Query.Grammar.Tests;

public class SyntaxErrorTests
{
    [Fact]
    public void Misspelled_keyword_reports_its_position_and_text()
    {
        var e = Sql.Error("SELECT * FORM t");
        Assert.Equal("FORM", e.OffendingText);
        Assert.Equal(9, e.Offset);
        Assert.Equal(1, e.Line);
        Assert.Equal(10, e.Column);
        Assert.StartsWith("syntax error at or near \"FORM\"", e.Message, StringComparison.Ordinal);
        // The statement could have ended after "*", so what was expected is its end.
        Assert.Contains(";", e.Expected);
    }

    [Fact]
    public void Position_counts_lines_and_columns()
    {
        const string sql = "SELECT *\nFROM t\nWHERE x = = 1";
        var e = Sql.Error(sql);
        Assert.Equal(3, e.Line);
        Assert.Equal(11, e.Column);
        Assert.Equal(sql.LastIndexOf('='), e.Offset);
        Assert.Equal("=", e.OffendingText);
    }

    [Fact]
    public void End_of_input_is_reported_at_the_end()
    {
        const string sql = "SELECT * FROM";
        var e = Sql.Error(sql);
        Assert.Equal(sql.Length, e.Offset);
        Assert.Equal("", e.OffendingText);
        Assert.StartsWith("syntax error at end of input", e.Message, StringComparison.Ordinal);
        Assert.Contains("identifier", e.Expected);
    }

    [Fact]
    public void Expected_lists_what_would_have_fitted()
    {
        var e = Sql.Error("CREATE STREAM s (a INT");
        Assert.Contains(")", e.Expected);
        Assert.Contains(",", e.Expected);
        Assert.Contains("expected", e.Message);
    }

    [Theory]
    [InlineData("SELECT 'abc", 7, "'")]
    [InlineData("SELECT # FROM t", 7, "#")]
    [InlineData("SELEC 1", 0, "SELEC")]
    [InlineData("SELECT 1 2", 9, "2")]
    [InlineData("SELECT a FROM t WHERE", 21, "")]
    [InlineData("INSERT INTO t VALUES (1,)", 24, ")")]
    [InlineData("CREATE TABLE t (id INT PRIMARY)", 30, ")")]
    [InlineData("SELECT * FROM s WINDOW TUMBLING (SIZE 1 FORTNIGHT)", 40, "FORTNIGHT")]
    [InlineData("SELECT CAST(a AS) FROM t", 16, ")")]
    [InlineData("SELECT * FROM t;;\n  DROP", 24, "")]
    public void Errors_point_at_the_offending_token(string sql, int offset, string text)
    {
        var e = Sql.Error(sql);
        Assert.Equal(offset, e.Offset);
        Assert.Equal(text, e.OffendingText);
    }

    [Fact]
    public void Error_in_a_later_statement_is_found()
    {
        var e = Sql.Error("SELECT 1; SELECT FROM");
        Assert.Equal(17, e.Offset);
    }

    [Fact]
    public void Nothing_is_written_to_the_console()
    {
        var output = new StringWriter();
        var originalOut = Console.Out;
        var originalError = Console.Error;
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            foreach (var sql in new[] { "SELEC", "SELECT (", "CREATE STREAM", "SELECT 'x", ")))", "SELECT a FROM t t t" })
                Assert.Throws<SqlSyntaxException>(() => SqlParser.Parse(sql));
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
        Assert.Equal("", output.ToString());
    }

    [Theory]
    [InlineData("(", ")", 100_000)]
    [InlineData("NOT ", "", 20_000)]
    [InlineData("- ", "", 20_000)]
    [InlineData("ARRAY[", "]", 50_000)]
    [InlineData("CASE WHEN ", " THEN 1 END", 10_000)]
    [InlineData("NOT (", ")", 150)]
    [InlineData("- (", ")", 150)]
    public void Deep_nesting_is_statement_too_complex_not_a_crash(string open, string close, int depth)
    {
        var sql = "SELECT " + string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var e = Assert.Throws<StatementTooComplexException>(() => SqlParser.Parse(sql));
        Assert.Contains("statement too complex", e.Message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_parses()
    {
        var depth = SqlParser.MaxNestingDepth;
        var sql = "SELECT " + new string('(', depth) + "1" + new string(')', depth);
        Assert.Single(SqlParser.Parse(sql));
        var e = Assert.Throws<StatementTooComplexException>(
            () => SqlParser.Parse("SELECT " + new string('(', depth + 1) + "1" + new string(')', depth + 1)));
        Assert.Equal(7 + depth, e.Offset);
    }

    [Fact]
    public void Deep_explain_chain_is_statement_too_complex_not_a_crash()
    {
        var e = Assert.Throws<StatementTooComplexException>(
            () => SqlParser.Parse(string.Concat(Enumerable.Repeat("EXPLAIN ", 20_000)) + "SELECT 1"));
        Assert.Contains("statement too complex", e.Message);
    }

    [Fact]
    public void Long_flat_expressions_up_to_the_depth_limit_are_fine()
    {
        // Left-recursive operators parse in a loop, but the tree is one level deeper per operator.
        var sql = "SELECT " + string.Join(" + ", Enumerable.Repeat("1", 900));
        Assert.Single(SqlParser.Parse(sql));
        Assert.Single(SqlParser.Parse("SELECT " + string.Join(" + ", Enumerable.Repeat("1", 5_000)), 10_000));
    }

    [Theory]
    [InlineData(" + ", 20_000)]
    [InlineData(" AND ", 100_000)]
    [InlineData(" OR ", 100_000)]
    [InlineData(" || ", 100_000)]
    public void Extremely_long_flat_expressions_stop_at_the_depth_limit(string op, int terms)
    {
        var sql = "SELECT " + string.Join(op, Enumerable.Repeat("1", terms));
        var e = Assert.Throws<StatementTooComplexException>(() => SqlParser.Parse(sql));
        Assert.Contains($"more than {SqlParser.DefaultMaxDepth} levels", e.Message);
    }
}
