using Query.PgWire.Framing;
using Query.PgWire.Types;

namespace Query.PgWire.Tests;

/// <summary>Binary and text encodings byte for byte as PostgreSQL 15 produced them (pgwire.md §4 captures).</summary>
public sealed class EncodingTests
{
    private static string Encode(int oid, bool binary, Action<PgRowWriter> write)
    {
        using var output = new PgOutputBuffer();
        var writer = new PgRowWriter(output);
        writer.Configure([oid], [binary]);
        writer.BeginRow();
        write(writer);
        writer.EndRow();
        // DataRow: 'D', int32 length, int16 count, int32 value length, value.
        var value = output.Written.Span[11..];
        return binary ? Convert.ToHexString(value) : System.Text.Encoding.UTF8.GetString(value);
    }

    [Theory]
    [InlineData("12.34", "0002000000000002000C0D48")]
    [InlineData("0", "0000000000000000")]
    [InlineData("-1", "0001000040000000" + "0001")]
    [InlineData("10000.5", "000300010000000100010000" + "1388")]
    [InlineData("0.0001", "0001FFFF00000004" + "0001")]
    public void Numeric_binary_matches_postgres(string value, string hex) =>
        Assert.Equal(hex, Encode(PgTypeOid.Numeric, true, w => w.WriteNumeric(decimal.Parse(value,
            System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>A 38-digit numeric (DECIMAL above System.Decimal's 28 digits) as unscaled value and scale: the same
    /// bytes as the decimal path where both apply, and its exact digits back where only it applies.</summary>
    [Theory]
    [InlineData("1234", 2, "0002000000000002000C0D48")]
    [InlineData("0", 0, "0000000000000000")]
    [InlineData("-1", 0, "0001000040000000" + "0001")]
    [InlineData("100005", 1, "000300010000000100010000" + "1388")]
    [InlineData("1", 4, "0001FFFF00000004" + "0001")]
    public void Wide_numeric_binary_matches_postgres(string unscaled, int scale, string hex) =>
        Assert.Equal(hex, Encode(PgTypeOid.Numeric, true, w => w.WriteNumeric(Int128.Parse(unscaled,
            System.Globalization.CultureInfo.InvariantCulture), scale)));

    [Theory]
    [InlineData("123456789876543212345678987654321", 16, "12345678987654321.2345678987654321")]
    [InlineData("-99999999999999999999999999999999999999", 0, "-99999999999999999999999999999999999999")]
    [InlineData("-12", 16, "-0.0000000000000012")]
    [InlineData("99999999999999999999999999999999999999", 38, "0.99999999999999999999999999999999999999")]
    public void Wide_numeric_round_trips_in_binary_and_text(string unscaled, int scale, string text)
    {
        var value = Int128.Parse(unscaled, System.Globalization.CultureInfo.InvariantCulture);
        var binary = Convert.FromHexString(Encode(PgTypeOid.Numeric, true, w => w.WriteNumeric(value, scale)));
        Assert.Equal(text, PgNumeric.ReadBinaryAsText(binary));
        Assert.Equal(text, Encode(PgTypeOid.Numeric, false, w => w.WriteNumeric(value, scale)));
    }

    [Fact]
    public void Numeric_binary_decodes_back_to_its_exact_text()
    {
        Assert.Equal("12.34", PgNumeric.ReadBinaryAsText(Convert.FromHexString("0002000000000002000C0D48")));
        Assert.Equal("10000.5", PgNumeric.ReadBinaryAsText(Convert.FromHexString("0003000100000001000100001388")));
        Assert.Equal("-0.0001", PgNumeric.ReadBinaryAsText(Convert.FromHexString("0001FFFF400000040001")));
        Assert.Equal("NaN", PgNumeric.ReadBinaryAsText(Convert.FromHexString("00000000C0000000")));
    }

    [Fact]
    public void Timestamp_binary_counts_microseconds_from_2000()
    {
        var micros = PgTime.ToUnixMicros(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234560));
        Assert.Equal("0002B0EC8517D580", Encode(PgTypeOid.Timestamp, true, w => w.WriteTimestamp(micros)));
        Assert.Equal("2024-01-02 03:04:05.123456", Encode(PgTypeOid.Timestamp, false, w => w.WriteTimestamp(micros)));
        Assert.Equal("infinity", Encode(PgTypeOid.Timestamp, false, w => w.WriteTimestamp(long.MaxValue)));
    }

    [Fact]
    public void Date_and_interval_match_postgres()
    {
        Assert.Equal("0000223F", Encode(PgTypeOid.Date, true, w => w.WriteDate(new DateOnly(2024, 1,
            2).DayNumber - 719_162)));
        Assert.Equal("00000001B81EE6000000000100000000",
            Encode(PgTypeOid.Interval, true, w => w.WriteInterval(7_384_000_000, 1, 0)));
        Assert.Equal("1 day 02:03:04", Encode(PgTypeOid.Interval, false, w => w.WriteInterval(7_384_000_000, 1, 0)));
        Assert.Equal("1 year 2 mons 3 days -04:05:06.5",
            Encode(PgTypeOid.Interval, false, w => w.WriteInterval(-14_706_500_000, 3, 14)));
        Assert.Equal("-1 days +01:00:00", Encode(PgTypeOid.Interval, false, w => w.WriteInterval(3_600_000_000, -1,
            0)));
    }

    [Fact]
    public void Arrays_encode_like_postgres()
    {
        Assert.Equal("000000010000000000000017000000030000000100000004000000010000000400000002000000040000000" + "3",
            Encode(PgTypeOid.Int4Array, true, w =>
            {
                w.BeginArray(3);
                w.WriteInt32(1);
                w.WriteInt32(2);
                w.WriteInt32(3);
                w.EndArray();
            }));
        Assert.Equal("{a,\"b c\",NULL,\"\",\"NULL\",\"q\\\"\"}", Encode(PgTypeOid.TextArray, false, w =>
        {
            w.BeginArray(6);
            w.WriteText("a");
            w.WriteText("b c");
            w.WriteNull();
            w.WriteText("");
            w.WriteText("NULL");
            w.WriteText("q\"");
            w.EndArray();
        }));
    }

    [Fact]
    public void Floats_and_misc_text_forms()
    {
        Assert.Equal("1e+100", Encode(PgTypeOid.Float8, false, w => w.WriteFloat8(1e100)));
        Assert.Equal("1.2345e-05", Encode(PgTypeOid.Float8, false, w => w.WriteFloat8(1.2345e-5)));
        Assert.Equal("-Infinity", Encode(PgTypeOid.Float8, false, w => w.WriteFloat8(double.NegativeInfinity)));
        Assert.Equal("3FC00000", Encode(PgTypeOid.Float4, true, w => w.WriteFloat4(1.5f)));
        Assert.Equal("\\x0102", Encode(PgTypeOid.Bytea, false, w => w.WriteBytes([1, 2])));
        Assert.Equal("017B2261223A20317D", Encode(PgTypeOid.Jsonb, true, w => w.WriteText("{\"a\": 1}")));
        Assert.Equal("t", Encode(PgTypeOid.Bool, false, w => w.WriteBool(true)));
    }

    [Fact]
    public void Row_with_missing_values_is_rejected()
    {
        using var output = new PgOutputBuffer();
        var writer = new PgRowWriter(output);
        writer.Configure([PgTypeOid.Int4, PgTypeOid.Int4], [true, true]);
        writer.BeginRow();
        writer.WriteInt32(1);
        Assert.Throws<InvalidOperationException>(writer.EndRow);
    }
}
