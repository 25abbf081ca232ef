using System.Text;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// ksqlDB's key and value formats: what INSERT writes (the key column in the record key, the rest in the value),
/// what queries read from records other producers wrote, and records that do not decode being skipped and counted.
/// </summary>
public sealed class ValueFormatTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private (string? Key, string Value) Raw(string log, int index)
    {
        var record = _db.Engine.ReadRecords(log)[index];
        return (record.Key is null ? null : Encoding.UTF8.GetString(record.Key), Encoding.UTF8.GetString(record.Value));
    }

    [Theory]
    [InlineData("','", "7,\"a,b\",,2.5")]
    [InlineData("'TAB'", "7\ta,b\t\t2.5")]
    [InlineData("'SPACE'", "7 a,b  2.5")]
    public async Task Delimited_values_use_the_delimiter_and_quote_when_needed(string delimiter, string expected)
    {
        await _db.ExecAsync("CREATE STREAM d (k STRING KEY, i INT, s STRING, n STRING, x DOUBLE) WITH (KAFKA_TOPIC = 'd', "
            + $"FORMAT = 'DELIMITED', VALUE_DELIMITER = {delimiter})");
        await _db.ExecAsync("INSERT INTO d VALUES ('key', 7, 'a,b', NULL, 2.5)");
        Assert.Equal(("key", expected), Raw("d", 0));
        var rows = await _db.QueryAsync("SELECT k, i, s, n, x FROM d");
        Assert.Equal(["key", 7, "a,b", null, 2.5], rows[0]);
    }

    [Fact]
    public async Task Json_keys_and_values_keep_the_key_out_of_the_value()
    {
        await _db.ExecAsync("CREATE STREAM j (id INT KEY, name STRING) WITH (KAFKA_TOPIC = 'j', FORMAT = 'JSON')");
        await _db.ExecAsync("INSERT INTO j VALUES (5, 'x')");
        Assert.Equal(("5", "{\"name\":\"x\"}"), Raw("j", 0));
        await _db.Engine.ProduceAsync("j", null, 10, "6"u8.ToArray(), "{\"name\": \"y\"}"u8.ToArray());
        var rows = await _db.QueryAsync("SELECT id, name, ROWTIME FROM j WHERE id = 6");
        Assert.Equal([6, "y", 10L], rows[0]);
    }

    [Fact]
    public async Task Kafka_values_hold_one_primitive_and_unwrapped_json_too()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM k (id BIGINT KEY, v INT) WITH (KAFKA_TOPIC = 'k', VALUE_FORMAT = 'KAFKA')",
            "CREATE STREAM u (v STRING) WITH (KAFKA_TOPIC = 'u', VALUE_FORMAT = 'JSON', WRAP_SINGLE_VALUE = false)",
            "INSERT INTO k VALUES (1, 258)", "INSERT INTO u VALUES ('hi')");
        Assert.Equal(new byte[] { 0, 0, 1, 2 }, _db.Engine.ReadRecords("k")[0].Value);
        Assert.Equal((null, "\"hi\""), Raw("u", 0));
        Assert.Equal([1L, 258], (await _db.QueryAsync("SELECT id, v FROM k"))[0]);
        Assert.Equal(["hi"], (await _db.QueryAsync("SELECT v FROM u"))[0]);
    }

    [Theory]
    [InlineData("CREATE STREAM e (a INT, b INT) WITH (VALUE_FORMAT = 'KAFKA')", "42P16")]
    [InlineData("CREATE STREAM e (a ARRAY<INT>) WITH (VALUE_FORMAT = 'DELIMITED')", "42P16")]
    [InlineData("CREATE STREAM e (k INT KEY, a INT) WITH (KEY_FORMAT = 'NONE', VALUE_FORMAT = 'JSON')", "42P16")]
    [InlineData("CREATE STREAM e (a INT) WITH (VALUE_FORMAT = 'AVRO')", "0A000")]
    [InlineData("CREATE STREAM e (a INT, b INT) WITH (VALUE_FORMAT = 'JSON', WRAP_SINGLE_VALUE = false)", "42P16")]
    [InlineData("CREATE STREAM e (a MAP<INT, DOUBLE>) WITH (VALUE_FORMAT = 'JSON')", "42P16")]
    [InlineData("CREATE STREAM e (a STRUCT<m MAP<BIGINT, INT>>) WITH (VALUE_FORMAT = 'JSON')", "42P16")]
    [InlineData("CREATE STREAM e (k MAP<STRING, INT> KEY, v INT) WITH (FORMAT = 'JSON')", "42P16")]
    [InlineData("CREATE STREAM e (k ARRAY<MAP<STRING, INT>> KEY, v INT) WITH (FORMAT = 'JSON')", "42P16")]
    [InlineData("CREATE STREAM e (k BOOLEAN KEY, v INT) WITH (KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'JSON')", "42P16")]
    [InlineData("CREATE STREAM e (v BOOLEAN) WITH (VALUE_FORMAT = 'KAFKA')", "42P16")]
    public async Task What_a_format_cannot_hold_is_refused(string sql, string state) =>
        Assert.Equal(state, (await _db.FailsAsync(sql)).SqlState);

    [Fact]
    public async Task Json_maps_with_string_keys_are_accepted() =>
        await _db.ExecAllAsync("CREATE STREAM ok (a MAP<STRING, ARRAY<INT>>) WITH (VALUE_FORMAT = 'JSON')",
            "CREATE STREAM d (a MAP<INT, INT>)");   // our binary format holds any map

    [Fact]
    public async Task Records_that_do_not_decode_are_skipped_and_counted_not_fatal()
    {
        await _db.ExecAsync("CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC = 's', FORMAT = 'JSON')");
        await _db.Engine.ProduceAsync("s", 0, 1, "\"a\""u8.ToArray(), "{\"v\": 1}"u8.ToArray());
        await _db.Engine.ProduceAsync("s", 0, 2, "\"b\""u8.ToArray(), "{not json"u8.ToArray());
        await _db.Engine.ProduceAsync("s", 0, 3, "\"c\""u8.ToArray(), "{\"v\": \"seven\"}"u8.ToArray());
        await _db.Engine.ProduceAsync("s", 0, -4, "\"d\""u8.ToArray(), "{\"v\": 4}"u8.ToArray());
        await _db.Engine.ProduceAsync("s", 0, 5, "\"e\""u8.ToArray(), "{\"v\": 5}"u8.ToArray());
        var rows = await _db.QueryAsync("SELECT k, v FROM s");
        Assert.Equal([["a", 1], ["e", 5]], rows);
        var describe = await _db.QueryAsync("DESCRIBE EXTENDED s");
        Assert.Contains(describe, row => row[2] is string text && text.EndsWith("skipped_records 3", StringComparison.Ordinal));
    }
}

/// <summary>TIMESTAMP_FORMAT: a STRING column parsed with a Java pattern supplies ROWTIME.</summary>
public sealed class TimestampFormatTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData("JSON")]
    [InlineData("BINARY")]
    public async Task A_string_column_with_timestamp_format_supplies_rowtime(string format)
    {
        await _db.ExecAsync("CREATE STREAM t (id INT, at STRING) WITH (TIMESTAMP = 'at', "
            + $"TIMESTAMP_FORMAT = 'yyyy-MM-dd HH:mm:ss', VALUE_FORMAT = '{format}')");
        await _db.ExecAsync("INSERT INTO t VALUES (1, '2024-01-02 03:04:05'), (2, 'not a time')");
        var rows = await _db.QueryAsync("SELECT id, ROWTIME FROM t");
        Assert.Equal([[1, 1_704_164_645_000L]], rows);
        var describe = await _db.QueryAsync("DESCRIBE EXTENDED t");
        Assert.Contains(describe, row => row[2] is string text && text.EndsWith("skipped_records 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Timestamp_format_needs_a_string_timestamp_column() =>
        Assert.Equal(SqlState.DatatypeMismatch, (await _db.FailsAsync(
            "CREATE STREAM t (at BIGINT) WITH (TIMESTAMP = 'at', TIMESTAMP_FORMAT = 'yyyy')")).SqlState);
}
