namespace Query.Engine.Tests;

/// <summary>
/// A persistent query's sink WITH (TIMESTAMP = 'col' [, TIMESTAMP_FORMAT]): the output row's time comes from the
/// column, and a row whose column is NULL, negative or does not parse is dropped and counted, as ksqlDB does.
/// </summary>
public sealed class SinkTimestampTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM src (k STRING KEY, id BIGINT, at STRING) WITH (KAFKA_TOPIC = 'src', FORMAT = 'JSON')",
        "SET 'auto.offset.reset' = 'earliest'",
        "INSERT INTO src VALUES ('a', 1, '2018-05-11T21:58:33Z'), ('b', -2, 'not a time'), ('c', 3, NULL)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<(long Time, string Value)>> SinkAsync(string log)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!_db.Engine.Queries.List().All(q => q.CaughtUp) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.All(_db.Engine.Queries.List(), q => Assert.Null(q.Error));
        return [.. _db.Engine.ReadRecords(log).Select(r => (r.TimestampMs, System.Text.Encoding.UTF8.GetString(r.Value)))];
    }

    [Fact]
    public async Task A_bigint_column_gives_the_time_and_a_negative_one_drops_the_row()
    {
        await _db.ExecAsync("CREATE STREAM ts WITH (TIMESTAMP = 'sink_ts') AS SELECT k, id AS sink_ts, id FROM src");
        Assert.Equal([(1L, "{\"sink_ts\":1,\"id\":1}"), (3L, "{\"sink_ts\":3,\"id\":3}")], await SinkAsync("ts"));
        Assert.Equal(1, _db.Engine.Queries.List().Single().RowsSkipped);
    }

    [Fact]
    public async Task A_string_column_with_timestamp_format_gives_the_time_and_bad_text_drops_the_row()
    {
        await _db.ExecAsync("CREATE STREAM ts WITH (TIMESTAMP = 'at', TIMESTAMP_FORMAT = 'yyyy-MM-dd''T''HH:mm:ssX') "
            + "AS SELECT k, id, at FROM src");
        var rows = await SinkAsync("ts");
        Assert.Equal(1_526_075_913_000L, Assert.Single(rows).Time);
        Assert.Equal(2, _db.Engine.Queries.List().Single().RowsSkipped);
    }
}
