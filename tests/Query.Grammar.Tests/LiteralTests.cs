using Query.Grammar.Ast;

namespace Query.Grammar.Tests;

public class LiteralTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("42", 42L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Integers_are_longs(string sql, long value) => Assert.Equal(new IntegerLiteral(value), Sql.Expr(sql));

    [Theory]
    [InlineData("1.5", "1.5")]
    [InlineData("1.50", "1.50")]
    [InlineData(".5", ".5")]
    [InlineData("2.", "2.")]
    [InlineData("9223372036854775808", "9223372036854775808")]
    public void Decimals_keep_their_text(string sql, string text)
    {
        var literal = Assert.IsType<DecimalLiteral>(Sql.Expr(sql));
        Assert.Equal(text, literal.Text);
        Assert.True(literal.TryGetDecimal(out _));
    }

    [Theory]
    [InlineData("1e3", 1000.0)]
    [InlineData("1.5E-3", 0.0015)]
    [InlineData("2E+2", 200.0)]
    [InlineData(".5e1", 5.0)]
    public void Numbers_with_an_exponent_are_doubles(string sql, double value) =>
        Assert.Equal(new DoubleLiteral(value), Sql.Expr(sql));

    [Fact]
    public void Out_of_range_double_is_a_syntax_error() =>
        Assert.Equal(7, Sql.Error("SELECT 1e999").Offset);

    [Fact]
    public void Strings_undo_doubled_quotes()
    {
        Assert.Equal(new StringLiteral("it's"), Sql.Expr("'it''s'"));
        Assert.Equal(new StringLiteral(""), Sql.Expr("''"));
        Assert.Equal(new StringLiteral("a\nb -- not a comment"), Sql.Expr("'a\nb -- not a comment'"));
    }

    [Fact]
    public void Booleans_null_and_typed_literals()
    {
        Assert.Equal(new BooleanLiteral(true), Sql.Expr("TRUE"));
        Assert.Equal(new BooleanLiteral(false), Sql.Expr("false"));
        Assert.Equal(new NullLiteral(), Sql.Expr("NULL"));
        Assert.Equal(new TimestampLiteral("2024-01-01 00:00:00"), Sql.Expr("TIMESTAMP '2024-01-01 00:00:00'"));
        Assert.Equal(new DateLiteral("2024-01-01"), Sql.Expr("DATE '2024-01-01'"));
        Assert.Equal(new TimeLiteral("12:00"), Sql.Expr("TIME '12:00'"));
        Assert.Equal(new IntervalLiteral("5", TimeUnit.Minute), Sql.Expr("INTERVAL '5' MINUTES"));
        Assert.Equal(new IntervalLiteral("1 day", null), Sql.Expr("INTERVAL '1 day'"));
    }

    [Fact]
    public void Typed_literal_keywords_are_still_column_names()
    {
        Assert.Equal(Sql.Column("timestamp"), Sql.Expr("timestamp"));
        Assert.Equal(Sql.Column("date"), Sql.Expr("date"));
    }
}
