using System.Text;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Tests;

public sealed class Utf8ValueParserTests
{
    public static TheoryData<string, string> SameAsText => new()
    {
        { "INT", "42" }, { "INT", "-2147483648" }, { "INT", "+7" }, { "INT", " 12 " }, { "INT", "007" },
        { "BIGINT", "-9223372036854775808" }, { "BIGINT", "123456789012345678" }, { "BIGINT", "9223372036854775807" },
        { "DOUBLE", "1.5" }, { "DOUBLE", "-0.25e3" }, { "DOUBLE", "NaN" }, { "DOUBLE", "-Infinity" },
        { "DOUBLE", " 3 " }, { "BOOLEAN", "t" }, { "BOOLEAN", "FALSE" }, { "BOOLEAN", "yes" }, { "BOOLEAN", "0" },
        { "DECIMAL(5, 2)", "1.005" }, { "DECIMAL(5, 2)", "-999.99" }, { "DECIMAL(10, 0)", "1e3" },
        { "TIMESTAMP", "2024-01-01 00:00:00" }, { "TIMESTAMP", "2024-02-29T23:59:59.999Z" },
        { "TIMESTAMP", "1969-12-31 23:59:59.5" }, { "TIMESTAMP", "2024-01-01 00:00:00.1239999" },
        { "TIMESTAMP", "0001-01-01 00:00:00" }, { "TIMESTAMP", "2024-01" },
        { "TIMESTAMP", "2024-06-01T12:00:00+02:00" },
        { "DATE", "2024-03-01" }, { "TIME", "12:34:56.789" }, { "STRING", "plain" }, { "BYTES", "\\x0aff" },
    };

    [Fact]
    public void Plain_decimals_parse_to_the_same_bits_as_double_parse()
    {
        var random = new Random(5);
        var samples = new List<string> { "0", "-0", "1.", ".5", "-.5", "+3.25", "999999999999999", "0.000000000000001",
            "123456789012.345", "9007199254740993", "1.0000000000000001", "0.1", "0.3", "971.96", "-182.89" };
        for (var i = 0; i < 20_000; i++)
        {
            var integer = random.NextInt64(0, 10_000_000_000L).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var fraction = random.NextInt64(0, 100_000_000L).ToString(System.Globalization.CultureInfo.InvariantCulture);
            samples.Add((random.Next(2) == 0 ? "-" : "") + integer[..random.Next(1, integer.Length + 1)] + "."
                + fraction[..random.Next(0, fraction.Length + 1)]);
        }
        foreach (var text in samples)
        {
            var expected = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Utf8ValueParser.TryParseDouble(Encoding.UTF8.GetBytes(text), out var actual), text);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
        }
        Assert.False(Utf8ValueParser.TryParsePlainDecimal("1e3"u8, out _));
        Assert.False(Utf8ValueParser.TryParsePlainDecimal("1234567890123456"u8, out _));
        Assert.False(Utf8ValueParser.TryParsePlainDecimal("."u8, out _));
    }

    [Theory]
    [MemberData(nameof(SameAsText))]
    public void Parses_every_value_exactly_as_the_string_path_does(string typeName, string text)
    {
        var type = SqlTypeParser.Parse(typeName);
        var expected = Cell.FromObject(ValueCast.ParseText(text, type), type);
        var actual = Utf8ValueParser.ParseCell(Encoding.UTF8.GetBytes(text), type);
        Assert.Equal(expected.ToObject(type), actual.ToObject(type));
    }

    [Theory]
    [InlineData("INT", "12x", SqlState.InvalidTextRepresentation, "invalid input syntax for type integer: \"12x\"")]
    [InlineData("INT", "", SqlState.InvalidTextRepresentation, "invalid input syntax for type integer: \"\"")]
    [InlineData("INT", "3000000000", SqlState.NumericValueOutOfRange, "value out of range for type integer")]
    [InlineData("BIGINT", "99999999999999999999", SqlState.InvalidTextRepresentation, null)]
    [InlineData("DOUBLE", "1.2.3", SqlState.InvalidTextRepresentation, null)]
    [InlineData("DECIMAL(5, 2)", "1000.5", SqlState.NumericValueOutOfRange, "numeric field overflow")]
    [InlineData("TIMESTAMP", "2024-02-30 00:00:00", SqlState.InvalidDatetimeFormat, null)]
    [InlineData("TIMESTAMP", "2024-01-01 25:00:00", SqlState.InvalidDatetimeFormat, null)]
    [InlineData("BOOLEAN", "maybe", SqlState.InvalidTextRepresentation, null)]
    public void Bad_values_raise_the_same_error_as_the_string_path(string typeName, string text, string sqlState,
        string? message)
    {
        var type = SqlTypeParser.Parse(typeName);
        var expected = Assert.Throws<SqlException>(() => ValueCast.ParseText(text, type));
        var actual = Assert.Throws<SqlException>(() => Utf8ValueParser.ParseCell(Encoding.UTF8.GetBytes(text), type));
        Assert.Equal(sqlState, actual.SqlState);
        Assert.Equal(expected.Message, actual.Message);
        if (message is not null)
            Assert.Equal(message, actual.Message);
    }

    [Theory]
    [InlineData("2024-01-01 00:00:00", 1_704_067_200_000L)]
    [InlineData("2024-01-01T00:00:00.5", 1_704_067_200_500L)]
    [InlineData("2024-01-01 00:00:00.1239", 1_704_067_200_123L)]
    [InlineData("1970-01-01 00:00:00Z", 0L)]
    [InlineData("1969-12-31 23:59:59.999", -1L)]
    public void Iso_timestamps_take_the_fast_path(string text, long expectedMs)
    {
        Assert.True(Utf8ValueParser.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out var ms));
        Assert.Equal(expectedMs, ms);
    }

    [Theory]
    [InlineData("2024-01-01")]
    [InlineData("2024-01-01 00:00:00.")]
    [InlineData("2024-01-01 00:00:00.12345678")]
    [InlineData("2024-01-01 00:00:00+01:00")]
    [InlineData("2024-01-01 00:00:00z")]
    [InlineData("2024-13-01 00:00:00")]
    [InlineData("2023-02-29 00:00:00")]
    [InlineData("2024-01-01 00:60:00")]
    public void Other_timestamp_forms_are_left_to_the_slow_path(string text) =>
        Assert.False(Utf8ValueParser.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-17", -17L)]
    [InlineData("+17", 17L)]
    [InlineData("999999999999999999", 999_999_999_999_999_999L)]
    public void Plain_integers_take_the_fast_path(string text, long expected)
    {
        Assert.True(Utf8ValueParser.TryParseInt64(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1 ")]
    [InlineData("1000000000000000000")]
    [InlineData("1_000")]
    public void Anything_else_is_not_a_fast_path_integer(string text) =>
        Assert.False(Utf8ValueParser.TryParseInt64(Encoding.UTF8.GetBytes(text), out _));
}
