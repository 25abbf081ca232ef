namespace Query.Engine.Tests;

/// <summary>
/// Windowed tables in joins, as ksqlDB joins them (Kafka Streams looks the windowed key up): a windowed stream with a
/// windowed table, and two windowed tables on their keys. A row matches only the other side's row of the same key and
/// the same window; the result of a stream is a windowed stream, of two tables a windowed table keyed by the key and
/// the window, and its changelog follows either table's updates and deletes of a window.
/// </summary>
public sealed class WindowedTableJoinTests : PersistentJoinTestBase
{
    protected override string[] Sources =>
    [
        "CREATE STREAM ws (id INT KEY, v STRING) WITH (WINDOW_TYPE = 'TUMBLING', WINDOW_SIZE = '10 SECONDS', "
            + "PARTITIONS = 2)",
        "CREATE TABLE wt (id INT PRIMARY KEY, w STRING) WITH (WINDOW_TYPE = 'TUMBLING', WINDOW_SIZE = '10 SECONDS')",
        "CREATE TABLE wh (id INT PRIMARY KEY, g STRING) WITH (WINDOW_TYPE = 'HOPPING', WINDOW_SIZE = '10 SECONDS', "
            + "PARTITIONS = 3)",
        "CREATE TABLE st (id INT PRIMARY KEY, s STRING) WITH (WINDOW_TYPE = 'SESSION')",
        "CREATE STREAM ws2 (id INT KEY, u STRING) WITH (WINDOW_TYPE = 'HOPPING', WINDOW_SIZE = '10 SECONDS')",
        "CREATE STREAM ev (id INT KEY, x INT) WITH (PARTITIONS = 2)",
        "CREATE TABLE plain (id INT PRIMARY KEY, p STRING)",
        // A windowed table whose window rows are deleted: a second event in a window fails HAVING (a tombstone).
        "CREATE TABLE once AS SELECT id, COUNT(*) AS n FROM ev WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY id "
            + "HAVING COUNT(*) < 2 EMIT CHANGES",
    ];

    private const string Tables = "INSERT INTO wt (id, w, WINDOWSTART, WINDOWEND) VALUES (1, 'x', 0, 10000), "
        + "(2, 'y', 10000, 20000)";

    private const string StreamRows = "INSERT INTO ws (id, v, WINDOWSTART, WINDOWEND, ROWTIME) VALUES "
        + "(1, 'a', 0, 10000, 1000), (1, 'b', 10000, 20000, 11000), (2, 'c', 0, 10000, 2000)";

    [Theory]
    [InlineData("JOIN", new[] { "1|0|10000|a|x" })]
    [InlineData("LEFT JOIN", new[] { "1|0|10000|a|x", "1|10000|20000|b|null", "2|0|10000|c|null" })]
    public async Task A_windowed_stream_joins_the_tables_row_of_its_own_key_and_window(string join, string[] expected)
    {
        await Db.ExecAllAsync(Tables, StreamRows,
            $"CREATE STREAM j AS SELECT s.id, s.v, t.w FROM ws s {join} wt t ON s.id = t.id EMIT CHANGES");
        Assert.Equal(expected, await RowsAsync("SELECT id, windowstart, windowend, v, w FROM j"));
        // As ksqlDB's, the sink is a windowed stream keyed by the stream's key and window.
        var sink = Db.Engine.GetStream("j", null).Definition;
        Assert.Equal(Catalog.WindowKind.Tumbling, sink.Window?.Kind);
        Assert.Equal("id", sink.Columns[sink.KeyColumn].Name);
    }

    [Fact]
    public async Task A_stream_row_no_longer_matches_a_window_its_table_deleted_and_a_restart_resumes()
    {
        await Db.ExecAllAsync("INSERT INTO ev (id, x, ROWTIME) VALUES (1, 0, 1000), (2, 0, 1000)",
            "CREATE STREAM j AS SELECT s.id, s.v, o.n FROM ws s LEFT JOIN once o ON s.id = o.id EMIT CHANGES");
        await RowsAsync("SELECT * FROM once");
        await Db.ExecAsync("INSERT INTO ws (id, v, WINDOWSTART, WINDOWEND, ROWTIME) VALUES (1, 'a', 0, 10000, 1000), "
            + "(2, 'b', 0, 10000, 1000)");
        Assert.Equal(["1|a|1", "2|b|1"], await RowsAsync("SELECT id, v, n FROM j"));
        // A second event of key 1 in window 0 fails HAVING: the table deletes that window's row (a tombstone).
        await Db.ExecAsync("INSERT INTO ev (id, x, ROWTIME) VALUES (1, 0, 2000)");
        Assert.Equal(["2|0|10000|1"], await RowsAsync("SELECT id, windowstart, windowend, n FROM once"));
        await Db.RestartAsync();
        await Db.ExecAsync("INSERT INTO ws (id, v, WINDOWSTART, WINDOWEND, ROWTIME) VALUES (1, 'c', 0, 10000, 3000), "
            + "(2, 'd', 0, 10000, 3000), (2, 'e', 10000, 20000, 12000)");
        Assert.Equal(["1|a|1", "1|c|null", "2|b|1", "2|d|1", "2|e|null"], await RowsAsync("SELECT id, v, n FROM j"));
    }

    [Theory]
    [InlineData("JOIN", new[] { "1|0|10000|a|x" })]
    [InlineData("LEFT JOIN", new[] { "1|0|10000|a|x", "1|10000|20000|b|null", "2|0|10000|c|null" })]
    [InlineData("RIGHT JOIN", new[] { "1|0|10000|a|x", "2|10000|20000|null|y" })]
    [InlineData("FULL OUTER JOIN",
        new[] { "1|0|10000|a|x", "1|10000|20000|b|null", "2|0|10000|c|null", "2|10000|20000|null|y" })]
    public async Task Two_windowed_tables_join_on_their_keys_window_by_window(string join, string[] expected)
    {
        await Db.ExecAllAsync("INSERT INTO wt (id, w, WINDOWSTART, WINDOWEND) VALUES (1, 'a', 0, 10000), "
            + "(1, 'b', 10000, 20000), (2, 'c', 0, 10000)",
            "INSERT INTO wh (id, g, WINDOWSTART, WINDOWEND) VALUES (1, 'x', 0, 10000), (2, 'y', 10000, 20000)",
            $"CREATE TABLE j AS SELECT t.id, t.w, h.g FROM wt t {join} wh h ON t.id = h.id EMIT CHANGES");
        Assert.Equal(expected, await RowsAsync("SELECT id, windowstart, windowend, w, g FROM j"));
        // ksqlDB's windowed table: the key, WINDOWSTART, WINDOWEND, then the values.
        var sink = Db.Engine.GetStream("j", null).Definition;
        Assert.True(sink.IsTable);
        Assert.Equal(Catalog.WindowKind.Tumbling, sink.Window?.Kind);
        Assert.Equal(["id", "windowstart", "windowend", "w", "g"], sink.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task Updates_and_deleted_windows_change_the_joined_windowed_table_across_a_restart()
    {
        await Db.ExecAllAsync("INSERT INTO ev (id, x, ROWTIME) VALUES (1, 0, 1000), (1, 0, 11000), (2, 0, 1000)",
            "INSERT INTO wt (id, w, WINDOWSTART, WINDOWEND) VALUES (1, 'a', 0, 10000), (1, 'b', 10000, 20000), "
            + "(2, 'c', 0, 10000)",
            "CREATE TABLE j AS SELECT o.id, o.n, t.w FROM once o JOIN wt t ON o.id = t.id EMIT CHANGES");
        Assert.Equal(["1|0|1|a", "1|10000|1|b", "2|0|1|c"], await RowsAsync("SELECT id, windowstart, n, w FROM j"));
        // Window 0 of key 1 gets a second event: `once` deletes it, and so does the join (a tombstone).
        await Db.ExecAllAsync("INSERT INTO ev (id, x, ROWTIME) VALUES (1, 0, 2000)",
            "INSERT INTO wt (id, w, WINDOWSTART, WINDOWEND) VALUES (2, 'c2', 0, 10000)");
        Assert.Equal(["1|10000|1|b", "2|0|1|c2"], await RowsAsync("SELECT id, windowstart, n, w FROM j"));
        var tombstones = Db.Engine.ReadRecords("j").Count(r => r.ValueIsNull);
        Assert.Equal(1, tombstones);
        await Db.RestartAsync();
        await Db.ExecAllAsync("INSERT INTO ev (id, x, ROWTIME) VALUES (3, 0, 21000), (2, 0, 3000)",
            "INSERT INTO wt (id, w, WINDOWSTART, WINDOWEND) VALUES (3, 'd', 20000, 30000)");
        Assert.Equal(["1|10000|1|b", "3|20000|1|d"], await RowsAsync("SELECT id, windowstart, n, w FROM j"));
        Assert.Equal(tombstones + 1, Db.Engine.ReadRecords("j").Count(r => r.ValueIsNull));
    }

    [Fact]
    public async Task Multi_way_joins_of_windowed_sources_match_on_key_and_window_at_every_step()
    {
        await Db.ExecAllAsync(Tables, StreamRows,
            "INSERT INTO ws2 (id, u, WINDOWSTART, WINDOWEND, ROWTIME) VALUES (1, 'p', 0, 10000, 1500), "
            + "(1, 'q', 10000, 20000, 11500), (2, 'r', 10000, 20000, 12500)",
            // The table step compares the second stream's key: its window is the one looked up.
            "CREATE STREAM j AS SELECT s.id, s.v, x.u, t.w FROM ws s JOIN ws2 x WITHIN 1 HOUR ON s.id = x.id "
            + "LEFT JOIN wt t ON x.id = t.id EMIT CHANGES",
            "CREATE STREAM k AS SELECT s.id, s.v, t.w, x.u FROM ws s JOIN wt t ON s.id = t.id "
            + "JOIN ws2 x WITHIN 1 HOUR ON t.id = x.id EMIT CHANGES");
        Assert.Equal(["1|0|a|p|x", "1|10000|b|q|null"], await RowsAsync("SELECT id, windowstart, v, u, w FROM j"));
        Assert.Equal(["1|0|a|x|p"], await RowsAsync("SELECT id, windowstart, v, w, u FROM k"));
    }

    [Fact]
    public async Task A_chain_of_windowed_tables_joins_window_by_window_and_follows_deletes()
    {
        await Db.ExecAllAsync("INSERT INTO ev (id, x, ROWTIME) VALUES (1, 0, 1000), (2, 0, 1000)",
            "INSERT INTO wt (id, w, WINDOWSTART, WINDOWEND) VALUES (1, 'a', 0, 10000), (1, 'b', 10000, 20000), "
            + "(2, 'c', 0, 10000)",
            "INSERT INTO wh (id, g, WINDOWSTART, WINDOWEND) VALUES (1, 'x', 0, 10000), (1, 'y', 10000, 20000)",
            "CREATE TABLE j AS SELECT t.id, t.w, h.g, o.n FROM wt t JOIN wh h ON t.id = h.id "
            + "LEFT JOIN once o ON t.id = o.id EMIT CHANGES");
        Assert.Equal(["1|0|10000|a|x|1", "1|10000|20000|b|y|null"],
            await RowsAsync("SELECT id, windowstart, windowend, w, g, n FROM j"));
        await Db.ExecAllAsync("INSERT INTO ev (id, x, ROWTIME) VALUES (1, 0, 2000)",
            "INSERT INTO wh (id, g, WINDOWSTART, WINDOWEND) VALUES (2, 'z', 0, 10000)");
        Assert.Equal(["1|0|10000|a|x|null", "1|10000|20000|b|y|null", "2|0|10000|c|z|1"],
            await RowsAsync("SELECT id, windowstart, windowend, w, g, n FROM j"));
        var sink = Db.Engine.GetStream("j", null).Definition;
        Assert.Equal(["id", "windowstart", "windowend", "w", "g", "n"], sink.Columns.Select(c => c.Name));
    }

    [Theory]
    [InlineData("SELECT * FROM ws s JOIN ws2 x WITHIN 1 HOUR ON s.id = x.id JOIN plain p ON s.id = p.id "
        + "EMIT CHANGES", "Can not join windowed source to non-windowed source")]
    [InlineData("SELECT * FROM ws s JOIN wt t ON s.id = t.id JOIN st x ON s.id = x.id EMIT CHANGES",
        "Incompatible windowed sources")]
    [InlineData("SELECT * FROM ws s JOIN ws2 x WITHIN 1 HOUR ON s.id = x.id JOIN wt t ON CAST(x.u AS INT) = t.id "
        + "EMIT CHANGES", "Implicit repartitioning of windowed sources is not supported")]
    public Task Multi_way_windowed_joins_ksqldb_refuses_are_refused(string sql, string reason)
        => AssertRefusedAsync(sql, reason);

    [Fact]
    public async Task A_push_query_joins_a_windowed_stream_with_a_windowed_table()
    {
        await Db.ExecAllAsync(Tables, StreamRows);
        await using var result = await Db.Session.ExecuteAsync("SELECT s.id, s.windowstart, s.v, t.w FROM ws s "
            + "JOIN wt t ON s.id = t.id EMIT CHANGES LIMIT 1");
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        Assert.Equal([1, 0L, "a", "x"], Assert.Single(rows));
    }

    [Theory]
    [InlineData("SELECT * FROM ev e JOIN wt t ON e.id = t.id EMIT CHANGES",
        "Can not join windowed source to non-windowed source")]
    [InlineData("SELECT * FROM ws s JOIN plain p ON s.id = p.id EMIT CHANGES",
        "Can not join windowed source to non-windowed source")]
    [InlineData("SELECT * FROM plain p JOIN wt t ON p.id = t.id EMIT CHANGES",
        "Can not join windowed source to non-windowed source")]
    [InlineData("SELECT * FROM ws s JOIN st t ON s.id = t.id EMIT CHANGES", "Incompatible windowed sources")]
    [InlineData("SELECT * FROM wt t JOIN st s ON t.id = s.id EMIT CHANGES", "Incompatible windowed sources")]
    [InlineData("SELECT * FROM ws s JOIN wt t ON CAST(s.v AS INT) = t.id EMIT CHANGES",
        "Implicit repartitioning of windowed sources is not supported")]
    public Task Windowed_table_joins_ksqldb_refuses_are_refused(string sql, string reason)
        => AssertRefusedAsync(sql, reason);
}
