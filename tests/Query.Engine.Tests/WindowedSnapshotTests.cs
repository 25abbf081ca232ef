using System.Globalization;

namespace Query.Engine.Tests;

/// <summary>
/// A windowed aggregate's state log is snapshotted like a plain aggregate's: over a long run whose windows expire,
/// a restart replays about the windows held, not every window the stream ever opened, and the state (open windows,
/// per-partition stream time, the late count) is exact after it.
/// </summary>
public sealed class WindowedSnapshotTests() : PersistentStateTestBase(
    "CREATE STREAM ev (k INT KEY, x INT) WITH (PARTITIONS = 2, DURABILITY = 'NONE')",
    "SET 'auto.offset.reset' = 'earliest'")
{

    private Task InsertAsync(params (int Key, long TimeMs)[] rows) => Db.ExecAsync(
        "INSERT INTO ev (k, x, ROWTIME) VALUES " + string.Join(", ", rows.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"({r.Key}, 1, {r.TimeMs})"))));

    [Fact]
    public async Task A_restart_replays_the_windows_held_not_every_window_ever_opened()
    {
        await Db.ExecAsync("CREATE TABLE w AS SELECT k, COUNT(*) AS n FROM ev WINDOW TUMBLING (SIZE 1 SECOND, "
            + "RETENTION 3 SECONDS, GRACE PERIOD 1 SECOND) GROUP BY k EMIT CHANGES");
        for (var second = 0; second < 150; second++)
        {
            await InsertAsync((1, (second * 1_000L) + 100), (2, (second * 1_000L) + 200), (3, (second * 1_000L) + 300));
            await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        }
        await InsertAsync((1, 10_000));   // late
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        var written = Db.Engine.ReadRecords(Query().Definition.StateLogName).Count;
        var replayed = await RestartAndReplayAsync();
        // About 3 keys x 5 windows held: the replay is the last snapshot plus the changes since (a windowed state log
        // is snapshotted at eight times its windows), not the ~1,000 records of 150 seconds.
        Assert.InRange(replayed, 1, 200);
        Assert.True(written > 600, $"{written} state records written in all");
        // The window [149 s, 150 s) is still open (grace 1 s) and counts on; an older one is late.
        await InsertAsync((1, 149_900), (2, 3_000));
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        var rows = await Db.QueryAsync("SELECT k, n FROM w WHERE k = 1 AND WINDOWSTART = 149000");
        Assert.Equal(2L, Convert.ToInt64(rows.Single()[1], CultureInfo.InvariantCulture));
        Assert.Equal(2L, (long)(await Db.QueryAsync("SHOW QUERIES EXTENDED")).Single()[^1]!);
    }
}
