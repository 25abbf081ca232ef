namespace Query.Engine.Tests;

/// <summary>
/// Snapshots of a persistent aggregate's state: after many updates of few keys, a restart replays about as many
/// state records as the state has entries, not the whole history, and the state is still exact.
/// </summary>
public sealed class PersistentSnapshotTests() : PersistentStateTestBase(
    "CREATE STREAM s (k INT KEY, g STRING, x INT) WITH (PARTITIONS = 2, DURABILITY = 'NONE')",
    "CREATE TABLE t (id INT PRIMARY KEY, g STRING, x INT) WITH (PARTITIONS = 2)",
    "SET 'auto.offset.reset' = 'earliest'")
{

    private async Task<List<string>> RowsAsync(string sql) =>
        (await Db.QueryAsync(sql)).Select(r => string.Join("|", r)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Runs <paramref name="rounds"/> INSERTs, each committed by the query before the next (so the state
    /// log gets one entry per changed group per round).</summary>
    private async Task UpdateAsync(string table, int rounds, int keys, Random random)
    {
        for (var round = 0; round < rounds; round++)
        {
            var values = string.Join(", ", Enumerable.Range(0, 3).Select(_ =>
                $"({random.Next(keys)}, 'g{random.Next(4)}', {random.Next(100)})"));
            await Db.ExecAsync($"INSERT INTO {table} VALUES {values}");
            await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        }
    }

    [Fact]
    public async Task A_restart_replays_the_last_snapshot_not_the_history()
    {
        await Db.ExecAsync("CREATE TABLE agg AS SELECT g, COUNT(*) AS n, SUM(x) AS total FROM s GROUP BY g");
        await UpdateAsync("s", rounds: 150, keys: 10, new Random(3));
        var stateLog = Db.Engine.ReadRecords(Query().Definition.StateLogName).Count;
        var expected = await RowsAsync("SELECT g, COUNT(*), SUM(x) FROM s GROUP BY g");
        // Four groups: the replay is the last snapshot plus the changes since, under the snapshot threshold.
        Assert.InRange(await RestartAndReplayAsync(), 1, SnapshotMinRecords + 8);
        Assert.True(stateLog > 3 * SnapshotMinRecords, $"{stateLog} state records written in all");
        Assert.Equal(expected, await RowsAsync("SELECT g, n, total FROM agg"));
        await UpdateAsync("s", rounds: 20, keys: 10, new Random(4));
        Assert.Equal(await RowsAsync("SELECT g, COUNT(*), SUM(x) FROM s GROUP BY g"),
            await RowsAsync("SELECT g, n, total FROM agg"));
    }

    [Fact]
    public async Task A_table_source_aggregate_snapshots_its_source_rows_too()
    {
        await Db.ExecAsync("CREATE TABLE agg AS SELECT g, COUNT(*) AS n, SUM(x) AS total FROM t GROUP BY g");
        await UpdateAsync("t", rounds: 150, keys: 10, new Random(5));
        // Four groups and ten source rows live.
        Assert.InRange(await RestartAndReplayAsync(), 1, SnapshotMinRecords + 14);
        await UpdateAsync("t", rounds: 30, keys: 10, new Random(6));
        var actual = (await RowsAsync("SELECT g, n, total FROM agg")).Where(r => !r.Contains("|0|",
            StringComparison.Ordinal));
        Assert.Equal(await RowsAsync("SELECT g, COUNT(*), SUM(x) FROM t GROUP BY g"), actual);
    }
}
