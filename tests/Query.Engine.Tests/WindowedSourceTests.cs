using System.Buffers.Binary;
using System.Globalization;

namespace Query.Engine.Tests;

/// <summary>Windowed sources: CREATE TABLE / STREAM ... WITH (WINDOW_TYPE, WINDOW_SIZE) read windowed keys.</summary>
public sealed class WindowedSourceTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static byte[] TimeWindowKey(int key, long startMs)
    {
        var bytes = new byte[12];
        BinaryPrimitives.WriteInt32BigEndian(bytes, key);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(4), startMs);
        return bytes;
    }

    private static byte[] SessionKey(int key, long startMs, long endMs)
    {
        var bytes = new byte[20];
        BinaryPrimitives.WriteInt32BigEndian(bytes, key);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(4), endMs);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(12), startMs);
        return bytes;
    }

    private async Task<List<string>> RowsAsync(string sql) =>
        [.. (await _db.QueryAsync(sql)).Select(r => string.Join(",", r.Select(v =>
            Convert.ToString(v, CultureInfo.InvariantCulture)))).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_tumbling_windowed_table_reads_window_bounds_from_its_keys()
    {
        await _db.ExecAsync("CREATE TABLE wt (k INT PRIMARY KEY, n BIGINT) WITH (WINDOW_TYPE = 'Tumbling', "
            + "WINDOW_SIZE = '10 seconds', VALUE_FORMAT = 'JSON', KAFKA_TOPIC = 'wt_topic')");
        await _db.Engine.ProduceAsync("wt_topic", 0, 5, TimeWindowKey(1, 0), "{\"N\": 3}"u8.ToArray());
        await _db.Engine.ProduceAsync("wt_topic", 0, 15, TimeWindowKey(1, 10_000), "{\"N\": 4}"u8.ToArray());
        await _db.Engine.ProduceAsync("wt_topic", 0, 16, TimeWindowKey(1, 0), "{\"N\": 5}"u8.ToArray());
        Assert.Equal(["1,0,10000,5", "1,10000,20000,4"],
            await RowsAsync("SELECT k, WINDOWSTART, WINDOWEND, n FROM wt"));
        Assert.Equal(["1,10000,4"], await RowsAsync("SELECT k, WINDOWSTART, n FROM wt WHERE k = 1 AND "
            + "WINDOWSTART > 0"));
        // INSERT writes the window into the key as well.
        await _db.ExecAsync("INSERT INTO wt (k, n, WINDOWSTART, WINDOWEND) VALUES (2, 7, 20000, 30000)");
        Assert.Contains("2,20000,30000,7", await RowsAsync("SELECT k, WINDOWSTART, WINDOWEND, n FROM wt"));
    }

    [Fact]
    public async Task A_session_windowed_stream_reads_both_bounds_from_its_keys()
    {
        await _db.ExecAsync("CREATE STREAM ws (k INT KEY, v STRING) WITH (WINDOW_TYPE = 'SESSION', "
            + "VALUE_FORMAT = 'JSON', KAFKA_TOPIC = 'ws_topic')");
        await _db.Engine.ProduceAsync("ws_topic", 0, 5, SessionKey(3, 1_000, 4_000), "{\"V\": \"a\"}"u8.ToArray());
        Assert.Equal(["3,1000,4000,a"], await RowsAsync("SELECT k, WINDOWSTART, WINDOWEND, v FROM ws"));
    }

    [Theory]
    [InlineData("WINDOW_TYPE = 'HOPPING', WINDOW_SIZE = '30 bobs'")]
    [InlineData("WINDOW_TYPE = 'TUMBLING'")]
    [InlineData("WINDOW_TYPE = 'SESSION', WINDOW_SIZE = '1 SECOND'")]
    [InlineData("WINDOW_TYPE = 'SLIDING', WINDOW_SIZE = '1 SECOND'")]
    [InlineData("WINDOW_SIZE = '1 SECOND'")]
    public async Task Bad_window_properties_are_refused(string properties)
    {
        var error = await _db.FailsAsync($"CREATE TABLE bad (k INT PRIMARY KEY, n BIGINT) WITH ({properties})");
        Assert.Equal("22023", error.SqlState);
    }
}
