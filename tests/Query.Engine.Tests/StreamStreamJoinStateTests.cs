namespace Query.Engine.Tests;

/// <summary>
/// The state of a persistent stream-stream join stays bounded by the window: rows leave it as stream time moves on,
/// its state log is snapshotted, and a restart replays about what is held, not the stream's history.
/// </summary>
public sealed class StreamStreamJoinStateTests() : PersistentStateTestBase(
    "CREATE STREAM a (k INT KEY, x INT) WITH (PARTITIONS = 2, DURABILITY = 'NONE')",
    "CREATE STREAM b (k INT KEY, y INT) WITH (PARTITIONS = 3, DURABILITY = 'NONE')",
    "SET 'auto.offset.reset' = 'earliest'",
    "CREATE STREAM j AS SELECT a.k, a.x, b.y FROM a JOIN b WITHIN 1 SECOND GRACE PERIOD 0 SECONDS "
    + "ON a.k = b.k EMIT CHANGES")
{

    [Fact]
    public async Task Held_rows_and_the_replay_after_a_restart_are_bounded_by_the_window()
    {
        // 200 rounds, each one second later than the last: a row of each stream per round, keys 0-4.
        for (var round = 0; round < 200; round++)
        {
            var time = round * 1000L;
            await Db.ExecAllAsync($"INSERT INTO a (k, x, ROWTIME) VALUES ({round % 5}, {round}, {time})",
                $"INSERT INTO b (k, y, ROWTIME) VALUES ({round % 5}, {round}, {time + 100})");
            await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        }
        var stateLog = Db.Engine.ReadRecords(Query().Definition.StateLogName).Count;
        var replayed = await RestartAndReplayAsync();
        // Rows live about 2 s of stream time (before + after + grace): a few per side. The log holds a record per
        // input row and per removal, far more than a restart replays from the last snapshot.
        Assert.True(stateLog >= 400, $"state log holds {stateLog} records");
        Assert.InRange(replayed, 1, 100);
        await Db.ExecAllAsync("INSERT INTO a (k, x, ROWTIME) VALUES (4, 1000, 199500)");
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        var rows = (await Db.QueryAsync("SELECT x, y FROM j")).Select(r => $"{r[0]}|{r[1]}").ToList();
        // Each round's pair joins (100 ms apart), and the last row joins round 199's b row (restored state).
        Assert.Equal(201, rows.Count);
        Assert.Equal(201, rows.Distinct().Count());
        Assert.Contains("1000|199", rows);
    }
}
