using Query.Engine.Errors;

namespace Query.Engine.Tests;

public sealed class PushQueryTests : IAsyncLifetime
{
    // Bounds a hang only: rows that arrive do so at once, but a machine shared by parallel builds can stall a test
    // process for tens of seconds.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAsync(
        "CREATE STREAM s (k INT KEY, v STRING) WITH (PARTITIONS = 2, DURABILITY = 'NONE')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<StatementResult> StartAsync(string sql, EngineSession? session = null) =>
        await (session ?? _db.Session).ExecuteAsync(sql);

    [Fact]
    public async Task Starts_at_the_end_and_delivers_rows_inserted_later()
    {
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'old')");
        await using var push = await StartAsync("SELECT k, v FROM s WHERE v <> 'skip' EMIT CHANGES LIMIT 2");
        Assert.True(_db.Session.Prepare("SELECT k FROM s EMIT CHANGES").IsPushQuery);
        var reading = EngineFixture.ReadAllAsync(push.Rows!);
        await _db.ExecAllAsync("INSERT INTO s VALUES (2, 'new')", "INSERT INTO s VALUES (3, 'skip')",
            "INSERT INTO s VALUES (4, 'newer')");
        var rows = await reading.WaitAsync(Timeout);
        Assert.Equal(["new", "newer"], rows.Select(r => r[1]).Order());
        Assert.False(await push.Rows!.ReadAsync());
    }

    [Fact]
    public async Task Earliest_replays_history_then_continues_live_without_gap_or_duplicate()
    {
        await _db.ExecAsync("INSERT INTO s (v) VALUES ('a'), ('b'), ('c'), ('d'), ('e'), ('f')");
        await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
        await using var push = await StartAsync("SELECT ROWPARTITION, ROWOFFSET, v FROM s EMIT CHANGES LIMIT 12");
        var firstTwo = await EngineFixture.ReadAllAsync(push.Rows!, max: 2).WaitAsync(Timeout);
        var writer = Task.Run(async () =>
        {
            var session = _db.Engine.CreateSession();
            foreach (var v in new[] { "g", "h", "i", "j", "k", "l" })
                await (await session.ExecuteAsync($"INSERT INTO s (v) VALUES ('{v}')")).DisposeAsync();
        });
        var rest = await EngineFixture.ReadAllAsync(push.Rows!).WaitAsync(Timeout);
        await writer;
        var all = firstTwo.Concat(rest).ToList();
        Assert.Equal(12, all.Count);
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"], all.Select(r =>
            (string)r[2]!).Order());
        foreach (var partition in all.GroupBy(r => r[0]))
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(i => (long)i), partition.Select(r =>
                (long)r[1]!));
    }

    [Fact]
    public async Task A_reconnecting_client_resumes_after_the_last_offset_it_saw()
    {
        await _db.ExecAsync("CREATE STREAM one (v INT) WITH (DURABILITY = 'NONE')");
        await _db.ExecAsync("INSERT INTO one VALUES (0), (1), (2), (3), (4)");
        await using var push = await StartAsync(
            "SELECT ROWOFFSET, v FROM one WHERE ROWOFFSET > 2 EMIT CHANGES LIMIT 3");
        var reading = EngineFixture.ReadAllAsync(push.Rows!);
        await _db.ExecAsync("INSERT INTO one VALUES (5)");
        var rows = await reading.WaitAsync(Timeout);
        Assert.Equal([3L, 4L, 5L], rows.Select(r => (long)r[0]!));
    }

    [Fact]
    public async Task A_client_resumes_by_offset_after_an_engine_restart()
    {
        await _db.ExecAsync("CREATE STREAM r (v INT) WITH (DURABILITY = 'SYNC', VALUE_FORMAT = 'JSON')");
        await _db.ExecAsync("INSERT INTO r VALUES (0), (1), (2)");
        await _db.RestartAsync();
        await using var push = await StartAsync("SELECT ROWOFFSET, v FROM r WHERE ROWOFFSET > 1 EMIT CHANGES LIMIT 2");
        var reading = EngineFixture.ReadAllAsync(push.Rows!);
        await _db.ExecAsync("INSERT INTO r VALUES (3)");
        Assert.Equal([[2L, 2], [3L, 3]], await reading.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Rowtime_lower_bound_replays_from_that_time()
    {
        await _db.ExecAllAsync("CREATE STREAM t (v INT) WITH (DURABILITY = 'NONE')",
            "INSERT INTO t (v, ROWTIME) VALUES (1, 1000), (2, 2000), (3, 3000)");
        await using var push = await StartAsync("SELECT v FROM t WHERE ROWTIME >= 2000 EMIT CHANGES LIMIT 2");
        var rows = await EngineFixture.ReadAllAsync(push.Rows!).WaitAsync(Timeout);
        Assert.Equal([2, 3], rows.Select(r => r[0]));
    }

    [Fact]
    public async Task Cancellation_ends_a_waiting_push_query_with_57014()
    {
        await using var push = await StartAsync("SELECT * FROM s EMIT CHANGES");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var error = await Assert.ThrowsAsync<SqlException>(async () => await push.Rows!.ReadAsync(cancel.Token));
        Assert.Equal(SqlState.QueryCanceled, error.SqlState);
    }

    [Fact]
    public async Task A_thousand_push_queries_on_one_stream_each_get_every_row()
    {
        const int Queries = 1000;
        var results = new List<StatementResult>();
        var readers = new List<Task<List<object?[]>>>();
        for (var i = 0; i < Queries; i++)
        {
            var session = _db.Engine.CreateSession();
            var result = await session.ExecuteAsync("SELECT k, v FROM s EMIT CHANGES LIMIT 3");
            results.Add(result);
            // Each reader runs on the thread pool, as a server connection's would: started from the test method,
            // its awaits would resume through xunit's synchronization context, which starts a thread for every
            // continuation it is handed (3,200 threads for the first row of a thousand readers; 10-20 s at load 30).
            readers.Add(Task.Run(() => EngineFixture.ReadAllAsync(result.Rows!)));
        }
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'x'), (2, 'y'), (3, 'z')");
        var all = await Task.WhenAll(readers).WaitAsync(Timeout);
        Assert.All(all, rows => Assert.Equal(["x", "y", "z"], rows.Select(r => (string)r[1]!).Order()));
        foreach (var result in results)
            await result.DisposeAsync();
    }

    [Fact]
    public async Task A_push_aggregation_streams_each_changed_group()
    {
        await using var push = await StartAsync("SELECT k, COUNT(*) AS n, SUM(LEN(v)) AS total FROM s GROUP BY k "
            + "EMIT CHANGES LIMIT 3");
        var reading = EngineFixture.ReadAllAsync(push.Rows!);
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'ab')");
        await _db.ExecAsync("INSERT INTO s VALUES (2, 'abc')");
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'abcd')");
        var rows = await reading.WaitAsync(Timeout);
        // Per key in order (keys 1 and 2 live in different partitions, read round robin).
        Assert.Equal([[1, 1L, 2], [1, 2L, 6], [2, 1L, 3]], rows.Select(r => new object?[] { r[0], r[1],
            Convert.ToInt32(r[2], System.Globalization.CultureInfo.InvariantCulture) }).OrderBy(r => (int)r[0]!));
    }

    [Fact]
    public async Task Order_by_in_push_queries_is_unsupported()
    {
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("SELECT k FROM s ORDER BY k EMIT CHANGES")).SqlState);
    }
}
