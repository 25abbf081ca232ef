using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>Joins in bounded pull queries: every join type, keys and extra conditions, aliases, SQL above a join.
/// SQL is written so that it reads the same whether unquoted names fold to upper or lower case.</summary>
public sealed class JoinPullQueryTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { BatchRows = 4 });

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE users (id INT PRIMARY KEY, name STRING, region STRING) WITH (PARTITIONS = 2)",
        "INSERT INTO users VALUES (1, 'ann', 'eu'), (2, 'bob', 'us'), (3, 'cid', 'eu'), (4, 'dee', NULL)",
        "CREATE STREAM orders (order_id INT KEY, user_id INT, amount DOUBLE) WITH (PARTITIONS = 3)",
        "INSERT INTO orders VALUES (10, 1, 5.0), (11, 1, 7.5), (12, 2, 1.0), (13, 9, 3.0), (14, NULL, 2.0)",
        "CREATE STREAM clicks (user_id INT KEY, page STRING) WITH (PARTITIONS = 1)",
        "INSERT INTO clicks VALUES (1, '/a'), (2, '/b'), (2, '/c')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<string>> RowsAsync(string sql) =>
        [.. (await _db.QueryAsync(sql)).Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "null")))
            .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Inner_join_of_a_stream_and_a_table_matches_on_the_key()
    {
        Assert.Equal(["10|ann|5", "11|ann|7.5", "12|bob|1"], await RowsAsync(
            "SELECT o.order_id, u.name, o.amount FROM orders o JOIN users u ON o.user_id = u.id"));
        Assert.Equal(["10|ann|5", "11|ann|7.5", "12|bob|1"], await RowsAsync(
            "SELECT orders.order_id, users.name, amount FROM orders INNER JOIN users ON users.id = orders.user_id"));
    }

    [Fact]
    public async Task Left_right_and_full_joins_pad_unmatched_rows_with_nulls()
    {
        Assert.Equal(["10|ann", "11|ann", "12|bob", "13|null", "14|null"], await RowsAsync(
            "SELECT o.order_id, u.name FROM orders o LEFT JOIN users u ON o.user_id = u.id"));
        Assert.Equal(["10|ann", "11|ann", "12|bob", "null|cid", "null|dee"], await RowsAsync(
            "SELECT o.order_id, u.name FROM orders o RIGHT OUTER JOIN users u ON o.user_id = u.id"));
        Assert.Equal(["10|ann", "11|ann", "12|bob", "13|null", "14|null", "null|cid", "null|dee"],
            await RowsAsync("SELECT o.order_id, u.name FROM orders o FULL OUTER JOIN users u ON o.user_id = u.id"));
    }

    [Fact]
    public async Task Cross_and_comma_joins_pair_every_row()
    {
        Assert.Equal(15, (await _db.QueryAsync("SELECT * FROM orders CROSS JOIN clicks")).Count);
        Assert.Equal(["10|/a", "11|/a", "12|/b", "12|/c"], await RowsAsync(
            "SELECT o.order_id, c.page FROM orders o, clicks c WHERE o.user_id = c.user_id"));
    }

    [Fact]
    public async Task Extra_conditions_and_non_equi_joins_filter_candidate_pairs()
    {
        Assert.Equal(["11|ann"], await RowsAsync(
            "SELECT o.order_id, u.name FROM orders o JOIN users u ON o.user_id = u.id AND o.amount > 6"));
        // In a LEFT JOIN the ON condition decides matches; the left row stays either way.
        Assert.Equal(["10|null", "11|ann", "12|null", "13|null", "14|null"], await RowsAsync(
            "SELECT o.order_id, u.name FROM orders o LEFT JOIN users u ON o.user_id = u.id AND o.amount > 6"));
        Assert.Equal(["1|12", "1|13", "1|14", "2|12", "2|13", "2|14"], await RowsAsync(
            "SELECT u.id, o.order_id FROM users u JOIN orders o ON o.amount < 4 AND u.id < 3"));
    }

    [Fact]
    public async Task Multi_way_joins_chain_left_to_right()
    {
        Assert.Equal(["10|ann|/a", "11|ann|/a", "12|bob|/b", "12|bob|/c"], await RowsAsync(
            "SELECT o.order_id, u.name, c.page FROM orders o JOIN users u ON o.user_id = u.id "
            + "JOIN clicks c ON c.user_id = u.id"));
        Assert.Equal(["10|ann|/a", "11|ann|/a", "12|bob|/b", "12|bob|/c", "13|null|null", "14|null|null"],
            await RowsAsync("SELECT o.order_id, u.name, c.page FROM orders o LEFT JOIN users u ON o.user_id = u.id "
                + "LEFT JOIN clicks c ON c.user_id = u.id"));
    }

    [Fact]
    public async Task Select_star_lists_every_relation_and_a_qualified_star_one()
    {
        var prepared = _db.Session.Prepare("SELECT * FROM clicks c JOIN users u ON c.user_id = u.id");
        Assert.Equal(["user_id", "page", "id", "name", "region"],
            prepared.Columns.Select(c => c.Name.ToLowerInvariant()));
        Assert.Equal(["2|bob|us", "2|bob|us", "1|ann|eu"], (await _db.QueryAsync(
            "SELECT u.* FROM clicks c JOIN users u ON c.user_id = u.id ORDER BY c.page DESC"))
            .Select(r => string.Join("|", r)));
    }

    [Fact]
    public async Task Where_group_by_order_by_and_limit_apply_above_the_join()
    {
        Assert.Equal(["ann|2|12.5", "bob|1|1"], await RowsAsync(
            "SELECT u.name, COUNT(*), SUM(o.amount) FROM orders o JOIN users u ON o.user_id = u.id "
            + "WHERE u.region IS NOT NULL GROUP BY u.name"));
        var rows = await _db.QueryAsync("SELECT o.order_id FROM orders o LEFT JOIN users u ON o.user_id = u.id "
            + "WHERE u.name IS NULL OR o.amount > 6 ORDER BY o.order_id DESC LIMIT 2");
        Assert.Equal([14, 13], rows.Select(r => r[0]));
        Assert.Equal(["eu|6"], await RowsAsync("SELECT u.region, COUNT(*) AS n FROM users u JOIN clicks c "
            + "ON true GROUP BY u.region HAVING COUNT(*) > 5"));
    }

    [Fact]
    public async Task Tables_join_tables_and_streams_join_streams()
    {
        Assert.Equal(["ann|cid", "cid|ann"], await RowsAsync(
            "SELECT a.name, b.name FROM users a JOIN users b ON a.region = b.region AND a.id <> b.id"));
        Assert.Equal(["10|/a", "11|/a", "12|/b", "12|/c"], await RowsAsync(
            "SELECT o.order_id, c.page FROM orders o JOIN clicks c ON o.user_id = c.user_id"));
    }

    [Fact]
    public async Task Keys_of_different_types_are_compared_in_their_common_type()
    {
        await _db.ExecAllAsync("CREATE STREAM big (k BIGINT KEY, v STRING)", "INSERT INTO big VALUES (2, 'x')");
        Assert.Equal(["bob|x"], await RowsAsync("SELECT u.name, b.v FROM users u JOIN big b ON u.id = b.k"));
    }

    [Fact]
    public async Task Name_errors_say_what_is_wrong()
    {
        Assert.Equal(SqlState.AmbiguousColumn,
            (await _db.FailsAsync("SELECT user_id FROM orders o JOIN clicks c ON o.user_id = c.user_id")).SqlState);
        Assert.Equal(SqlState.UndefinedTable,
            (await _db.FailsAsync("SELECT x.page FROM orders o JOIN clicks c ON o.user_id = c.user_id")).SqlState);
        Assert.Equal("42712",
            (await _db.FailsAsync("SELECT 1 FROM users JOIN users ON true")).SqlState);
        Assert.Equal(SqlState.UndefinedColumn,
            (await _db.FailsAsync("SELECT 1 FROM orders o JOIN clicks c ON o.nope = c.user_id")).SqlState);
        // ON sees only the relations of its own join.
        Assert.Equal(SqlState.UndefinedTable, (await _db.FailsAsync(
            "SELECT 1 FROM orders o JOIN users u ON c.user_id = u.id JOIN clicks c ON true")).SqlState);
        // A push join of two streams needs WITHIN.
        Assert.Equal(SqlState.SyntaxError,
            (await _db.FailsAsync("SELECT * FROM orders o JOIN clicks c ON o.user_id = c.user_id EMIT CHANGES"))
            .SqlState);
    }
}
