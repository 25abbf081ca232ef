namespace Query.Engine.Tests;

/// <summary>
/// An aggregate over a stream-stream join keeps one state log for both operators, and that log is snapshotted:
/// the snapshot must hold every group, not only the groups changed since the last commit, or a restart (which
/// replays from the last snapshot on) loses the groups that did not change after it.
/// </summary>
public sealed class JoinAggregateSnapshotTests() : PersistentStateTestBase(
    "CREATE STREAM a (k INT KEY, x INT) WITH (PARTITIONS = 2, DURABILITY = 'NONE')",
    "CREATE STREAM b (k INT KEY, y INT) WITH (PARTITIONS = 3, DURABILITY = 'NONE')",
    "SET 'auto.offset.reset' = 'earliest'",
    "CREATE TABLE g AS SELECT a.k AS k, COUNT(*) AS n, SUM(b.y) AS total FROM a JOIN b "
    + "WITHIN 1 SECOND GRACE PERIOD 0 SECONDS ON a.k = b.k GROUP BY a.k EMIT CHANGES")
{

    [Fact]
    public async Task Groups_unchanged_since_a_snapshot_survive_a_restart()
    {
        // Rounds 0-19 join once each on a key of their own (100 + round); rounds 20-199 keep joining keys 0-4,
        // so the log grows far past the groups held and is snapshotted many times after the first 20 groups.
        for (var round = 0; round < 200; round++)
        {
            var key = round < 20 ? 100 + round : round % 5;
            var time = round * 1000L;
            await Db.ExecAllAsync($"INSERT INTO a (k, x, ROWTIME) VALUES ({key}, {round}, {time})",
                $"INSERT INTO b (k, y, ROWTIME) VALUES ({key}, {round}, {time + 100})");
            await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        }
        var expected = Expected();
        Assert.Equal(expected, await GroupsAsync());
        // A row the join holds across the restart (its partner comes after it).
        await Db.ExecAsync("INSERT INTO a (k, x, ROWTIME) VALUES (200, 0, 250000)");
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        var stateLog = Db.Engine.ReadRecords(Query().Definition.StateLogName).Count;

        var replayed = await RestartAndReplayAsync();
        // The restart replayed from a snapshot, not the whole log: otherwise the test proves nothing.
        Assert.InRange(replayed, 1, stateLog / 2);
        // The held row's partner; awaited before the next rows, which are in other partitions and 50 s later: read
        // in the same round first, they would move the join's stream time past this row's window (grace 0).
        await Db.ExecAsync("INSERT INTO b (k, y, ROWTIME) VALUES (200, 5, 250100)");
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        // One more join on an old key: its group must go on from its restored count, not start again.
        await Db.ExecAllAsync("INSERT INTO a (k, x, ROWTIME) VALUES (100, 1000, 300000)",
            "INSERT INTO b (k, y, ROWTIME) VALUES (100, 7, 300100)");
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        expected[expected.IndexOf("100|1|0")] = "100|2|7";
        expected.Add("200|1|5");
        expected.Sort(StringComparer.Ordinal);
        Assert.Equal(expected, await GroupsAsync());
    }

    /// <summary>Each round joins its own a and b rows (100 ms apart; rounds are 1 s apart, beyond the window).
    /// </summary>
    private static List<string> Expected()
    {
        var groups = new SortedDictionary<int, (int Count, int Total)>();
        for (var round = 0; round < 200; round++)
        {
            var key = round < 20 ? 100 + round : round % 5;
            groups.TryGetValue(key, out var group);
            groups[key] = (group.Count + 1, group.Total + round);
        }
        var rows = new List<string>();
        foreach (var (key, group) in groups)
            rows.Add($"{key}|{group.Count}|{group.Total}");
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private async Task<List<string>> GroupsAsync()
    {
        var rows = (await Db.QueryAsync("SELECT k, n, total FROM g")).Select(r => $"{r[0]}|{r[1]}|{r[2]}").ToList();
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
