using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>GROUP BY (with or without WINDOW) over a streaming join in a persistent query, as ksqlDB has it: the join's
/// rows feed the continuous aggregate as a stream's rows would, with the joined row's ROWTIME as event time, and
/// the aggregate's state and the join's commit together (exactly-once across a restart).</summary>
public sealed class JoinAggregateTests : PersistentJoinTestBase
{
    protected override string[] Sources =>
    [
        "CREATE TABLE users (id INT PRIMARY KEY, region STRING)",
        "CREATE STREAM orders (order_id INT KEY, user_id INT, amount INT) WITH (PARTITIONS = 3)",
        "CREATE STREAM payments (pid INT KEY, order_id INT, paid INT) WITH (PARTITIONS = 2)",
        "CREATE TABLE lt (id INT PRIMARY KEY, f INT) WITH (WINDOW_TYPE = 'TUMBLING', WINDOW_SIZE = '1 SECOND')",
        "CREATE TABLE rt (id INT PRIMARY KEY, g INT) WITH (WINDOW_TYPE = 'TUMBLING', WINDOW_SIZE = '1 SECOND')",
    ];

    private static string Orders(int from, int count) => "INSERT INTO orders (order_id, user_id, amount, ROWTIME) "
        + "VALUES " + string.Join(", ", Enumerable.Range(from, count).Select(i => $"({i}, {i % 4}, {i}, {i * 100})"));

    /// <summary>The expected groups of orders 0..n-1 joined with users 0..2 (user 3 has no row: INNER drops it).
    /// </summary>
    private static List<string> Expected(int n)
    {
        var regions = new[] { "eu", "us", "eu" };
        return [.. Enumerable.Range(0, n).Where(i => i % 4 < 3).GroupBy(i => regions[i % 4])
            .Select(g => $"{g.Key}|{g.Count()}|{g.Sum()}|{g.Max() * 100}").Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_stream_table_join_is_grouped_and_survives_a_restart()
    {
        await Db.ExecAllAsync("INSERT INTO users VALUES (0, 'eu'), (1, 'us'), (2, 'eu')",
            "CREATE TABLE by_region AS SELECT u.region, COUNT(*) AS n, SUM(o.amount) AS total, "
            + "MAX(o.ROWTIME) AS last_time FROM orders o JOIN users u ON o.user_id = u.id GROUP BY u.region "
            + "EMIT CHANGES", Orders(0, 120));
        Assert.Equal(Expected(120), await RowsAsync("SELECT region, n, total, last_time FROM by_region"));
        await Db.RestartAsync();
        await Db.ExecAsync(Orders(120, 80));
        Assert.Equal(Expected(200), await RowsAsync("SELECT region, n, total, last_time FROM by_region"));
    }

    [Fact]
    public async Task A_window_groups_a_stream_stream_join_by_the_joined_rows_time()
    {
        await Db.ExecAllAsync(
            "INSERT INTO orders (order_id, user_id, amount, ROWTIME) VALUES (1, 7, 10, 1000), (2, 7, 20, 2000), "
            + "(3, 8, 30, 65000)",
            "INSERT INTO payments (pid, order_id, paid, ROWTIME) VALUES (10, 1, 10, 1500), (11, 2, 20, 61000), "
            + "(12, 3, 30, 66000), (13, 9, 5, 3000)",
            "CREATE TABLE paid_per_minute AS SELECT o.user_id, COUNT(*) AS n, SUM(p.paid) AS paid FROM orders o "
            + "JOIN payments p WITHIN 2 MINUTES ON o.order_id = p.order_id WINDOW TUMBLING (SIZE 1 MINUTE) "
            + "GROUP BY o.user_id EMIT CHANGES");
        // Joined rows' times: 1500 (order 1), 61000 (order 2, the later of the pair), 66000 (order 3).
        Assert.Equal(["7|0|60000|1|10", "7|60000|120000|1|20", "8|60000|120000|1|30"], await RowsAsync(
            "SELECT user_id, WINDOWSTART, WINDOWEND, n, paid FROM paid_per_minute"));
    }

    [Fact]
    public async Task A_join_of_tables_cannot_be_grouped_yet()
    {
        var error = await Db.FailsAsync("CREATE TABLE t AS SELECT l.f, COUNT(*) FROM lt l JOIN rt r ON l.id = r.id "
            + "GROUP BY l.f EMIT CHANGES");
        Assert.Equal(SqlState.FeatureNotSupported, error.SqlState);
    }

    [Fact]
    public async Task A_foreign_key_join_of_windowed_tables_is_refused_as_ksqldb_refuses_it()
    {
        var error = await Db.FailsAsync("SELECT * FROM lt JOIN rt ON lt.f = rt.id EMIT CHANGES");
        Assert.Equal(SqlState.WrongObjectType, error.SqlState);
        Assert.Contains("Foreign-key table-table joins are not supported on windowed tables", error.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT * FROM orders o JOIN payments p WITHIN 1 MINUTE ON o.order_id = NULL EMIT CHANGES")]
    [InlineData("SELECT * FROM orders o JOIN payments p WITHIN 1 MINUTE ON o.order_id = o.user_id EMIT CHANGES")]
    public async Task A_join_comparison_without_one_source_per_side_is_invalid(string sql)
    {
        var error = await Db.FailsAsync(sql);
        Assert.Equal(SqlState.SyntaxError, error.SqlState);
        Assert.Contains("exactly one source", error.Message, StringComparison.Ordinal);
    }
}
