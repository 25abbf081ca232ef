namespace Query.Engine.Tests.Sql;

/// <summary>Subqueries in expressions and in FROM, over streams, tables and the system catalog. Expected answers
/// are PostgreSQL 15's for the same data.</summary>
public sealed class SubqueryTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { BatchRows = 3, SubqueryMaxRuns = 50 });

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE users (id INT PRIMARY KEY, name STRING, region STRING) WITH (PARTITIONS = 2)",
        "INSERT INTO users VALUES (1, 'ann', 'eu'), (2, 'bob', 'us'), (3, 'cid', 'eu'), (4, 'dee', NULL)",
        "CREATE STREAM orders (order_id INT KEY, user_id INT, amount DOUBLE) WITH (PARTITIONS = 3)",
        "INSERT INTO orders VALUES (10, 1, 5.0), (11, 1, 7.5), (12, 2, 1.0), (13, 9, 3.0), (14, NULL, 2.0)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<string>> RowsAsync(string sql) =>
        [.. (await _db.QueryAsync(sql)).Select(r => string.Join("|", r.Select(Text)))];

    internal static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        _ => value.ToString()!,
    };

    private async Task<List<string>> SortedAsync(string sql) =>
        [.. (await RowsAsync(sql)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Uncorrelated_scalar_subquery_gives_its_one_value_or_null()
    {
        Assert.Equal(["4"], await RowsAsync("SELECT (SELECT max(id) FROM users)"));
        Assert.Equal(["11", "10"], await RowsAsync(
            "SELECT order_id FROM orders WHERE amount > (SELECT avg(amount) FROM orders) ORDER BY amount DESC"));
        Assert.Equal(["null"], await RowsAsync("SELECT (SELECT name FROM users WHERE id = 99)"));
    }

    [Fact]
    public async Task Correlated_scalar_subquery_reads_the_enclosing_row()
    {
        Assert.Equal(["1|ann|2", "2|bob|1", "3|cid|0", "4|dee|0"], await RowsAsync(
            "SELECT u.id, u.name, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) FROM users u ORDER BY 1"));
        Assert.Equal(["10|ann", "11|ann", "12|bob", "13|null", "14|null"], await RowsAsync(
            "SELECT order_id, (SELECT name FROM users WHERE id = user_id) FROM orders ORDER BY order_id"));
        // orders.user_id is the enclosing row's: the subquery's own orders is named o.
        Assert.Equal(["11"], await RowsAsync("SELECT order_id FROM orders WHERE amount > "
            + "(SELECT min(amount) FROM orders o WHERE o.user_id = orders.user_id)"));
    }

    [Fact]
    public async Task Scalar_subquery_with_more_than_one_row_is_21000()
    {
        var error = await _db.FailsAsync("SELECT (SELECT id FROM users)");
        Assert.Equal("21000", error.SqlState);
        Assert.Equal("42601", (await _db.FailsAsync("SELECT (SELECT id, name FROM users)")).SqlState);
    }

    [Fact]
    public async Task In_and_not_in_follow_sql_null_logic()
    {
        Assert.Equal(["ann", "bob"], await SortedAsync(
            "SELECT name FROM users WHERE id IN (SELECT user_id FROM orders)"));
        // orders.user_id holds a NULL: NOT IN is never true (PostgreSQL gives no rows).
        Assert.Empty(await RowsAsync("SELECT name FROM users WHERE id NOT IN (SELECT user_id FROM orders)"));
        Assert.Equal(["cid", "dee"], await SortedAsync(
            "SELECT name FROM users WHERE id NOT IN (SELECT user_id FROM orders WHERE user_id IS NOT NULL)"));
        Assert.Equal(["true|null"], await RowsAsync(
            "SELECT 1 IN (SELECT user_id FROM orders), 5 IN (SELECT user_id FROM orders)"));
    }

    [Fact]
    public async Task Exists_and_not_exists_correlate()
    {
        Assert.Equal(["ann", "bob"], await SortedAsync(
            "SELECT name FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)"));
        Assert.Equal(["cid", "dee"], await SortedAsync(
            "SELECT name FROM users u WHERE NOT EXISTS (SELECT * FROM orders WHERE user_id = u.id)"));
        Assert.Equal(["true|false"], await RowsAsync(
            "SELECT EXISTS (SELECT 1 FROM users), EXISTS (SELECT 1 FROM users WHERE id > 10)"));
    }

    [Fact]
    public async Task Any_and_all_take_a_subquery_or_an_array()
    {
        Assert.Equal(["12", "13", "14"], await SortedAsync(
            "SELECT order_id FROM orders WHERE amount < ALL (SELECT amount FROM orders WHERE order_id < 12)"));
        Assert.Equal(["ann", "cid"], await SortedAsync("SELECT name FROM users WHERE id = ANY (ARRAY[1, 3, 7])"));
        Assert.Equal(["bob", "dee"], await SortedAsync("SELECT name FROM users WHERE id <> ALL (ARRAY[1, 3])"));
        Assert.Equal(["true|null|false|true"], await RowsAsync(
            "SELECT 'b' = ANY (ARRAY['a', 'b']), 3 = ANY (ARRAY[1, NULL]), 3 = ANY (ARRAY[1, 2]), "
            + "3 > ALL (ARRAY[1, 2])"));
        Assert.Equal(["ann|bob"], await RowsAsync(
            "SELECT name, (SELECT name FROM users WHERE id = ANY ($1) AND id > 1) FROM users WHERE id = 1"
                .Replace("$1", "ARRAY[2, 9]", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Array_subquery_collects_a_column()
    {
        Assert.Equal(["[\"ann\",\"cid\"]"], await RowsAsync(
            "SELECT ARRAY(SELECT name FROM users WHERE region = 'eu' ORDER BY name)"));
        Assert.Equal(["[]"], await RowsAsync("SELECT ARRAY(SELECT name FROM users WHERE id > 9)"));
    }

    [Fact]
    public async Task Subquery_in_from_needs_an_alias_and_takes_column_aliases()
    {
        Assert.Equal(["1|12.5", "2|1"], await RowsAsync(
            "SELECT t.u, t.total FROM (SELECT user_id, sum(amount) FROM orders WHERE user_id < 5 GROUP BY user_id) "
            + "AS t(u, total) ORDER BY 1"));
        Assert.Equal(["ann|12.5"], await RowsAsync(
            "SELECT u.name, s.total FROM users u JOIN (SELECT user_id, sum(amount) AS total FROM orders "
            + "GROUP BY user_id) s ON s.user_id = u.id WHERE s.total > 2"));
        Assert.Equal("42601", (await _db.FailsAsync("SELECT * FROM (SELECT 1)")).SqlState);
    }

    [Fact]
    public async Task Correlated_subqueries_over_the_system_catalog()
    {
        var rows = await RowsAsync(
            "SELECT c.relname, (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid "
            + "AND a.attnum > 0) FROM pg_catalog.pg_class c WHERE c.relname IN ('users', 'orders') ORDER BY 1");
        Assert.Equal(["orders|3", "users|3"], rows);
        Assert.Equal(["id", "name", "region"], await RowsAsync(
            "SELECT attname FROM pg_attribute WHERE attrelid = (SELECT oid FROM pg_class WHERE relname = 'users') "
            + "AND attnum > 0 ORDER BY attnum"));
    }

    [Fact]
    public async Task A_correlated_subquery_stops_at_SubqueryMaxRuns()
    {
        await _db.ExecAsync("CREATE STREAM many (k INT KEY, v INT)");
        await _db.ExecAsync("INSERT INTO many VALUES " + string.Join(", ", Enumerable.Range(0, 60)
            .Select(i => $"({i}, {i})")));
        var error = await _db.FailsAsync("SELECT k, (SELECT count(*) FROM users WHERE id = v) FROM many");
        Assert.Equal("54000", error.SqlState);
        Assert.Contains("SubqueryMaxRuns", error.Hint, StringComparison.Ordinal);
        // An uncorrelated subquery runs once, however many rows read it.
        Assert.Equal(60, (await _db.QueryAsync("SELECT k, (SELECT count(*) FROM users) FROM many")).Count);
    }

    [Fact]
    public async Task Nested_correlation_reaches_two_levels_out()
    {
        Assert.Equal(["ann|true", "bob|true", "cid|false", "dee|false"], await RowsAsync(
            "SELECT u.name, EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.amount >= "
            + "(SELECT min(amount) FROM orders x WHERE x.user_id = u.id)) FROM users u ORDER BY 1"));
    }
}
