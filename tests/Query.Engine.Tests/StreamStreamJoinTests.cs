using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>Stream-stream joins WITHIN a window in persistent and push queries: matching by time, outer joins with
/// and without a grace period, late rows, restarts.</summary>
public sealed class StreamStreamJoinTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM orders (id INT KEY, item STRING) WITH (PARTITIONS = 4)",
        "CREATE STREAM shipments (sid INT KEY, order_id INT, carrier STRING) WITH (PARTITIONS = 1)",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<string>> RowsAsync(string sql)
    {
        await WaitUntilCaughtUpAsync();
        var rows = await _db.QueryAsync(sql);
        return [.. rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "null"))).Order(
            StringComparer.Ordinal)];
    }

    private async Task WaitUntilCaughtUpAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!_db.Engine.Queries.List().All(q => q.CaughtUp) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.All(_db.Engine.Queries.List(), q => Assert.Null(q.Error));
    }

    private static string Orders(params (int Id, string Item, long Time)[] rows) =>
        "INSERT INTO orders (id, item, ROWTIME) VALUES "
        + string.Join(", ", rows.Select(r => $"({r.Id}, '{r.Item}', {r.Time})"));

    private static string Shipments(params (int Sid, int? OrderId, string Carrier, long Time)[] rows) =>
        "INSERT INTO shipments (sid, order_id, carrier, ROWTIME) VALUES "
        + string.Join(", ", rows.Select(r => $"({r.Sid}, {r.OrderId?.ToString() ?? "NULL"}, '{r.Carrier}', {r.Time})"));

    [Fact]
    public async Task Inner_join_matches_rows_within_the_window_on_a_non_key_column_across_partition_counts()
    {
        await _db.ExecAllAsync(
            Orders((1, "pen", 10_000), (2, "ink", 10_000), (3, "cap", 50_000)),
            Shipments((100, 1, "dhl", 15_000), (101, 2, "ups", 25_000), (102, 3, "fedex", 45_000),
                (103, 1, "post", 9_000), (104, null, "none", 10_000)),
            "CREATE STREAM shipped AS SELECT o.id, o.item, s.carrier FROM orders o JOIN shipments s WITHIN 5 SECONDS "
            + "ON o.id = s.order_id EMIT CHANGES");
        Assert.Equal(["1|pen|dhl|15000", "1|pen|post|10000", "3|cap|fedex|50000"],
            await RowsAsync("SELECT id, item, carrier, ROWTIME FROM shipped"));
    }

    [Fact]
    public async Task Within_before_and_after_bounds_each_direction()
    {
        await _db.ExecAllAsync(Orders((1, "pen", 10_000)),
            Shipments((100, 1, "early", 8_000), (101, 1, "late", 16_000), (102, 1, "ok", 13_000),
                (103, 1, "tooearly", 6_999)),
            "CREATE STREAM shipped AS SELECT s.carrier FROM orders o JOIN shipments s WITHIN (3 SECONDS, 5 SECONDS) "
            + "ON o.id = s.order_id EMIT CHANGES");
        Assert.Equal(["early", "ok"], await RowsAsync("SELECT carrier FROM shipped"));
    }

    [Fact]
    public async Task Left_join_with_grace_pads_unmatched_rows_only_when_their_window_closes()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM shipped AS SELECT o.id, s.carrier FROM orders o LEFT JOIN shipments s "
            + "WITHIN 10 SECONDS GRACE PERIOD 5 SECONDS ON o.id = s.order_id EMIT CHANGES",
            Orders((1, "pen", 0), (2, "ink", 1_000)), Shipments((100, 1, "dhl", 2_000)));
        // Order 2's window closes when stream time passes 1 s + 10 s + 5 s.
        Assert.Equal(["1|dhl"], await RowsAsync("SELECT id, carrier FROM shipped"));
        await _db.ExecAsync(Shipments((101, 2, "ups", 10_500)));   // within order 2's window: a match
        await _db.ExecAsync(Orders((3, "cap", 14_000)));
        Assert.Equal(["1|dhl", "2|ups"], await RowsAsync("SELECT id, carrier FROM shipped"));
        await _db.ExecAsync(Orders((4, "lid", 40_000)));           // closes order 3 (14 s + 15 s < 40 s)
        Assert.Equal(["1|dhl", "2|ups", "3|null"], await RowsAsync("SELECT id, carrier FROM shipped"));
    }

    [Fact]
    public async Task Full_join_with_grace_pads_both_sides_and_right_join_the_right()
    {
        await _db.ExecAllAsync(Orders((1, "pen", 0), (2, "ink", 0)),
            Shipments((100, 1, "dhl", 1_000), (101, 7, "ups", 1_000), (102, 8, "end", 60_000)),
            "CREATE STREAM f AS SELECT o.id, s.sid FROM orders o FULL JOIN shipments s "
            + "WITHIN 2 SECONDS GRACE PERIOD 0 SECONDS ON o.id = s.order_id EMIT CHANGES",
            "CREATE STREAM r AS SELECT o.id, s.sid FROM orders o RIGHT OUTER JOIN shipments s "
            + "WITHIN 2 SECONDS GRACE PERIOD 0 SECONDS ON o.id = s.order_id EMIT CHANGES");
        Assert.Equal(["1|100", "2|null", "null|101"], await RowsAsync("SELECT id, sid FROM f"));
        Assert.Equal(["1|100", "null|101"], await RowsAsync("SELECT id, sid FROM r"));
    }

    [Fact]
    public async Task Left_join_without_grace_pads_at_once_and_still_emits_a_later_match()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM shipped AS SELECT o.id, s.carrier FROM orders o LEFT JOIN shipments s "
            + "WITHIN 10 SECONDS ON o.id = s.order_id EMIT CHANGES", Orders((1, "pen", 0)));
        Assert.Equal(["1|null"], await RowsAsync("SELECT id, carrier FROM shipped"));
        await _db.ExecAsync(Shipments((100, 1, "dhl", 2_000)));
        Assert.Equal(["1|dhl", "1|null"], await RowsAsync("SELECT id, carrier FROM shipped"));
    }

    [Fact]
    public async Task Rows_whose_window_has_closed_are_dropped_and_counted()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM shipped AS SELECT o.id, s.carrier FROM orders o JOIN shipments s "
            + "WITHIN 1 SECOND GRACE PERIOD 1 SECOND ON o.id = s.order_id EMIT CHANGES",
            Orders((1, "pen", 100_000)), Shipments((100, 1, "ok", 100_500)));
        await WaitUntilCaughtUpAsync();
        await _db.ExecAsync(Orders((1, "old", 97_000)));   // 97 s + 1 s + 1 s < 100.5 s: late
        await _db.ExecAsync(Shipments((101, 1, "old", 98_000)));   // late too, though order 1 at 97 s is near
        Assert.Equal(["1|ok"], await RowsAsync("SELECT id, carrier FROM shipped"));
        Assert.Equal(2, _db.Engine.Queries.List().Single().LateRecordsDropped);
    }

    [Fact]
    public async Task A_restart_restores_the_held_rows_without_losing_or_repeating_output()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM shipped AS SELECT o.id, s.sid FROM orders o LEFT JOIN shipments s "
            + "WITHIN 1 MINUTE GRACE PERIOD 0 SECONDS ON o.id = s.order_id EMIT CHANGES",
            "INSERT INTO orders (id, item, ROWTIME) VALUES "
            + string.Join(", ", Enumerable.Range(0, 100).Select(i => $"({i}, 'x', {i * 100})")));
        await WaitUntilCaughtUpAsync();
        await _db.RestartAsync();
        // Every order is still held: shipments after the restart join them (even ids only).
        await _db.ExecAsync("INSERT INTO shipments (sid, order_id, carrier, ROWTIME) VALUES "
            + string.Join(", ", Enumerable.Range(0, 50).Select(i => $"({i}, {i * 2}, 'c', {(i * 200) + 10})")));
        await _db.RestartAsync();
        await _db.ExecAsync(Orders((1000, "end", 1_000_000)));   // closes every window: odd ids padded
        // Order 1000's own window is still open: it is not padded yet.
        var expected = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? $"{i}|{i / 2}" : $"{i}|null")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await RowsAsync("SELECT id, sid FROM shipped"));
    }

    [Fact]
    public async Task A_push_query_joins_two_streams()
    {
        await _db.ExecAllAsync(Orders((1, "pen", 1_000)), Shipments((100, 1, "dhl", 1_500)));
        await using var result = await _db.Session.ExecuteAsync(
            "SELECT o.item, s.carrier FROM orders o JOIN shipments s WITHIN 1 MINUTE ON o.id = s.order_id "
            + "EMIT CHANGES LIMIT 1");
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        Assert.Equal(["pen", "dhl"], Assert.Single(rows));
    }

    [Fact]
    public async Task A_join_of_two_streams_without_within_is_a_syntax_error()
    {
        var error = await _db.FailsAsync(
            "CREATE STREAM bad AS SELECT o.id FROM orders o JOIN shipments s ON o.id = s.order_id EMIT CHANGES");
        Assert.Equal(SqlState.SyntaxError, error.SqlState);
    }

    [Fact]
    public async Task The_right_stream_of_a_running_join_cannot_be_dropped()
    {
        await _db.ExecAsync("CREATE STREAM shipped AS SELECT o.id FROM orders o JOIN shipments s WITHIN 1 MINUTE "
            + "ON o.id = s.order_id EMIT CHANGES");
        Assert.Equal(SqlState.DependentObjectsStillExist, (await _db.FailsAsync("DROP STREAM shipments")).SqlState);
    }
}
