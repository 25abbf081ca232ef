using System.Text;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// ksqlDB behaviours its own test suite showed we lacked: SUM_LIST and ATTR, SELECT * of a windowed source, a
/// table's keyless record, GROUP BY (a, b), PRIMARY KEY (a, b), PARTITION BY several expressions and DELIMITED key
/// quoting.
/// </summary>
public sealed class KsqlConformanceGapTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { PersistentCommitIntervalMs = 20 });

    public Task InitializeAsync() => _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private string Key(string log, int index) => Encoding.UTF8.GetString(_db.Engine.ReadRecords(log)[index].Key!);

    private List<string> ColumnNames(string sql) => [.. _db.Session.Prepare(sql).Columns.Select(c => c.Name)];

    [Fact]
    public async Task Sum_list_sums_every_element_of_every_list_in_the_element_type()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM s (id STRING KEY, i ARRAY<INT>, l ARRAY<BIGINT>, d ARRAY<DOUBLE>) WITH (FORMAT = 'JSON')",
            "INSERT INTO s VALUES ('a', ARRAY[1, 2], ARRAY[10000000000, 1], ARRAY[1.5, 2.0])",
            "INSERT INTO s VALUES ('a', ARRAY[3, NULL], NULL, ARRAY[CAST(NULL AS DOUBLE)])",
            "INSERT INTO s VALUES ('b', NULL, NULL, NULL)");
        Assert.Equal([["a", 6, 10000000001L, 3.5], ["b", 0, 0L, 0.0]], await _db.QueryAsync(
            "SELECT id, SUM_LIST(i), SUM_LIST(l), SUM_LIST(d) FROM s GROUP BY id ORDER BY id"));
        var error = await _db.FailsAsync("SELECT SUM_LIST(ARRAY['x']) FROM s");
        Assert.Equal(SqlState.UndefinedFunction, error.SqlState);
        Assert.Contains("SUM_LIST", error.Message, StringComparison.Ordinal);
        Assert.Contains(await _db.QueryAsync("SHOW FUNCTIONS"), r => Equals(r[0], "SUM_LIST"));
    }

    [Fact]
    public async Task Sum_list_over_a_table_takes_an_updated_row_back_out()
    {
        await _db.ExecAllAsync(
            "CREATE TABLE t (id INT PRIMARY KEY, g STRING, v ARRAY<INT>) WITH (FORMAT = 'JSON')",
            "INSERT INTO t VALUES (1, 'x', ARRAY[1, 2]), (2, 'x', ARRAY[10])",
            "CREATE TABLE sums AS SELECT g, SUM_LIST(v) AS total FROM t GROUP BY g EMIT CHANGES",
            "INSERT INTO t VALUES (1, 'x', ARRAY[5])");
        await WaitForAsync("SELECT total FROM sums", rows => rows.Count == 1 && Equals(rows[0][0], 15));
    }

    [Fact]
    public async Task Md5_is_the_hex_digest_of_the_utf8_bytes()
    {
        Assert.Equal([["900150983cd24fb0d6963f7d28e17f72", "d41d8cd98f00b204e9800998ecf8427e", null]],
            await _db.QueryAsync("SELECT MD5('abc'), MD5(''), MD5(CAST(NULL AS STRING))"));
    }

    [Fact]
    public async Task Attr_is_the_one_value_of_a_group_or_null()
    {
        await _db.ExecAllAsync("CREATE STREAM s (g INT KEY, v STRING) WITH (FORMAT = 'JSON')",
            "INSERT INTO s VALUES (1, 'same'), (1, 'same'), (2, 'a'), (2, 'b'), (3, NULL), (4, 'x'), (4, NULL)");
        Assert.Equal([[1, "same"], [2, null], [3, null], [4, null]],
            await _db.QueryAsync("SELECT g, ATTR(v) FROM s GROUP BY g ORDER BY g"));
    }

    [Fact]
    public async Task Select_star_of_a_windowed_source_lists_keys_then_the_window_bounds()
    {
        await _db.ExecAllAsync("CREATE STREAM w (k BIGINT KEY, id INT) WITH (KAFKA_TOPIC = 'w', VALUE_FORMAT = 'JSON', "
            + "WINDOW_TYPE = 'SESSION')",
            "CREATE STREAM s (k INT KEY, v INT) WITH (FORMAT = 'JSON')",
            "CREATE TABLE agg AS SELECT SUM(v) AS total, k FROM s WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k");
        Assert.Equal(["k", "windowstart", "windowend", "id"], ColumnNames("SELECT * FROM w EMIT CHANGES"));
        Assert.Equal(["k", "windowstart", "windowend", "total"], ColumnNames("SELECT * FROM agg"));
        // Naming the columns keeps the order they are named in.
        Assert.Equal(["id", "windowend", "k"], ColumnNames("SELECT id, windowend, k FROM w EMIT CHANGES"));
    }

    [Fact]
    public async Task A_table_record_without_a_key_is_not_a_change_of_the_table()
    {
        await _db.ExecAsync("CREATE TABLE t (k INT PRIMARY KEY, id INT) WITH (KAFKA_TOPIC = 't', FORMAT = 'JSON')");
        await _db.Engine.ProduceAsync("t", 0, 1, null, "{\"id\":123}"u8.ToArray());
        await _db.Engine.ProduceAsync("t", 0, 2, "10"u8.ToArray(), "{\"id\":110}"u8.ToArray());
        Assert.Equal([[10, 110]], await _db.QueryAsync("SELECT * FROM t EMIT CHANGES LIMIT 1"));
    }

    [Fact]
    public async Task Group_by_a_grouping_set_groups_by_its_expressions_in_order()
    {
        await _db.ExecAllAsync("CREATE STREAM s (id INT KEY, f1 INT, f2 STRING) WITH (FORMAT = 'DELIMITED')",
            "INSERT INTO s VALUES (1, -1, 'a'), (2, -1, 'a'), (3, 2, 'b')",
            "CREATE TABLE out AS SELECT f1, f2, COUNT(*) FROM s GROUP BY (f2, f1)");
        await WaitForAsync("SELECT * FROM out", rows => rows.Count == 2);
        Assert.Equal([["f1", "PRIMARY KEY"], ["f2", "PRIMARY KEY"]], (await _db.QueryAsync("DESCRIBE out"))
            .Where(r => r[2] is not null).Select(r => new[] { r[0], r[2] }).ToList());
        // The key is in GROUP BY order; only a line's first field is quoted for its sign.
        Assert.Equal("a,-1", Key("out", 0));
    }

    [Fact]
    public async Task A_primary_key_constraint_keys_the_table_by_its_columns_in_its_order()
    {
        await _db.ExecAllAsync("CREATE TABLE t (region STRING, id INT, n INT, PRIMARY KEY (id, region)) WITH ("
            + "KAFKA_TOPIC = 't', FORMAT = 'JSON')",
            "INSERT INTO t (region, id, n) VALUES ('eu', 1, 10), ('us', 1, 20)",
            "INSERT INTO t (region, id, n) VALUES ('eu', 1, 11)");
        Assert.Equal("{\"id\":1,\"region\":\"eu\"}", Key("t", 0));
        Assert.Equal([[11]], await _db.QueryAsync("SELECT n FROM t WHERE region = 'eu' AND id = 1"));
        Assert.True(_db.Engine.Catalog.TryGet("t", out var definition));
        Assert.Equal([1, 0], definition.KeyColumns);
        await _db.RestartAsync();
        Assert.Equal([[11], [20]], await _db.QueryAsync("SELECT n FROM t ORDER BY n"));
    }

    [Theory]
    [InlineData("CREATE TABLE e (a INT PRIMARY KEY, b INT, PRIMARY KEY (a, b)) WITH (FORMAT = 'JSON')", "42P16")]
    [InlineData("CREATE TABLE e (a INT, b INT, PRIMARY KEY (a, c)) WITH (FORMAT = 'JSON')", "42703")]
    [InlineData("CREATE TABLE e (a INT, b INT, PRIMARY KEY (a, a)) WITH (FORMAT = 'JSON')", "42701")]
    [InlineData("CREATE STREAM e (a INT, b INT, PRIMARY KEY (a)) WITH (FORMAT = 'JSON')", "42601")]
    [InlineData("CREATE TABLE e (a INT, b INT, v INT, PRIMARY KEY (a, b))", "42P16")]
    public async Task A_primary_key_constraint_is_checked(string sql, string state) =>
        Assert.Equal(state, (await _db.FailsAsync(sql)).SqlState);

    [Fact]
    public async Task Partition_by_several_expressions_keys_the_stream_by_all_of_them()
    {
        await _db.ExecAllAsync("CREATE STREAM src (id INT KEY, name STRING, age INT) WITH (FORMAT = 'JSON')",
            "INSERT INTO src VALUES (1, 'ann', 30)",
            "CREATE STREAM by_name AS SELECT * FROM src PARTITION BY name, age",
            "CREATE STREAM by_expr AS SELECT id, name FROM src PARTITION BY name, age + 1");
        await WaitForAsync("SELECT * FROM by_expr", rows => rows.Count == 1);
        await WaitForAsync("SELECT * FROM by_name", rows => rows.Count == 1);
        Assert.Equal("{\"name\":\"ann\",\"age\":30}", Key("by_name", 0));
        Assert.Equal("{\"name\":\"ann\",\"ksql_col_0\":31}", Key("by_expr", 0));
        Assert.Equal([["ksql_col_0", "KEY"], ["name", "KEY"]], (await _db.QueryAsync("DESCRIBE by_expr"))
            .Where(r => r[2] is not null).Select(r => new[] { r[0], r[2] }).ToList());
        Assert.Equal([["ann", 31, 1]], await _db.QueryAsync("SELECT name, ksql_col_0, id FROM by_expr"));
        Assert.Equal("42P16", (await _db.FailsAsync(
            "CREATE STREAM k WITH (KEY_FORMAT = 'KAFKA') AS SELECT * FROM src PARTITION BY name, age")).SqlState);
    }

    [Fact]
    public async Task A_delimited_key_starting_with_a_sign_is_quoted_as_ksqldb_quotes_it()
    {
        await _db.ExecAllAsync("CREATE STREAM d (k INT KEY, v INT) WITH (KAFKA_TOPIC = 'd', FORMAT = 'DELIMITED')",
            "INSERT INTO d VALUES (-1, 2), (1, 3)",
            "CREATE STREAM d2 (a INT KEY, b STRING KEY, v INT) WITH (KAFKA_TOPIC = 'd2', FORMAT = 'DELIMITED')",
            "INSERT INTO d2 VALUES (-2, '-x', 1)");
        Assert.Equal("\"-1\"", Key("d", 0));
        Assert.Equal("1", Key("d", 1));
        Assert.Equal("\"-2\",-x", Key("d2", 0));
        Assert.Equal([[-1, 2], [1, 3]], await _db.QueryAsync("SELECT k, v FROM d ORDER BY v"));
        Assert.Equal([[-2, "-x"]], await _db.QueryAsync("SELECT a, b FROM d2"));
    }

    private async Task WaitForAsync(string sql, Func<List<object?[]>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<object?[]> rows;
        do
        {
            await Task.Delay(20);
            rows = await _db.QueryAsync(sql);
        }
        while (!done(rows) && DateTime.UtcNow < deadline);
        Assert.True(done(rows), string.Join("|", rows.Select(r => string.Join(" ", r))));
    }
}
