using System.Globalization;

namespace Query.Engine.Tests;

/// <summary>
/// A persistent tumbling aggregate with EMIT CHANGES writes each changed window once per emission (before a commit,
/// and before windows expire), not once per input batch, and the windowed table still equals a recomputation.
/// </summary>
public sealed class WindowedCoalescingTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with
    {
        BatchRows = 16,
        PersistentAggregateCommitIntervalMs = 60_000,
    });

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM ev (k INT KEY, x INT) WITH (PARTITIONS = 1, DURABILITY = 'NONE')",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Changed_windows_are_written_once_per_emission_not_once_per_batch()
    {
        // 400 events, 4 keys, times rising over five 10-second windows: 20 windows, 25 input batches of 16.
        var rows = Enumerable.Range(0, 400).Select(i => (Key: i % 4, X: i, TimeMs: i * 125L)).ToArray();
        foreach (var chunk in rows.Chunk(100))
        {
            await _db.ExecAsync("INSERT INTO ev (k, x, ROWTIME) VALUES " + string.Join(", ", chunk.Select(r =>
                string.Create(CultureInfo.InvariantCulture, $"({r.Key}, {r.X}, {r.TimeMs})"))));
        }
        await _db.ExecAsync("CREATE TABLE t AS SELECT k, COUNT(*) AS n, SUM(x) AS total FROM ev "
            + "WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT CHANGES");
        Assert.True(await _db.Engine.WaitForPersistentQueriesAsync(TimeSpan.FromSeconds(30)));
        var expected = rows.GroupBy(r => (r.Key, r.TimeMs / 10_000 * 10_000))
            .Select(g => $"{g.Key.Key}@{g.Key.Item2}={g.Count()},{g.Sum(r => r.X)}")
            .Order(StringComparer.Ordinal).ToList();
        // Once per batch would write about 4 rows for each of the 25 batches; emitting before each expiry (4 window
        // boundaries) and once caught up writes each window at most a few times.
        var rowsOut = _db.Engine.Queries.List()[0].RowsOut;
        Assert.InRange(rowsOut, 20, 48);
        // The changelog's latest row per window equals the recomputation (read back by a push query on the table).
        var changelog = await _db.QueryAsync(string.Create(CultureInfo.InvariantCulture,
            $"SELECT k, WINDOWSTART, n, total FROM t EMIT CHANGES LIMIT {rowsOut}"));
        var actual = changelog.GroupBy(r => (r[0], r[1])).Select(g => g.Last())
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r[0]}@{r[1]}={r[2]},{r[3]}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        // The table's state keeps the windows of the last RETENTION (the size, with no grace) only, as ksqlDB's
        // window store does: a pull query sees the last window of each key.
        var held = (await _db.QueryAsync("SELECT k, WINDOWSTART, n, total FROM t"))
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r[0]}@{r[1]}={r[2]},{r[3]}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Where(w => w.Contains("@40000=", StringComparison.Ordinal)), held);
    }
}
