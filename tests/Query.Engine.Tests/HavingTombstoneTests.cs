namespace Query.Engine.Tests;

/// <summary>
/// HAVING of a CREATE TABLE AS SELECT: a group whose row stops passing is deleted from the table (a tombstone in
/// its changelog, as ksqlDB writes), a group that never passed writes nothing.
/// </summary>
public sealed class HavingTombstoneTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new(options => options with { PersistentCommitIntervalMs = 20 });

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM s (k INT KEY, g STRING, x INT) WITH (PARTITIONS = 2, DURABILITY = 'NONE')",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>The changelog as "key:value" per record ("key:-" for a tombstone), in offset order.</summary>
    private List<string> Changelog(string log) => _db.Engine.ReadRecords(log)
        .Select(r => r.Value.Length == 0 ? "tombstone" : "row").ToList();

    private async Task SettleAsync() => await _db.Engine.WaitForPersistentQueriesAsync(Timeout);

    [Fact]
    public async Task A_group_that_stops_passing_is_deleted_and_one_that_never_passed_writes_nothing()
    {
        await _db.ExecAsync("CREATE TABLE pairs WITH (KAFKA_TOPIC = 'pairs_log', PARTITIONS = 1) AS SELECT g, "
            + "COUNT(*) AS n FROM s GROUP BY g HAVING COUNT(*) = 2 EMIT CHANGES");
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'bob', 1)");
        await _db.ExecAsync("INSERT INTO s VALUES (2, 'ann', 1)");
        await SettleAsync();
        Assert.Empty(Changelog("pairs_log"));                 // neither passed: no tombstone for what never showed
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'bob', 2)");
        await SettleAsync();
        Assert.Equal([["bob", 2L]], await _db.QueryAsync("SELECT g, n FROM pairs"));
        // The table's rows survive a restart; the row shown before it is still deleted after it.
        await _db.RestartAsync();
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'bob', 3)");
        await SettleAsync();
        Assert.Empty(await _db.QueryAsync("SELECT g, n FROM pairs"));
        Assert.Equal(["row", "tombstone"], Changelog("pairs_log"));
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'bob', 4)");   // count 4: still not shown, nothing written
        await SettleAsync();
        Assert.Equal(["row", "tombstone"], Changelog("pairs_log"));
    }

    [Fact]
    public async Task Over_a_table_a_group_emptied_by_deletes_disappears()
    {
        await _db.ExecAllAsync("CREATE TABLE t (id INT PRIMARY KEY, g STRING, x INT) WITH (PARTITIONS = 2)",
            "CREATE TABLE sums AS SELECT g, SUM(x) AS total FROM t GROUP BY g HAVING COUNT(*) > 0 EMIT CHANGES",
            "INSERT INTO t VALUES (1, 'a', 1), (2, 'a', 2), (3, 'b', 3)");
        await SettleAsync();
        Assert.Equal([["a", 3L], ["b", 3L]], (await _db.QueryAsync("SELECT g, total FROM sums"))
            .OrderBy(r => (string)r[0]!));
        await _db.ExecAsync("INSERT INTO t VALUES (3, 'a', 4)");     // b loses its only row
        await _db.ExecAsync("DELETE FROM t WHERE id = 1");
        await SettleAsync();
        Assert.Equal([["a", 6L]], await _db.QueryAsync("SELECT g, total FROM sums"));
    }

    [Fact]
    public async Task A_having_that_is_not_boolean_is_refused()
    {
        Assert.Equal("42804", (await _db.FailsAsync(
            "CREATE TABLE bad AS SELECT g, COUNT(*) AS n FROM s GROUP BY g HAVING SUM(x) EMIT CHANGES")).SqlState);
    }
}
