using System.Text;
using Query.Engine.Format;
using Query.Engine.Functions;

namespace Query.Engine.Tests;

/// <summary>
/// Byte-level details where our DELIMITED and JSON formats follow ksqlDB's serializers: Java's double text, Commons
/// CSV's minimal quoting, Jackson's integer reading of a JSON number with a fraction; and ROUND of a DOUBLE keeping
/// every digit of its shortest text.
/// </summary>
public sealed class KsqlSerdeDetailTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(10.0, "10.0")]
    [InlineData(2.5, "2.5")]
    [InlineData(0.001, "0.001")]
    [InlineData(1e7, "1.0E7")]
    [InlineData(1.5e-4, "1.5E-4")]
    [InlineData(double.Epsilon, "4.9E-324")]
    [InlineData(double.MaxValue, "1.7976931348623157E308")]
    [InlineData(-2.2250738585072014E-308, "-2.2250738585072014E-308")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Doubles_are_written_as_java_writes_them(double value, string expected) =>
        Assert.Equal(expected, JavaDoubleText.Format(value));

    [Fact]
    public async Task Delimited_fields_are_quoted_where_commons_csv_quotes_them()
    {
        await _db.ExecAsync("CREATE STREAM d (k STRING KEY, a STRING, b STRING, c STRING, e STRING) "
            + "WITH (KAFKA_TOPIC = 'd', FORMAT = 'DELIMITED')");
        await _db.ExecAsync("INSERT INTO d VALUES ('k', '-1', ' x', 'y ', ''), ('k', 'a', '-1', '#', 'ok')");
        var records = _db.Engine.ReadRecords("d");
        Assert.Equal("\"-1\",\" x\",\"y \",", Encoding.UTF8.GetString(records[0].Value));
        Assert.Equal("a,-1,\"#\",ok", Encoding.UTF8.GetString(records[1].Value));
        Assert.Equal([["-1", " x", "y ", null], ["a", "-1", "#", "ok"]],
            await _db.QueryAsync("SELECT a, b, c, e FROM d ORDER BY ROWOFFSET"));
    }

    [Fact]
    public async Task A_json_number_with_a_fraction_reads_into_an_integer_column_cut_toward_zero()
    {
        await _db.ExecAsync("CREATE STREAM j (i INT, l BIGINT) WITH (KAFKA_TOPIC = 'j', VALUE_FORMAT = 'JSON')");
        await _db.Engine.ProduceAsync("j", 0, 1, null, "{\"i\": -1.7, \"l\": 2.9}"u8.ToArray());
        await _db.Engine.ProduceAsync("j", 0, 2, null, "{\"i\": 1e12}"u8.ToArray());   // beyond INT: skipped
        Assert.Equal([[-1, 2L]], await _db.QueryAsync("SELECT i, l FROM j"));
    }

    [Theory]
    [InlineData(4477.646407574158, 13, 4477.646407574158)]
    [InlineData(-548.3161232732465, 13, -548.3161232732465)]
    [InlineData(1.005, 2, 1.01)]
    [InlineData(-1.5, 0, -1.0)]
    public void Round_of_a_double_keeps_its_shortest_digits(double value, int places, double expected) =>
        Assert.Equal(expected, Rounding.RoundHalfUp(value, places));
}
