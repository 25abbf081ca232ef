namespace Query.Engine.Tests;

/// <summary>Joins of windowed sources, as ksqlDB has them: two windowed streams (tumbling or hopping with tumbling or
/// hopping, session with session) join on their key, and a pair matches only when both rows are of the same window
/// (Kafka Streams compares the windowed keys); the result names each side's bounds <c>alias_windowstart</c> /
/// <c>alias_windowend</c>. A windowed source joined with a non-windowed one, or windows of incompatible types, are
/// refused with ksqlDB's reasons.</summary>
public sealed class WindowedJoinTests : PersistentJoinTestBase
{
    protected override string[] Sources =>
    [
        "CREATE STREAM lw (id INT KEY, v STRING) WITH (WINDOW_TYPE = 'TUMBLING', WINDOW_SIZE = '10 SECONDS', "
        + "PARTITIONS = 2)",
        "CREATE STREAM rw (id INT KEY, w STRING) WITH (WINDOW_TYPE = 'HOPPING', WINDOW_SIZE = '10 SECONDS')",
        "CREATE STREAM ls (id INT KEY, v STRING) WITH (WINDOW_TYPE = 'SESSION')",
        "CREATE STREAM rs (id INT KEY, w STRING) WITH (WINDOW_TYPE = 'SESSION')",
        "CREATE STREAM plain (id INT KEY, p STRING)",
    ];

    [Fact]
    public async Task Time_windowed_streams_match_on_key_and_window()
    {
        await Db.ExecAllAsync(
            "INSERT INTO lw (id, v, WINDOWSTART, WINDOWEND, ROWTIME) VALUES (1, 'a', 0, 10000, 1000), "
            + "(1, 'b', 10000, 20000, 11000), (2, 'c', 0, 10000, 2000)",
            "INSERT INTO rw (id, w, WINDOWSTART, WINDOWEND, ROWTIME) VALUES (1, 'x', 0, 10000, 3000), "
            + "(2, 'y', 10000, 20000, 12000)",
            "CREATE STREAM j AS SELECT * FROM lw l JOIN rw r WITHIN 1 HOUR ON l.id = r.id EMIT CHANGES");
        // (1, window 0) matches; (1, window 10000) and (2, ...) have no partner in the same window.
        Assert.Equal(["1|0|10000|a|1|0|10000|x"], await RowsAsync(
            "SELECT l_id, l_windowstart, l_windowend, l_v, r_id, r_windowstart, r_windowend, r_w FROM j"));
    }

    [Fact]
    public async Task Star_over_windowed_streams_lists_each_sides_window_after_its_key_and_keeps_a_windowed_sink()
    {
        await Db.ExecAllAsync(
            "INSERT INTO lw (id, v, WINDOWSTART, WINDOWEND, ROWTIME) VALUES (1, 'a', 0, 10000, 1000), "
            + "(1, 'b', 10000, 20000, 11000)",
            "INSERT INTO rw (id, w, WINDOWSTART, WINDOWEND, ROWTIME) VALUES (1, 'x', 0, 10000, 3000), "
            + "(1, 'y', 10000, 20000, 12000)",
            "CREATE STREAM j AS SELECT * FROM lw l JOIN rw r WITHIN 1 HOUR ON l.id = r.id EMIT CHANGES");
        // ksqlDB's sink of a join of windowed streams: keyed by the join key and the window, each side's bounds
        // after its key.
        Assert.Equal(["1|0|10000|0|10000|a|1|0|10000|x", "1|10000|20000|10000|20000|b|1|10000|20000|y"],
            await RowsAsync("SELECT * FROM j"));
        var sink = Db.Engine.GetStream("j", null).Definition;
        Assert.Equal(Catalog.WindowKind.Tumbling, sink.Window?.Kind);
        Assert.Equal("l_id", sink.Columns[sink.KeyColumn].Name);
    }

    [Fact]
    public async Task Session_windowed_streams_match_on_exact_session_bounds()
    {
        await Db.ExecAllAsync(
            "INSERT INTO ls (id, v, WINDOWSTART, WINDOWEND, ROWTIME) VALUES (1, 'a', 0, 5000, 5000), "
            + "(2, 'b', 0, 5000, 5000)",
            "INSERT INTO rs (id, w, WINDOWSTART, WINDOWEND, ROWTIME) VALUES (1, 'x', 0, 5000, 5000), "
            + "(2, 'y', 0, 6000, 6000)",
            "CREATE STREAM j AS SELECT l.id, l.windowstart, r.windowend, l.v, r.w FROM ls l LEFT JOIN rs r "
            + "WITHIN 1 MINUTE GRACE PERIOD 0 SECONDS ON l.id = r.id EMIT CHANGES",
            // A later row moves stream time past the windows, so the unmatched left row is padded once.
            "INSERT INTO ls (id, v, WINDOWSTART, WINDOWEND, ROWTIME) VALUES (9, 'z', 0, 1, 3600000)");
        Assert.Equal(["1|0|5000|a|x", "2|0|null|b|null"],
            await RowsAsync("SELECT id, l_windowstart, r_windowend, v, w FROM j WHERE id < 9"));
    }

    [Theory]
    [InlineData("SELECT * FROM lw l JOIN plain p WITHIN 1 MINUTE ON l.id = p.id EMIT CHANGES",
        "Can not join windowed source to non-windowed source")]
    [InlineData("SELECT * FROM plain p JOIN ls l WITHIN 1 MINUTE ON l.id = p.id EMIT CHANGES",
        "Can not join windowed source to non-windowed source")]
    [InlineData("SELECT * FROM lw l JOIN rs r WITHIN 1 MINUTE ON l.id = r.id EMIT CHANGES",
        "Incompatible windowed sources")]
    [InlineData("SELECT * FROM lw l JOIN rw r WITHIN 1 MINUTE ON l.v = r.w EMIT CHANGES",
        "Implicit repartitioning of windowed sources is not supported")]
    public Task Windowed_joins_ksqldb_refuses_are_refused(string sql, string reason)
        => AssertRefusedAsync(sql, reason);
}
