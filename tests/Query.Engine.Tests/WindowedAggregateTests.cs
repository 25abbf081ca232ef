using System.Globalization;

namespace Query.Engine.Tests;

/// <summary>
/// WINDOW TUMBLING / HOPPING / SESSION in CREATE TABLE AS SELECT and push queries: window bounds, grace and late
/// records, retention, EMIT FINAL, session merges with tombstones, restarts, and what is refused.
/// </summary>
public sealed class WindowedAggregateTests : WindowedStreamTestBase
{
    /// <summary>The windowed table's rows as "key@start-end=values", sorted.</summary>
    private async Task<List<string>> RowsAsync(string table, string values)
    {
        var rows = await Db.QueryAsync($"SELECT k, WINDOWSTART, WINDOWEND, {values} FROM {table}");
        return [.. rows.Select(r => $"{r[0]}@{r[1]}-{r[2]}=" + string.Join(",", r[3..].Select(v =>
            Convert.ToString(v, CultureInfo.InvariantCulture)))).Order(StringComparer.Ordinal)];
    }

    private async Task<List<string>> WaitForRowsAsync(string table, string values, List<string> expected)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            await Db.Engine.WaitForPersistentQueriesAsync(TimeSpan.FromSeconds(5));
            var actual = await RowsAsync(table, values);
            if (actual.SequenceEqual(expected) || DateTime.UtcNow > deadline)
                return actual;
            await Task.Delay(25);
        }
    }

    private async Task<object?[]> ShowQueryAsync() => (await Db.QueryAsync("SHOW QUERIES EXTENDED")).Single();

    private static long LateDropped(object?[] show) => (long)show[^1]!;

    [Fact]
    public async Task Tumbling_counts_per_key_and_window_equal_a_recomputation_and_carry_window_bounds()
    {
        await Db.ExecAsync("CREATE TABLE t AS SELECT k, COUNT(*) AS n, SUM(x) AS total FROM ev "
            + "WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY k EMIT CHANGES");
        var random = new Random(11);
        var rows = Enumerable.Range(0, 200).Select(_ => (random.Next(5), random.Next(100),
            (long)random.Next(0, 60_000))).ToArray();
        await InsertAsync(rows);
        var expected = rows.GroupBy(r => (r.Item1, r.Item3 / 10_000 * 10_000))
            .Select(g => $"{g.Key.Item1}@{g.Key.Item2}-{g.Key.Item2 + 10_000}={g.Count()},{g.Sum(r => r.Item2)}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await WaitForRowsAsync("t", "n, total", expected));
        // Pull queries by key and by window range read the windowed table.
        var one = await Db.QueryAsync("SELECT k, WINDOWSTART, n FROM t WHERE k = 1 AND WINDOWSTART >= 20000 "
            + "AND WINDOWEND <= 40000");
        Assert.Equal(rows.Where(r => r.Item1 == 1 && r.Item3 is >= 20_000 and < 40_000)
            .Select(r => r.Item3 / 10_000 * 10_000).Distinct().Count(), one.Count);
        Assert.All(one, r => Assert.Equal(1, r[0]));
        Assert.Equal(0L, LateDropped(await ShowQueryAsync()));
    }

    [Fact]
    public async Task Hopping_windows_count_each_event_in_every_window_that_contains_it()
    {
        await Db.ExecAsync("CREATE TABLE h AS SELECT k, COUNT(*) AS n FROM ev "
            + "WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY k EMIT CHANGES");
        await InsertAsync((1, 0, 1_000), (1, 0, 7_000), (1, 0, 12_000));
        List<string> expected = ["1@0-10000=2", "1@10000-20000=1", "1@5000-15000=2"];
        Assert.Equal(expected, await WaitForRowsAsync("h", "n", expected));
    }

    [Fact]
    public async Task Records_later_than_the_grace_period_are_dropped_and_counted_also_across_a_restart()
    {
        await Db.ExecAsync("CREATE TABLE g AS SELECT k, COUNT(*) AS n FROM ev "
            + "WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 5 SECONDS) GROUP BY k EMIT CHANGES");
        await InsertAsync((1, 0, 1_000), (1, 0, 14_000));
        await InsertAsync((1, 0, 2_000));     // stream time 14 s < 10 s + 5 s: still in grace
        await InsertAsync((1, 0, 15_000));    // stream time 15 s: window [0, 10 s) has closed
        await InsertAsync((1, 0, 3_000));     // late: dropped
        List<string> expected = ["1@0-10000=2", "1@10000-20000=2"];
        Assert.Equal(expected, await WaitForRowsAsync("g", "n", expected));
        Assert.Equal(1L, LateDropped(await ShowQueryAsync()));
        await Db.RestartAsync();
        await InsertAsync((1, 0, 4_000));     // still late after the restart (stream time was restored)
        await InsertAsync((1, 0, 16_000));
        expected = ["1@0-10000=2", "1@10000-20000=3"];
        Assert.Equal(expected, await WaitForRowsAsync("g", "n", expected));
        Assert.Equal(2L, LateDropped(await ShowQueryAsync()));
    }

    [Fact]
    public async Task Retention_removes_expired_windows_from_the_state_and_its_log()
    {
        await Db.ExecAsync("CREATE TABLE r AS SELECT k, COUNT(*) AS n FROM ev "
            + "WINDOW TUMBLING (SIZE 1 SECOND, RETENTION 2 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT CHANGES");
        for (var second = 0; second < 20; second++)
            await InsertAsync((1, 0, (second * 1_000) + 500), (2, 0, (second * 1_000) + 600));
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        var id = (string)(await ShowQueryAsync())[0]!;
        var state = Db.Engine.ReadRecords($"_query_{id}_state");
        // Replaying the state log (latest record per key wins, an empty value removes) leaves only the windows of
        // the last two seconds of stream time: 2 keys x at most 3 windows, not 40.
        var live = state.GroupBy(r => Convert.ToHexString(r.Key!)).Select(g => g.Last())
            .Count(r => r.Key![0] == 1 && r.Value.Length > 0);
        Assert.InRange(live, 1, 6);
        // Restored state holds only unexpired windows: a record for an expired window is late after a restart too.
        await Db.RestartAsync();
        await InsertAsync((1, 0, 100));
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        Assert.Equal(1L, LateDropped(await ShowQueryAsync()));
    }

    [Fact]
    public async Task Emit_final_writes_each_window_once_when_it_closes()
    {
        await Db.ExecAsync("CREATE TABLE f AS SELECT k, COUNT(*) AS n FROM ev "
            + "WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 2 SECONDS) GROUP BY k EMIT FINAL");
        await InsertAsync((1, 0, 1_000), (1, 0, 2_000), (2, 0, 3_000), (1, 0, 11_000));
        await InsertAsync((1, 0, 12_500));    // stream time passes 10 s + 2 s: window [0, 10 s) closes
        List<string> expected = ["1@0-10000=2", "2@0-10000=1"];
        Assert.Equal(expected, await WaitForRowsAsync("f", "n", expected));
        var id = (string)(await ShowQueryAsync())[0]!;
        Assert.StartsWith("CTAS_F", id, StringComparison.OrdinalIgnoreCase);
        var log = Db.Engine.ListStreams().Single(s => s.Name.Equals("f", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, Db.Engine.ReadRecords(log.LogName).Count);   // one record per closed window, no updates
    }

    [Fact]
    public async Task Sessions_merge_when_an_event_bridges_them_and_the_merged_away_ones_are_tombstoned()
    {
        await Db.ExecAsync("CREATE TABLE se AS SELECT k, COUNT(*) AS n, SUM(x) AS total FROM ev "
            + "WINDOW SESSION (5 SECONDS) GROUP BY k EMIT CHANGES");
        await InsertAsync((1, 1, 0), (1, 2, 10_000), (2, 5, 1_000));
        List<string> expected = ["1@0-0=1,1", "1@10000-10000=1,2", "2@1000-1000=1,5"];
        Assert.Equal(expected, await WaitForRowsAsync("se", "n, total", expected));
        await InsertAsync((1, 4, 5_000));     // within 5 s of both sessions of key 1: one session [0, 10 s]
        expected = ["1@0-10000=3,7", "2@1000-1000=1,5"];
        Assert.Equal(expected, await WaitForRowsAsync("se", "n, total", expected));
        var log = Db.Engine.ListStreams().Single(s => s.Name.Equals("se", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, Db.Engine.ReadRecords(log.LogName).Count(r => r.ValueIsNull));
    }

    [Fact]
    public async Task A_push_query_streams_window_updates()
    {
        await InsertAsync((1, 0, 1_000), (1, 0, 1_500), (1, 0, 2_500));
        var rows = await Db.QueryAsync("SELECT k, WINDOWSTART, WINDOWEND, COUNT(*) AS n FROM ev "
            + "WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k EMIT CHANGES LIMIT 2");
        Assert.Equal([1, 1000L, 2000L], rows[0][..3]);
        Assert.Contains(rows, r => (long)r[1]! == 2000 && (long)r[3]! == 1);
    }

    [Theory]
    [InlineData("SELECT k, COUNT(*) FROM ev WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k", "42P20")]
    [InlineData("SELECT * FROM ev WINDOW TUMBLING (SIZE 1 SECOND)", "42P20")]
    [InlineData("SELECT k, COUNT(*) FROM ev GROUP BY k EMIT FINAL", "42601")]
    [InlineData("SELECT k FROM ev WINDOW TUMBLING (SIZE 1 SECOND) EMIT CHANGES", "42803")]
    [InlineData("SELECT k, COUNT(*) FROM ev WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k, WINDOWSTART EMIT CHANGES",
        "42803")]
    [InlineData("SELECT k, COUNT(*) FROM ev WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k HAVING WINDOWEND > 5 "
        + "EMIT CHANGES", "42803")]
    [InlineData("SELECT k, COUNT(*) FROM ev WINDOW HOPPING (SIZE 1 SECOND, ADVANCE BY 2 SECONDS) GROUP BY k "
        + "EMIT CHANGES", "22023")]
    [InlineData("SELECT k, COUNT(*) FROM ev WINDOW TUMBLING (SIZE 10 SECONDS, RETENTION 1 SECOND) GROUP BY k "
        + "EMIT CHANGES", "22023")]
    [InlineData("SELECT WINDOWSTART FROM ev", "42803")]
    public async Task Wrong_window_queries_are_refused(string sql, string sqlState)
    {
        var error = await Db.FailsAsync(sql);
        Assert.Equal(sqlState, error.SqlState);
    }

    [Fact]
    public async Task Explain_shows_the_window_with_ksqldb_default_grace()
    {
        var plan = await Db.QueryAsync("EXPLAIN SELECT k, COUNT(*) FROM ev WINDOW TUMBLING (SIZE 30 SECONDS) "
            + "GROUP BY k EMIT CHANGES");
        var text = string.Join("\n", plan.Select(r => r[0]));
        Assert.Contains("WindowedAggregate TUMBLING (SIZE 30000 ms, GRACE 86400000 ms, RETENTION 86430000 ms) "
            + "EMIT CHANGES", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_windowed_ctas_survives_restarts()
    {
        await Db.ExecAsync("CREATE TABLE w AS SELECT k, COUNT(*) AS n FROM ev "
            + "WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY k EMIT CHANGES");
        await InsertAsync((1, 0, 1_000), (2, 0, 11_000));
        await WaitForRowsAsync("w", "n", ["1@0-10000=1", "2@10000-20000=1"]);
        await Db.RestartAsync();
        await InsertAsync((1, 0, 2_000), (2, 0, 12_000));
        List<string> expected = ["1@0-10000=2", "2@10000-20000=2"];
        Assert.Equal(expected, await WaitForRowsAsync("w", "n", expected));
    }
}
