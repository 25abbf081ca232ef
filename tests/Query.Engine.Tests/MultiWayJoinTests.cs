using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>Multi-way streaming joins (a JOIN b ON ... JOIN c ON ...) in persistent and push queries: each step a
/// stream-stream, stream-table or table-table join over the result of the steps before it, as ksqlDB has them.
/// </summary>
public sealed class MultiWayJoinTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM orders (id INT KEY, user_id INT, item STRING) WITH (PARTITIONS = 3)",
        "CREATE STREAM payments (pid INT KEY, order_id INT, amount INT) WITH (PARTITIONS = 2)",
        "CREATE STREAM shipments (sid INT KEY, order_id INT, carrier STRING) WITH (PARTITIONS = 1)",
        "CREATE TABLE users (uid INT PRIMARY KEY, name STRING, country INT) WITH (PARTITIONS = 2)",
        "CREATE TABLE countries (cid INT PRIMARY KEY, cname STRING)",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<string>> RowsAsync(string sql)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!_db.Engine.Queries.List().All(q => q.CaughtUp) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.All(_db.Engine.Queries.List(), q => Assert.Null(q.Error));
        var rows = await _db.QueryAsync(sql);
        return [.. rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "null"))).Order(
            StringComparer.Ordinal)];
    }

    private static string Orders(params (int Id, int User, string Item, long Time)[] rows) =>
        "INSERT INTO orders (id, user_id, item, ROWTIME) VALUES "
        + string.Join(", ", rows.Select(r => $"({r.Id}, {r.User}, '{r.Item}', {r.Time})"));

    private static string Payments(params (int Pid, int Order, int Amount, long Time)[] rows) =>
        "INSERT INTO payments (pid, order_id, amount, ROWTIME) VALUES "
        + string.Join(", ", rows.Select(r => $"({r.Pid}, {r.Order}, {r.Amount}, {r.Time})"));

    private static string Shipments(params (int Sid, int Order, string Carrier, long Time)[] rows) =>
        "INSERT INTO shipments (sid, order_id, carrier, ROWTIME) VALUES "
        + string.Join(", ", rows.Select(r => $"({r.Sid}, {r.Order}, '{r.Carrier}', {r.Time})"));

    [Fact]
    public async Task A_stream_joins_two_tables_in_a_chain_the_second_keyed_by_a_column_of_the_first()
    {
        await _db.ExecAllAsync(
            "INSERT INTO users VALUES (1, 'ann', 44), (2, 'bob', 33), (3, 'cy', 99)",
            "INSERT INTO countries VALUES (44, 'uk'), (33, 'fr')",
            Orders((10, 1, "pen", 1_000), (11, 2, "ink", 2_000), (12, 3, "cap", 3_000), (13, 4, "lid", 4_000)),
            "CREATE STREAM enriched AS SELECT o.id, u.name, c.cname FROM orders o JOIN users u ON o.user_id = u.uid "
            + "LEFT JOIN countries c ON u.country = c.cid EMIT CHANGES");
        Assert.Equal(["10|ann|uk|1000", "11|bob|fr|2000", "12|cy|null|3000"],
            await RowsAsync("SELECT id, name, cname, ROWTIME FROM enriched"));
    }

    [Fact]
    public async Task Three_streams_join_within_windows_and_the_result_survives_restarts()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM done AS SELECT o.id, o.item, p.amount, s.carrier FROM orders o "
            + "JOIN payments p WITHIN 10 SECONDS ON o.id = p.order_id "
            + "JOIN shipments s WITHIN 1 MINUTE ON p.order_id = s.order_id EMIT CHANGES",
            Orders((1, 1, "pen", 1_000), (2, 1, "ink", 2_000)),
            Payments((100, 1, 5, 3_000), (101, 2, 7, 30_000)));
        await RowsAsync("SELECT id FROM done");
        await _db.RestartAsync();
        await _db.ExecAllAsync(Shipments((200, 1, "dhl", 50_000), (201, 2, "ups", 50_000)));
        Assert.Equal(["1|pen|5|dhl|50000"], await RowsAsync("SELECT id, item, amount, carrier, ROWTIME FROM done"));
        await _db.RestartAsync();
        await _db.ExecAllAsync(Payments((102, 1, 9, 9_000)), Shipments((202, 1, "post", 55_000)));
        Assert.Equal(["1|pen|5|dhl|50000", "1|pen|5|post|55000", "1|pen|9|dhl|50000", "1|pen|9|post|55000"],
            await RowsAsync("SELECT id, item, amount, carrier, ROWTIME FROM done"));
    }

    [Fact]
    public async Task A_stream_table_join_then_a_stream_and_a_stream_stream_join_then_a_table()
    {
        await _db.ExecAllAsync(
            "INSERT INTO users VALUES (1, 'ann', 44), (2, 'bob', 33)",
            Orders((1, 1, "pen", 1_000), (2, 2, "ink", 2_000), (3, 7, "cap", 3_000)),
            Shipments((200, 1, "dhl", 4_000), (201, 2, "ups", 5_000), (202, 3, "post", 5_000)),
            "CREATE STREAM a AS SELECT o.id, u.name, s.carrier FROM orders o JOIN users u ON o.user_id = u.uid "
            + "JOIN shipments s WITHIN 1 MINUTE ON o.id = s.order_id EMIT CHANGES",
            "CREATE STREAM b AS SELECT o.id, s.carrier, u.name FROM orders o "
            + "LEFT JOIN shipments s WITHIN 1 MINUTE GRACE PERIOD 0 SECONDS ON o.id = s.order_id "
            + "LEFT JOIN users u ON o.user_id = u.uid EMIT CHANGES");
        Assert.Equal(["1|ann|dhl", "2|bob|ups"], await RowsAsync("SELECT id, name, carrier FROM a"));
        Assert.Equal(["1|dhl|ann", "2|ups|bob", "3|post|null"], await RowsAsync("SELECT id, carrier, name FROM b"));
    }

    [Fact]
    public async Task A_push_query_joins_three_relations()
    {
        await _db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann', 44)", "INSERT INTO countries VALUES (44, 'uk')",
            Orders((1, 1, "pen", 1_000)), Payments((100, 1, 5, 1_500)));
        await using var result = await _db.Session.ExecuteAsync(
            "SELECT o.item, p.amount, u.name FROM orders o JOIN payments p WITHIN 1 MINUTE ON o.id = p.order_id "
            + "JOIN users u ON o.user_id = u.uid EMIT CHANGES LIMIT 1");
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        Assert.Equal(["pen", 5, "ann"], Assert.Single(rows));
    }

    [Theory]
    [InlineData("SELECT * FROM users u JOIN orders o ON o.user_id = u.uid JOIN countries c ON u.country = c.cid "
        + "EMIT CHANGES", SqlState.FeatureNotSupported)]
    [InlineData("SELECT * FROM orders o JOIN users u ON o.user_id = u.uid JOIN payments p ON o.id = p.order_id "
        + "EMIT CHANGES", SqlState.SyntaxError)]
    [InlineData("SELECT * FROM orders o JOIN users u ON o.user_id = u.uid RIGHT JOIN countries c "
        + "ON u.country = c.cid EMIT CHANGES", SqlState.FeatureNotSupported)]
    [InlineData("SELECT * FROM orders o JOIN users u ON o.user_id = u.uid JOIN countries c ON o.item = c.cname "
        + "EMIT CHANGES", SqlState.FeatureNotSupported)]
    [InlineData("SELECT * FROM users u JOIN countries c ON u.country = c.cid JOIN orders o ON o.user_id = u.uid "
        + "EMIT CHANGES", SqlState.FeatureNotSupported)]
    public async Task Shapes_ksqldb_refuses_are_refused(string sql, string state)
    {
        var error = await Assert.ThrowsAnyAsync<SqlException>(() => _db.ExecAsync(sql));
        Assert.Equal(state, error.SqlState);
    }
}
