using System.Text;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>Several key columns: declaration, key formats, tables (lookups, upserts, deletes), GROUP BY of several
/// expressions in persistent, push and pull queries, the system catalog, and a restart.</summary>
public sealed class MultiKeyTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { PersistentCommitIntervalMs = 20 });

    public Task InitializeAsync() => _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private string Key(string log, int index) => Encoding.UTF8.GetString(_db.Engine.ReadRecords(log)[index].Key!);

    [Fact]
    public async Task A_json_key_of_several_columns_is_an_object_and_reads_back()
    {
        await _db.ExecAllAsync("CREATE STREAM s (a INT KEY, b STRING KEY, v INT) WITH (KAFKA_TOPIC = 's', "
            + "PARTITIONS = 3, FORMAT = 'JSON')", "INSERT INTO s (v, b, a) VALUES (7, 'x', 1)");
        Assert.Equal("{\"a\":1,\"b\":\"x\"}", Key("s", 0));
        Assert.Equal([1, "x", 7], Assert.Single(await _db.QueryAsync("SELECT a, b, v FROM s")));
        // A record other writers produced, names in ksqlDB's upper case, reads the same way.
        await _db.Engine.ProduceAsync("s", 0, 5, "{\"A\":2,\"B\":\"y\"}"u8.ToArray(), "{\"V\":8}"u8.ToArray());
        Assert.Equal([2, "y", 8], (await _db.QueryAsync("SELECT a, b, v FROM s WHERE a = 2"))[0]);
    }

    [Fact]
    public async Task A_delimited_key_of_several_columns_uses_key_delimiter()
    {
        await _db.ExecAllAsync("CREATE STREAM d (k1 STRING KEY, k2 INT KEY, v INT) WITH (KAFKA_TOPIC = 'd', "
            + "FORMAT = 'DELIMITED', KEY_DELIMITER = ';')", "INSERT INTO d VALUES ('a,b', 2, 3)");
        Assert.Equal("a,b;2", Key("d", 0));
        await _db.Engine.ProduceAsync("d", 0, 5, "\"c\";4"u8.ToArray(), "5"u8.ToArray());
        Assert.Equal([["a,b", 2, 3], ["c", 4, 5]],
            await _db.QueryAsync("SELECT k1, k2, v FROM d ORDER BY v"));
    }

    [Theory]
    [InlineData("CREATE STREAM e (a INT KEY, b INT KEY, v INT) WITH (VALUE_FORMAT = 'JSON')", "42P16")]
    [InlineData("CREATE TABLE e (a INT PRIMARY KEY, b INT PRIMARY KEY, v INT)", "42P16")]
    [InlineData("CREATE STREAM e (a INT KEY, v INT) WITH (FORMAT = 'JSON', KEY_DELIMITER = ';')", "22023")]
    [InlineData("CREATE STREAM e (a INT KEY, b ARRAY<INT> KEY, v INT) WITH (FORMAT = 'DELIMITED')", "42P16")]
    public async Task Key_formats_that_cannot_hold_the_key_are_refused(string sql, string state) =>
        Assert.Equal(state, (await _db.FailsAsync(sql)).SqlState);

    [Fact]
    public async Task A_table_of_several_key_columns_upserts_looks_up_and_deletes_by_the_full_key()
    {
        await _db.ExecAllAsync(
            "CREATE TABLE t (region STRING PRIMARY KEY, id INT PRIMARY KEY, n INT) WITH (PARTITIONS = 2, "
                + "KEY_FORMAT = 'JSON')",
            "INSERT INTO t VALUES ('eu', 1, 10), ('eu', 2, 20), ('us', 1, 30)",
            "INSERT INTO t VALUES ('eu', 1, 11)");
        Assert.Equal([["eu", 1, 11], ["eu", 2, 20], ["us", 1, 30]],
            await _db.QueryAsync("SELECT region, id, n FROM t ORDER BY region, id"));
        Assert.Equal([11], Assert.Single(await _db.QueryAsync("SELECT n FROM t WHERE region = 'eu' AND id = 1")));
        Assert.Equal([30], Assert.Single(await _db.QueryAsync("SELECT n FROM t WHERE id = $1 AND region = $2",
            1, "us")));
        var plan = string.Join("\n", (await _db.QueryAsync("EXPLAIN SELECT n FROM t WHERE region = 'eu' AND id IN "
            + "(1, 2)")).Select(r => r[0]));
        Assert.Contains("KeyLookup t (materialized state) on (region, id) = ('eu', 1), ('eu', 2)", plan,
            StringComparison.Ordinal);
        // A part of the key alone is a scan with a filter.
        Assert.Contains("TableScan t", string.Join("\n", (await _db.QueryAsync(
            "EXPLAIN SELECT n FROM t WHERE id = 1")).Select(r => r[0])), StringComparison.Ordinal);
        Assert.Equal(2, (await _db.QueryAsync("SELECT n FROM t WHERE id = 1")).Count);
        Assert.Equal("DELETE 1", await _db.ExecAsync("DELETE FROM t WHERE region = 'eu' AND id = 1"));
        Assert.Equal("DELETE 1", await _db.ExecAsync("DELETE FROM t WHERE (region = 'us' AND id = 1) "
            + "OR (region = 'eu' AND id = 9)"));
        Assert.Equal([["eu", 2, 20]], await _db.QueryAsync("SELECT region, id, n FROM t"));
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.FailsAsync("DELETE FROM t WHERE id = 2")).SqlState);
        Assert.Equal(SqlState.NotNullViolation,
            (await _db.FailsAsync("INSERT INTO t VALUES ('eu', NULL, 1)")).SqlState);
    }

    [Fact]
    public async Task Describe_and_the_system_catalog_show_a_composite_primary_key()
    {
        await _db.ExecAsync("CREATE TABLE t (region STRING PRIMARY KEY, v INT, id INT PRIMARY KEY) "
            + "WITH (KEY_FORMAT = 'DELIMITED')");
        Assert.Equal([["region", "PRIMARY KEY"], ["v", null], ["id", "PRIMARY KEY"]],
            (await _db.QueryAsync("DESCRIBE t")).Select(r => new[] { r[0], r[2] }).ToList());
        Assert.Equal([["region", 1], ["id", 2]], await _db.QueryAsync("SELECT column_name, ordinal_position "
            + "FROM information_schema.key_column_usage WHERE table_name = 't' ORDER BY ordinal_position"));
        Assert.Equal("PRIMARY KEY (region, id)", Assert.Single(await _db.QueryAsync(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 't_pkey'"))[0]);
        Assert.Equal(2, Convert.ToInt32(Assert.Single(await _db.QueryAsync(
            "SELECT indnatts FROM pg_index WHERE indisprimary"))[0]));
    }

    [Fact]
    public async Task Ctas_group_by_several_expressions_keys_the_table_by_them_in_group_by_order()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM clicks (user_id INT KEY, page STRING, ms INT) WITH (PARTITIONS = 2, FORMAT = 'JSON')",
            "INSERT INTO clicks VALUES (1, '/a', 10), (1, '/a', 20), (2, '/a', 5), (1, '/b', 1), (3, NULL, 9)",
            "CREATE TABLE per_page AS SELECT page, user_id, COUNT(*) AS n, SUM(ms) AS total FROM clicks "
                + "GROUP BY user_id, page EMIT CHANGES");
        var rows = await WaitForRowsAsync("SELECT user_id, page, n, total FROM per_page ORDER BY user_id, page", 3);
        Assert.Equal("1 /a 2 30|1 /b 1 1|2 /a 1 5", Text(rows));
        Assert.Equal([2L], Assert.Single(await _db.QueryAsync(
            "SELECT n FROM per_page WHERE user_id = 1 AND page = '/a'")));
        Assert.Equal([["page", "PRIMARY KEY"], ["user_id", "PRIMARY KEY"]], (await _db.QueryAsync("DESCRIBE per_page"))
            .Where(r => r[2] is not null).Select(r => new[] { r[0], r[2] }).ToList());
        Assert.Contains(_db.Engine.ReadRecords("per_page"),
            r => Encoding.UTF8.GetString(r.Key!) == "{\"user_id\":1,\"page\":\"/a\"}");
        // The table survives a restart with its key columns, and its query goes on.
        await _db.RestartAsync();
        await _db.ExecAsync("INSERT INTO clicks VALUES (2, '/a', 6)");
        rows = await WaitForRowsAsync("SELECT n, total FROM per_page WHERE page = '/a' AND user_id = 2", 1,
            r => Equals(r[0][0], 2L));
        Assert.Equal("2 11", Text(rows));
        Assert.Equal("DELETE 1", await _db.ExecAsync("DELETE FROM per_page WHERE user_id = 1 AND page = '/b'"));
    }

    [Theory]
    [InlineData("CREATE TABLE o AS SELECT page, COUNT(*) FROM c GROUP BY user_id, page", "42803")]
    [InlineData("CREATE TABLE o AS SELECT user_id, page, user_id AS u2, COUNT(*) FROM c GROUP BY user_id, page",
        "42803")]
    [InlineData("CREATE TABLE o WITH (KEY_FORMAT = 'KAFKA') AS SELECT user_id, page, COUNT(*) FROM c "
        + "GROUP BY user_id, page", "42P16")]
    public async Task Ctas_keys_follow_ksqldb_rules(string sql, string state)
    {
        await _db.ExecAsync("CREATE STREAM c (user_id INT KEY, page STRING) WITH (FORMAT = 'JSON')");
        Assert.Equal(state, (await _db.FailsAsync(sql)).SqlState);
    }

    [Fact]
    public async Task Push_and_pull_group_by_several_expressions_without_them_in_the_projection()
    {
        await _db.ExecAllAsync("CREATE STREAM p (a INT, b STRING, v INT)",
            "INSERT INTO p VALUES (1, 'x', 1), (1, 'x', 2), (1, 'y', 3), (2, 'x', 4)");
        Assert.Equal([[1L, 3L], [2L, 3L], [1L, 4L]],
            await _db.QueryAsync("SELECT COUNT(*), SUM(v) FROM p GROUP BY a, b ORDER BY 2, 1"));
        // One INSERT is one batch: each of its three groups is emitted once, with its count after the batch.
        var push = await _db.QueryAsync("SELECT a, b, COUNT(*) AS n FROM p GROUP BY a, b EMIT CHANGES LIMIT 3");
        Assert.Equal("1 x 2|1 y 1|2 x 1", Text([.. push.OrderBy(r => (int)r[0]!).ThenBy(r => (string)r[1]!)]));
    }

    [Fact]
    public async Task A_windowed_aggregate_of_several_keys_keeps_each_key_and_window()
    {
        await _db.ExecAllAsync("CREATE STREAM w (a INT KEY, b STRING, v INT) WITH (FORMAT = 'JSON')",
            "INSERT INTO w (a, b, v, ROWTIME) VALUES (1, 'x', 1, 100), (1, 'x', 2, 900), (1, 'y', 3, 1100)",
            "CREATE TABLE wt AS SELECT a, b, COUNT(*) AS n FROM w WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY a, b "
                + "EMIT CHANGES");
        var rows = await WaitForRowsAsync("SELECT a, b, windowstart, n FROM wt ORDER BY windowstart, b", 2,
            r => r.Exists(x => Equals(x[3], 2L)));
        Assert.Equal([[1, "x", 0L, 2L], [1, "y", 1000L, 1L]], rows);
    }

    [Fact]
    public async Task A_csas_keeps_every_source_key_in_the_order_of_its_select_list()
    {
        await _db.ExecAllAsync("CREATE STREAM src (id INT KEY, age INT KEY, name STRING) WITH (FORMAT = 'JSON')",
            "INSERT INTO src VALUES (1, 20, 'a')",
            "CREATE STREAM out AS SELECT age, id, name FROM src EMIT CHANGES");
        await WaitForRowsAsync("SELECT * FROM out", 1);
        Assert.Equal("{\"age\":20,\"id\":1}", Key("out", 0));
        Assert.Equal([["age", "KEY"], ["id", "KEY"]], (await _db.QueryAsync("DESCRIBE out"))
            .Where(r => r[2] is not null).Select(r => new[] { r[0], r[2] }).ToList());
    }

    [Fact]
    public async Task Key_columns_and_key_delimiter_survive_a_restart()
    {
        await _db.ExecAllAsync("CREATE TABLE d (a STRING PRIMARY KEY, v INT, b INT PRIMARY KEY) WITH ("
            + "FORMAT = 'DELIMITED', KEY_DELIMITER = 'TAB')", "INSERT INTO d VALUES ('x', 1, 2)");
        await _db.RestartAsync();
        await _db.ExecAsync("INSERT INTO d VALUES ('x', 1, 3)");
        Assert.Equal([3], Assert.Single(await _db.QueryAsync("SELECT v FROM d WHERE a = 'x' AND b = 1")));
        Assert.Equal("x\t1", Key("d", 1));
        Assert.True(_db.Engine.Catalog.TryGet("d", out var definition));
        Assert.Equal([0, 2], definition.KeyColumns);
    }

    [Fact]
    public void A_catalog_written_before_several_key_columns_reads_its_one_key_column()
    {
        using var directory = new Query.Testing.TempDirectory("query-multikey-catalog");
        File.WriteAllText(Path.Combine(directory.Path, "catalog.json"), """
            {"Version": 2, "Streams": [{"Name": "t", "Kind": "TABLE", "ColumnNames": ["v", "id"],
              "ColumnTypes": ["INT", "BIGINT"], "KeyColumn": 1, "LogName": "t", "Partitions": 1}]}
            """);
        Assert.True(Catalog.CatalogStore.Open(directory.Path).TryGet("t", out var definition));
        Assert.Equal([1], definition.KeyColumns);
        Assert.Equal(',', definition.KeyDelimiter);
        Assert.True(definition.IsKeyColumn(1) && !definition.IsKeyColumn(0));
    }

    [Fact]
    public async Task Joins_with_a_table_of_several_key_columns_are_refused()
    {
        await _db.ExecAllAsync("CREATE TABLE mk (a INT PRIMARY KEY, b INT PRIMARY KEY, v INT) WITH (FORMAT = 'JSON')",
            "CREATE TABLE one (a INT PRIMARY KEY, w INT) WITH (FORMAT = 'JSON')",
            "CREATE STREAM st (a INT KEY, x INT) WITH (FORMAT = 'JSON')");
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.FailsAsync(
            "SELECT * FROM st JOIN mk ON st.a = mk.a EMIT CHANGES")).SqlState);
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.FailsAsync(
            "SELECT * FROM one JOIN mk ON one.a = mk.a EMIT CHANGES")).SqlState);
    }

    private static string Text(List<object?[]> rows) =>
        string.Join("|", rows.Select(r => string.Join(" ", r)));

    private async Task<List<object?[]>> WaitForRowsAsync(string sql, int count,
        Func<List<object?[]>, bool>? done = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<object?[]> rows;
        do
        {
            await Task.Delay(20);
            rows = await _db.QueryAsync(sql);
        }
        while ((rows.Count != count || (done is not null && !done(rows))) && DateTime.UtcNow < deadline);
        return rows;
    }
}
