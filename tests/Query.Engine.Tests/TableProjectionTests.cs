using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// CREATE TABLE AS SELECT over a table without GROUP BY (ksqlDB's table projection): the sink keeps the source's
/// key, each upsert is an upsert, each delete a delete, and a row that stops passing WHERE leaves the sink.
/// </summary>
public sealed class TableProjectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync("SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task CaughtUpAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!_db.Engine.Queries.List().All(q => q.CaughtUp) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.All(_db.Engine.Queries.List(), q => Assert.Null(q.Error));
    }

    [Theory]
    [InlineData("BINARY")]
    [InlineData("JSON")]
    public async Task Upserts_deletes_and_filtered_rows_reach_the_sink_table(string format)
    {
        await _db.ExecAllAsync($"CREATE TABLE t (id INT PRIMARY KEY, n INT) WITH (VALUE_FORMAT = '{format}')",
            "INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)",
            "CREATE TABLE big AS SELECT id, n * 2 AS n2 FROM t WHERE n > 15");
        await CaughtUpAsync();
        Assert.Equal([[2, 40], [3, 60]], await _db.QueryAsync("SELECT id, n2 FROM big ORDER BY id"));
        await _db.ExecAllAsync("INSERT INTO t VALUES (1, 16), (2, 5)", "DELETE FROM t WHERE id = 3");
        await CaughtUpAsync();
        Assert.Equal([[1, 32]], await _db.QueryAsync("SELECT id, n2 FROM big ORDER BY id"));
    }

    [Fact]
    public async Task The_key_must_be_selected_and_a_stream_cannot_take_a_table_projection()
    {
        await _db.ExecAsync("CREATE TABLE t (id INT PRIMARY KEY, n INT)");
        Assert.Equal(SqlState.GroupingError, (await _db.FailsAsync("CREATE TABLE x AS SELECT n FROM t")).SqlState);
        Assert.Equal(SqlState.WrongObjectType, (await _db.FailsAsync("CREATE STREAM s AS SELECT * FROM t")).SqlState);
        Assert.Equal("42P16", (await _db.FailsAsync("CREATE TABLE k AS SELECT id FROM t")).SqlState);
    }
}
