namespace Query.Engine.Tests.Sql;

/// <summary>WITH, WITH RECURSIVE, UNION [ALL], INTERSECT [ALL], EXCEPT [ALL]. Expected answers are PostgreSQL
/// 15's for the same data.</summary>
public sealed class WithAndSetOperationTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { BatchRows = 2, RecursionMaxIterations = 100 });

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE nodes (id INT PRIMARY KEY, parent INT, name STRING)",
        "INSERT INTO nodes VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 1, 'b'), (4, 2, 'a1'), (5, 4, 'a1x')",
        "CREATE STREAM xs (k INT KEY, v INT) WITH (PARTITIONS = 2)",
        "INSERT INTO xs VALUES (1, 1), (2, 1), (3, 2), (4, NULL), (5, NULL)",
        "CREATE STREAM ys (k INT KEY, v INT)",
        "INSERT INTO ys VALUES (1, 1), (2, 3), (3, NULL)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<string>> RowsAsync(string sql) =>
        [.. (await _db.QueryAsync(sql)).Select(r => string.Join("|", r.Select(SubqueryTests.Text)))];

    private async Task<List<string>> SortedAsync(string sql) =>
        [.. (await RowsAsync(sql)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task With_names_queries_that_later_ones_and_the_body_read()
    {
        Assert.Equal(["2|a", "3|b"], await RowsAsync(
            "WITH kids AS (SELECT id, name FROM nodes WHERE parent = 1), "
            + "named (i, n) AS (SELECT id, name FROM kids) SELECT i, n FROM named ORDER BY i"));
        Assert.Equal(["1|2"], await RowsAsync(
            "WITH c AS (SELECT count(*) AS n FROM nodes WHERE parent = 1) SELECT a.n - 1, b.n FROM c a, c b"));
        Assert.Equal("42P01", (await _db.FailsAsync("WITH c AS (SELECT * FROM c) SELECT * FROM c")).SqlState);
    }

    [Fact]
    public async Task With_recursive_walks_a_tree_and_counts()
    {
        Assert.Equal(["1|root|0", "2|a|1", "3|b|1", "4|a1|2", "5|a1x|3"], await RowsAsync(
            "WITH RECURSIVE tree (id, name, depth) AS (SELECT id, name, 0 FROM nodes WHERE parent IS NULL "
            + "UNION ALL SELECT n.id, n.name, t.depth + 1 FROM nodes n JOIN tree t ON n.parent = t.id) "
            + "SELECT * FROM tree ORDER BY id"));
        Assert.Equal(["55"], await RowsAsync(
            "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT sum(n) FROM t"));
        // UNION (not ALL) stops when an iteration adds nothing new.
        Assert.Equal(["0", "1", "2"], await RowsAsync(
            "WITH RECURSIVE t(n) AS (SELECT 0 UNION SELECT (n + 1) % 3 FROM t) SELECT n FROM t ORDER BY n"));
    }

    [Fact]
    public async Task A_recursion_that_does_not_end_is_54001_naming_the_setting()
    {
        var error = await _db.FailsAsync(
            "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t");
        Assert.Equal("54001", error.SqlState);
        Assert.Contains("RecursionMaxIterations", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recursive_query_inside_a_correlated_subquery()
    {
        // asyncpg's shape: the chain of a node's ancestors, deepest last, from a scalar subquery per row.
        Assert.Equal(["1|1", "4|1", "5|1"], await RowsAsync(
            "SELECT n.id, (WITH RECURSIVE up(id, parent, depth) AS (SELECT id, parent, 0 FROM nodes m "
            + "WHERE m.id = n.id UNION ALL SELECT m.id, m.parent, u.depth + 1 FROM nodes m, up u "
            + "WHERE u.parent = m.id) SELECT id FROM up ORDER BY depth DESC LIMIT 1) FROM nodes n "
            + "WHERE n.id IN (1, 4, 5) ORDER BY 1"));
    }

    [Fact]
    public async Task Union_removes_duplicates_and_union_all_keeps_them()
    {
        Assert.Equal(["1", "2", "3", "null"], await SortedAsync("SELECT v FROM xs UNION SELECT v FROM ys"));
        Assert.Equal(8, (await RowsAsync("SELECT v FROM xs UNION ALL SELECT v FROM ys")).Count);
        Assert.Equal(["3", "2", "1", "null"], await RowsAsync(
            "SELECT v FROM xs UNION SELECT v FROM ys ORDER BY 1 DESC NULLS LAST"));
        Assert.Equal(["1|x", "2|y"], await RowsAsync(
            "SELECT 1 AS n, 'x' AS s UNION ALL SELECT 2, 'y' UNION SELECT 1, 'x' ORDER BY n LIMIT 5"));
    }

    [Fact]
    public async Task Intersect_and_except_with_and_without_all()
    {
        Assert.Equal(["1", "null"], await SortedAsync("SELECT v FROM xs INTERSECT SELECT v FROM ys"));
        Assert.Equal(["1", "null"], await SortedAsync("SELECT v FROM xs INTERSECT ALL SELECT v FROM ys"));
        Assert.Equal(["2"], await SortedAsync("SELECT v FROM xs EXCEPT SELECT v FROM ys"));
        Assert.Equal(["1", "2", "null"], await SortedAsync("SELECT v FROM xs EXCEPT ALL SELECT v FROM ys"));
    }

    [Fact]
    public async Task Set_operations_unify_column_types_and_check_column_counts()
    {
        Assert.Equal(["1", "2.5"], await SortedAsync("SELECT 1 UNION SELECT CAST(2.5 AS DOUBLE)"));
        Assert.Equal("42601", (await _db.FailsAsync("SELECT 1, 2 UNION SELECT 1")).SqlState);
        Assert.Equal("42804", (await _db.FailsAsync("SELECT 1 UNION SELECT ARRAY[1]")).SqlState);
        Assert.Equal("0A000", (await _db.FailsAsync("SELECT v FROM xs UNION SELECT v FROM ys ORDER BY v + 1"))
            .SqlState);
    }

    [Fact]
    public async Task Set_operations_feed_from_subqueries_and_joins()
    {
        Assert.Equal(["2"], await RowsAsync(
            "SELECT count(*) FROM (SELECT v FROM xs INTERSECT SELECT v FROM ys) s"));
        Assert.Equal(["a", "b", "root"], await SortedAsync(
            "SELECT n.name FROM nodes n JOIN (SELECT v FROM xs UNION SELECT v FROM ys) s ON s.v = n.id"));
    }

    [Fact]
    public async Task Select_distinct_star_over_a_with_query()
    {
        Assert.Equal(["1", "2", "null"], await RowsAsync(
            "WITH v AS (SELECT v FROM xs) SELECT DISTINCT * FROM v ORDER BY v"));
        Assert.Equal(["1|1", "2|1", "3|2"], await RowsAsync(
            "SELECT DISTINCT x.* FROM xs x JOIN ys y ON x.k = y.k ORDER BY 1"));
    }

    [Fact]
    public async Task Join_using_matches_equal_columns_and_merges_the_name()
    {
        Assert.Equal(["1|1|1", "2|1|3", "3|2|null"], await RowsAsync(
            "SELECT k, x.v, y.v FROM xs x JOIN ys y USING (k) ORDER BY k"));
        Assert.Equal(5, (await RowsAsync("SELECT k FROM xs LEFT JOIN ys USING (k)")).Count);
        Assert.Equal("0A000", (await _db.FailsAsync("SELECT k FROM xs FULL JOIN ys USING (k)")).SqlState);
        Assert.Equal("42703", (await _db.FailsAsync("SELECT 1 FROM xs JOIN ys USING (nope)")).SqlState);
    }
}
