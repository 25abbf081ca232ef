using System.Globalization;
using Query.Engine.Execution;

namespace Query.Engine.Tests;

/// <summary>
/// A windowed table's own materialized state (what pull queries read): windows past RETENTION leave it, as they
/// leave ksqlDB's window store, also across restarts; its size stays bounded over a long run; and a pull query by
/// key reads only that key's windows (an index by key), within the WINDOWSTART / WINDOWEND bounds of the WHERE.
/// </summary>
public sealed class WindowedTableStateTests : WindowedStreamTestBase
{
    private async Task<List<string>> WindowsAsync(string sql, params object?[] parameters)
    {
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        var rows = await Db.QueryAsync(sql, parameters);
        return [.. rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r[0]}@{r[1]}={r[2]}"))
            .Order(StringComparer.Ordinal)];
    }

    private State.TableState TableState(string name)
    {
        Assert.True(Db.Engine.TryGetStream(name, out var stream));
        return stream.Table!;
    }

    private async Task<(List<object?[]> Rows, ScanStatistics Statistics)> RunAsync(string sql)
    {
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        await using var result = await Db.Session.ExecuteAsync(sql);
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        return (rows, result.Rows!.Statistics);
    }

    [Fact]
    public async Task Windows_past_retention_leave_the_table_a_pull_query_reads_also_after_a_restart()
    {
        await Db.ExecAsync("CREATE TABLE r AS SELECT k, COUNT(*) AS n FROM ev WINDOW TUMBLING (SIZE 1 SECOND, "
            + "RETENTION 3 SECONDS, GRACE PERIOD 2 SECONDS) GROUP BY k EMIT CHANGES");
        await InsertAsync([(1, 100), (1, 1_100), (1, 2_100), (2, 2_200)]);
        List<string> before = ["1@0=1", "1@1000=1", "1@2000=1"];
        Assert.Equal(before, await WindowsAsync("SELECT k, WINDOWSTART, n FROM r WHERE k = 1"));
        // Stream time (the latest window start) reaches 10 s: windows starting at or before 7 s are gone.
        await InsertAsync([(2, 10_500)]);
        Assert.Empty(await WindowsAsync("SELECT k, WINDOWSTART, n FROM r WHERE k = 1"));
        List<string> after = ["2@10000=1"];
        Assert.Equal(after, await WindowsAsync("SELECT k, WINDOWSTART, n FROM r"));
        Assert.Equal(1, TableState("r").Count);
        // The changelog still holds every window's records; the state rebuilt from it after a restart does not
        // bring the expired ones back.
        await Db.RestartAsync();
        Assert.Equal(after, await WindowsAsync("SELECT k, WINDOWSTART, n FROM r"));
        Assert.Empty(await WindowsAsync("SELECT k, WINDOWSTART, n FROM r WHERE k = 1"));
        // Within retention a window is still there and still updated.
        await InsertAsync([(2, 9_000), (2, 10_700)]);
        Assert.Equal(["2@10000=2", "2@9000=1"], await WindowsAsync("SELECT k, WINDOWSTART, n FROM r WHERE k = 2"));
    }

    [Fact]
    public async Task A_long_run_keeps_the_tables_window_count_bounded_by_retention()
    {
        await Db.ExecAsync("CREATE TABLE b AS SELECT k, COUNT(*) AS n FROM ev WINDOW TUMBLING (SIZE 1 SECOND, "
            + "RETENTION 5 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT CHANGES");
        var state = TableState("b");
        long peakWindows = 0, peakBytes = 0;
        for (var second = 0; second < 200; second += 10)
        {
            var rows = new List<(int, long)>();
            for (var s = second; s < second + 10; s++)
            {
                for (var key = 0; key < 20; key++)
                    rows.Add((key, (s * 1_000L) + 10 + key));
            }
            await InsertAsync(rows);
            await WindowsAsync("SELECT k, WINDOWSTART, n FROM b WHERE k = 0");
            peakWindows = Math.Max(peakWindows, state.Count);
            peakBytes = Math.Max(peakBytes, state.MemoryBytes);
        }
        // 4,000 windows were written; the state holds at most the last ~6 seconds' (20 keys each).
        Assert.InRange(state.Count, 20, 20 * 6);
        Assert.InRange(peakWindows, 20, 20 * 16);
        Assert.Equal(state.Count, state.Windows!.WindowCount);
        Assert.True(peakBytes < 20 * 16 * 400, $"{peakBytes} bytes at the peak");
        var (rows0, _) = await RunAsync("SELECT k, WINDOWSTART, n FROM b");
        Assert.Equal(state.Count, rows0.Count);
        Assert.All(rows0, r => Assert.True((long)r[1]! >= 194_000, $"window {r[1]}"));
    }

    [Fact]
    public async Task A_pull_query_by_key_reads_only_that_keys_windows_and_explain_shows_the_lookup()
    {
        await Db.ExecAsync("CREATE TABLE l AS SELECT k, COUNT(*) AS n FROM ev WINDOW TUMBLING (SIZE 1 SECOND) "
            + "GROUP BY k EMIT CHANGES");
        var rows = new List<(int, long)>();
        for (var key = 0; key < 500; key++)
        {
            for (var s = 0; s < 8; s++)
                rows.Add((key, (s * 1_000L) + 5));
        }
        await InsertAsync(rows);
        var (all, scan) = await RunAsync("SELECT k, WINDOWSTART, n FROM l");
        Assert.Equal(4_000, all.Count);
        Assert.Equal(4_000, scan.RecordsScanned);
        var (one, lookup) = await RunAsync("SELECT k, WINDOWSTART, n FROM l WHERE k = 42");
        Assert.Equal(8, one.Count);
        Assert.Equal(8, lookup.RecordsScanned);   // that key's windows, not the table
        Assert.Equal([0L, 1_000L, 2_000L, 3_000L, 4_000L, 5_000L, 6_000L, 7_000L], one.Select(r => (long)r[1]!));
        var (range, ranged) = await RunAsync("SELECT k, WINDOWSTART, n FROM l WHERE k = 42 AND WINDOWSTART >= 2000 "
            + "AND WINDOWEND <= 5000");
        Assert.Equal([2_000L, 3_000L, 4_000L], range.Select(r => (long)r[1]!));
        Assert.Equal(3, ranged.RecordsScanned);
        var (two, _) = await RunAsync("SELECT k, WINDOWSTART, n FROM l WHERE k IN (1, 2) AND WINDOWSTART = 7000");
        Assert.Equal(["1@7000", "2@7000"], two.Select(r => $"{r[0]}@{r[1]}").Order(StringComparer.Ordinal));
        var (between, _) = await RunAsync("SELECT k, WINDOWSTART FROM l WHERE k = 3 AND WINDOWSTART BETWEEN 1000 "
            + "AND 2000 OR k = 4 AND WINDOWSTART > 6000");
        Assert.Equal(["3@1000", "3@2000", "4@7000"], between.Select(r => $"{r[0]}@{r[1]}")
            .Order(StringComparer.Ordinal));
        var plan = string.Join("\n", (await Db.QueryAsync("EXPLAIN SELECT k, n FROM l WHERE k = 42 AND "
            + "WINDOWSTART >= 2000 AND WINDOWEND < 5000")).Select(r => r[0]));
        Assert.Contains("KeyLookup l (materialized state, windows by key) on k = 42; windows WINDOWSTART >= 2000, "
            + "WINDOWEND < 5000", plan, StringComparison.Ordinal);
        // Parameters (a prepared lookup) bind the key and the bounds at each execution.
        Assert.Equal(["9@5000=1", "9@6000=1"], await WindowsAsync(
            "SELECT k, WINDOWSTART, n FROM l WHERE k = $1 AND WINDOWSTART >= $2 AND WINDOWSTART < $3", 9, 5_000L,
            7_000L));
    }

    [Fact]
    public async Task Sessions_are_looked_up_by_key_and_expire_by_their_end()
    {
        await Db.ExecAsync("CREATE TABLE s AS SELECT k, COUNT(*) AS n FROM ev WINDOW SESSION (1 SECOND, "
            + "RETENTION 5 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT CHANGES");
        await InsertAsync([(1, 0), (1, 500), (2, 600), (1, 3_000), (1, 3_400)]);
        Assert.Equal(["1@0=2", "1@3000=2"], await WindowsAsync("SELECT k, WINDOWSTART, n FROM s WHERE k = 1"));
        Assert.Equal(["1@3000=2"], await WindowsAsync(
            "SELECT k, WINDOWSTART, n FROM s WHERE k = 1 AND WINDOWEND >= 1000"));
        // The latest session end reaches 6.2 s: sessions ending at or before 1.2 s are gone (key 1's first, key 2's).
        await InsertAsync([(3, 6_200)]);
        Assert.Equal(["1@3000=2"], await WindowsAsync("SELECT k, WINDOWSTART, n FROM s WHERE k = 1"));
        Assert.Empty(await WindowsAsync("SELECT k, WINDOWSTART, n FROM s WHERE k = 2"));
        await Db.RestartAsync();
        Assert.Equal(["1@3000=2", "3@6200=1"], await WindowsAsync("SELECT k, WINDOWSTART, n FROM s"));
    }
}
