using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>The 38-digit DECIMAL value: parsing, text, rounding, arithmetic, comparison and overflow.</summary>
public sealed class WideDecimalTests
{
    private static WideDecimal D(string text) => WideDecimal.Parse(text);

    [Theory]
    [InlineData("12345678987654321.2345678987654321", "12345678987654321.2345678987654321")]
    [InlineData(".12", "0.12")]
    [InlineData("-.12", "-0.12")]
    [InlineData("-12345.1200", "-12345.1200")]
    [InlineData("1.5E3", "1500")]
    [InlineData("15E-3", "0.015")]
    [InlineData("99999999999999999999999999999999999999", "99999999999999999999999999999999999999")]
    [InlineData("0", "0")]
    public void Parses_and_prints_exactly(string text, string expected) => Assert.Equal(expected, D(text).ToString());

    [Theory]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("")]
    public void Bad_text_is_22P02(string text) =>
        Assert.Equal(SqlState.InvalidTextRepresentation, Assert.Throws<SqlException>(() => D(text)).SqlState);

    [Fact]
    public void More_than_38_integral_digits_is_22003() =>
        Assert.Equal(SqlState.NumericValueOutOfRange,
            Assert.Throws<SqlException>(() => D("123456789012345678901234567890123456789")).SqlState);

    [Theory]
    [InlineData("1.25", 33, 1, "1.3")]
    [InlineData("-1.25", 33, 1, "-1.3")]
    [InlineData(".12", 33, 16, "0.1200000000000000")]
    [InlineData("12345678987654321.23456789876543219", 33, 16, "12345678987654321.2345678987654322")]
    public void To_precision_rounds_half_away_from_zero_and_pads_the_scale(string text, int precision, int scale,
        string expected) => Assert.Equal(expected, D(text).ToPrecision(precision, scale).ToString());

    [Fact]
    public void To_precision_past_the_precision_is_22003()
    {
        var error = Assert.Throws<SqlException>(() => D("123456789012345678.5").ToPrecision(33, 16));
        Assert.Equal(SqlState.NumericValueOutOfRange, error.SqlState);
    }

    [Fact]
    public void Arithmetic_is_exact()
    {
        Assert.Equal("12345678987654322.2345678987654321",
            (D("12345678987654321.2345678987654321") + D("1")).ToString());
        Assert.Equal("-0.0000000000000001", (D("1.9999999999999999") - D("2.0000000000000000")).ToString());
        Assert.Equal("152415789666209420.210333789971041", (D("12345678987.654321") * D("12345678.987654321"))
            .ToString());
        Assert.Equal("0.333333", WideDecimal.Divide(D("1"), D("3"), 6).ToString());
        Assert.Equal("-0.666667", WideDecimal.Divide(D("-2"), D("3"), 6).ToString());
        Assert.Equal("-1.5", WideDecimal.Remainder(D("-7.5"), D("3")).ToString());
        Assert.Equal(SqlState.DivisionByZero,
            Assert.Throws<SqlException>(() => WideDecimal.Divide(D("1"), D("0.00"), 2)).SqlState);
        Assert.Equal(SqlState.NumericValueOutOfRange, Assert.Throws<SqlException>(() =>
            D("99999999999999999999999999999999999999") + D("1")).SqlState);
    }

    [Fact]
    public void Compares_numerically_across_scales()
    {
        Assert.True(D("1.0") == D("1.00"));
        Assert.Equal(D("1.0").GetHashCode(), D("1.000").GetHashCode());
        Assert.True(D("-0.5") < D("0.25"));
        Assert.True(D("12345678987654321.2345678987654321") > D("12345678987654321.234567898765432"));
        Assert.Equal(1, D("2").CompareTo((object)D("1.999")));
    }

    [Theory]
    [InlineData("-1.5", 0, true, "-1.0")]
    [InlineData("1.5", 0, true, "2.0")]
    [InlineData("-1.5", 0, false, "-2.0")]
    [InlineData("12345678987654321.2345678987654321", -1, true, "12345678987654320.0000000000000000")]
    [InlineData("12345678987654321.2345678987654321", 10, true, "12345678987654321.2345678988000000")]
    public void Rounds_keeping_the_scale(string text, int places, bool halfUp, string expected) =>
        Assert.Equal(expected, D(text).RoundTo(places, halfUp).ToString());

    [Fact]
    public void Converts_to_and_from_system_decimal_and_double()
    {
        Assert.Equal(decimal.MaxValue, WideDecimal.FromDecimal(decimal.MaxValue).ToDecimal());
        Assert.Equal(-0.1m, WideDecimal.FromDecimal(-0.1m).ToDecimal());
        Assert.Equal("-0.1", WideDecimal.FromDecimal(-0.1m).ToString());
        Assert.Equal("12345678987654321.234567898765",
            D("12345678987654321.2345678987654321").ToDecimal()
                .ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(55555.555555555555555555, D("55555.555555555555555555").ToDouble());
        Assert.Equal(SqlState.NumericValueOutOfRange, Assert.Throws<SqlException>(() =>
            D("99999999999999999999999999999999999999").ToDecimal()).SqlState);
    }
}
