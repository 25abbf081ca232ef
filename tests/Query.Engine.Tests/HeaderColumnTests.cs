using System.Text;
using Query.Engine.Errors;
using Query.Engine.Types;
using Query.Storage;

namespace Query.Engine.Tests;

/// <summary>
/// HEADERS and HEADER('key') columns read the record's headers (as ksqlDB): produced records keep their headers in
/// the log, queries read them back, the catalog keeps the columns across a restart, and INSERT cannot write them.
/// </summary>
public sealed class HeaderColumnTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync()
    {
        await _db.ExecAsync("CREATE STREAM h (k STRING KEY, v INT, hs ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> "
            + "HEADERS, a BYTES HEADER('a')) WITH (KAFKA_TOPIC = 'h_topic', FORMAT = 'JSON', DURABILITY = 'NONE')");
        await ProduceAsync("x", 1, [new RecordHeader("a", Bytes("first")), new RecordHeader("b", Bytes("bee")),
            new RecordHeader("a", Bytes("last"))]);
        await ProduceAsync("y", 2, []);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private Task ProduceAsync(string key, int value, RecordHeader[] headers) =>
        _db.Engine.ProduceAsync("h_topic", 0, 100, Bytes($"\"{key}\""), Bytes($"{{\"V\": {value}}}"), headers).AsTask();

    [Fact]
    public async Task Headers_column_lists_every_header_and_header_column_the_last_with_its_key()
    {
        var rows = await _db.QueryAsync("SELECT k, v, hs, a FROM h");
        Assert.Equal(2, rows.Count);
        var all = ((SqlArray)rows[0][2]!).Items.Cast<SqlStruct>().ToList();
        Assert.Equal(["a", "b", "a"], all.Select(s => (string)s.Fields[0]!));
        Assert.Equal("bee", Encoding.UTF8.GetString((byte[])all[1].Fields[1]!));
        Assert.Equal("last", Encoding.UTF8.GetString((byte[])rows[0][3]!));
        Assert.Empty(((SqlArray)rows[1][2]!).Items);
        Assert.Null(rows[1][3]);
    }

    [Fact]
    public async Task Header_values_work_in_expressions_and_push_queries()
    {
        var rows = await _db.QueryAsync("SELECT FROM_BYTES(a, 'utf8'), ARRAY_LENGTH(hs) FROM h WHERE a IS NOT NULL");
        Assert.Equal("last", Assert.Single(rows)[0]);
        Assert.Equal(3, rows[0][1]);
        await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
        await using var push = await _db.Session.ExecuteAsync("SELECT k, a FROM h EMIT CHANGES LIMIT 3");
        var reading = EngineFixture.ReadAllAsync(push.Rows!);
        await ProduceAsync("z", 3, [new RecordHeader("a", Bytes("live"))]);
        var pushed = await reading.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("live", Encoding.UTF8.GetString((byte[])pushed[2][1]!));
    }

    [Fact]
    public async Task Insert_leaves_header_columns_out_and_refuses_to_name_them()
    {
        await _db.ExecAsync("INSERT INTO h VALUES ('w', 4)");
        var row = Assert.Single(await _db.QueryAsync("SELECT v, hs, a FROM h WHERE k = 'w'"));
        Assert.Equal(4, row[0]);
        Assert.Empty(((SqlArray)row[1]!).Items);
        Assert.Equal("428C9", (await _db.FailsAsync("INSERT INTO h (k, a) VALUES ('q', NULL)")).SqlState);
    }

    [Fact]
    public async Task The_catalog_keeps_header_columns_across_a_restart_and_describe_shows_them()
    {
        await _db.RestartAsync();
        var rows = await _db.QueryAsync("SELECT a FROM h WHERE k = 'x'");
        Assert.Equal("last", Encoding.UTF8.GetString((byte[])Assert.Single(rows)[0]!));
        var describe = await _db.QueryAsync("DESCRIBE h");
        Assert.Equal(["KEY", null, "HEADERS", "HEADER('a')"], describe.Select(r => r[2]));
    }

    [Fact]
    public async Task Header_columns_are_not_value_columns_of_the_format()
    {
        await _db.ExecAsync("CREATE STREAM d (v INT, hs ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS) "
            + "WITH (KAFKA_TOPIC = 'd_topic', VALUE_FORMAT = 'KAFKA', DURABILITY = 'NONE')");
        await _db.Engine.ProduceAsync("d_topic", 0, 1, null, [0, 0, 0, 7], [new RecordHeader("k", Bytes("v"))]);
        var row = Assert.Single(await _db.QueryAsync("SELECT v, hs FROM d"));
        Assert.Equal(7, row[0]);
        Assert.Single(((SqlArray)row[1]!).Items);
    }

    [Fact]
    public async Task Delimited_refuses_wrap_single_value_true() =>
        Assert.Equal(SqlState.InvalidParameterValue, (await _db.FailsAsync(
            "CREATE STREAM w (k STRING KEY, v INT) WITH (WRAP_SINGLE_VALUE = true, VALUE_FORMAT = 'DELIMITED')"))
            .SqlState);

    [Theory]
    [InlineData("CREATE STREAM b1 (v INT, a BYTES HEADER('a'))", SqlState.FeatureNotSupported)]
    [InlineData("CREATE STREAM b2 (v INT, a STRING HEADER('a')) WITH (VALUE_FORMAT = 'JSON')", "42804")]
    [InlineData("CREATE STREAM b3 (v INT, hs ARRAY<STRING> HEADERS) WITH (VALUE_FORMAT = 'JSON')", "42804")]
    [InlineData("CREATE STREAM b4 (v INT, h1 ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS, "
        + "h2 ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS) WITH (VALUE_FORMAT = 'JSON')", "42P16")]
    public async Task Wrong_header_columns_are_refused(string sql, string sqlState) =>
        Assert.Equal(sqlState, (await _db.FailsAsync(sql)).SqlState);
}
