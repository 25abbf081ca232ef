namespace Query.Engine.Tests;

/// <summary>ksqlDB's names and keys for the results of push and persistent joins: <c>SELECT *</c> as
/// <c>ALIAS_COL</c>, qualified pseudo-columns per side, colliding qualified columns, the join key as the sink's key
/// and FULL OUTER joins' synthetic <c>ROWKEY</c>.</summary>
public sealed class JoinNamingTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM l (id INT KEY, g INT, v STRING) WITH (PARTITIONS = 2)",
        "CREATE STREAM r (id INT KEY, g INT, v STRING) WITH (PARTITIONS = 3)",
        "CREATE TABLE t (tid INT PRIMARY KEY, name STRING)",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task CaughtUpAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!_db.Engine.Queries.List().All(q => q.CaughtUp) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.All(_db.Engine.Queries.List(), q => Assert.Null(q.Error));
    }

    private (List<string> Columns, List<int> Keys) Shape(string name)
    {
        Assert.True(_db.Engine.Catalog.TryGet(name, out var definition));
        return ([.. definition.Columns.Select(c => c.Name)], [.. definition.KeyColumns]);
    }

    private void AssertShape(string[] columns, int[] keys, string name)
    {
        var (actualColumns, actualKeys) = Shape(name);
        Assert.Equal(columns, actualColumns);
        Assert.Equal(keys, actualKeys);
    }

    [Fact]
    public async Task Select_star_over_a_stream_stream_join_names_columns_by_alias_and_keys_the_sink_by_the_join()
    {
        await _db.ExecAllAsync(
            "INSERT INTO l (id, g, v, ROWTIME) VALUES (1, 7, 'a', 1000)",
            "INSERT INTO r (id, g, v, ROWTIME) VALUES (2, 7, 'b', 1500)",
            "CREATE STREAM j AS SELECT * FROM l a JOIN r b WITHIN 1 MINUTE ON a.g = b.g EMIT CHANGES");
        await CaughtUpAsync();
        var (columns, keys) = Shape("j");
        Assert.Equal(["a_id", "a_g", "a_v", "b_id", "b_g", "b_v"], columns);
        Assert.Equal([1], keys);   // a_g: the join key, not l's own key
        Assert.Equal([1, 7, "a", 2, 7, "b"], Assert.Single(await _db.QueryAsync("SELECT * FROM j")));
    }

    [Fact]
    public async Task A_push_query_names_star_and_qualified_pseudo_columns_per_side()
    {
        await _db.ExecAllAsync(
            "INSERT INTO l (id, g, v, ROWTIME) VALUES (1, 7, 'a', 1000)",
            "INSERT INTO r (id, g, v, ROWTIME) VALUES (2, 7, 'b', 1500)");
        await using var result = await _db.Session.ExecuteAsync(
            "SELECT *, a.ROWTIME, b.ROWTIME, a.ROWOFFSET, ROWTIME FROM l a JOIN r b WITHIN 1 MINUTE ON a.g = b.g "
            + "EMIT CHANGES LIMIT 1");
        Assert.Equal(["a_id", "a_g", "a_v", "b_id", "b_g", "b_v", "a_rowtime", "b_rowtime", "a_rowoffset", "rowtime"],
            result.Rows!.Columns.Select(c => c.Name));
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        Assert.Equal([1, 7, "a", 2, 7, "b", 1000L, 1500L, 0L, 1500L], Assert.Single(rows));
    }

    [Fact]
    public async Task Colliding_qualified_columns_take_ksqldb_names_and_others_keep_theirs()
    {
        await _db.ExecAllAsync(
            "INSERT INTO l (id, g, v, ROWTIME) VALUES (1, 7, 'a', 1000)",
            "INSERT INTO r (id, g, v, ROWTIME) VALUES (2, 7, 'b', 1500)",
            "CREATE STREAM j AS SELECT a.g, a.v, b.v FROM l a JOIN r b WITHIN 1 MINUTE ON a.g = b.g EMIT CHANGES");
        await CaughtUpAsync();
        AssertShape(["g", "a_v", "b_v"], [0], "j");
    }

    [Fact]
    public async Task A_full_outer_join_keys_its_sink_by_a_synthetic_rowkey()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM j AS SELECT a.v AS av, b.v AS bv FROM l a FULL OUTER JOIN r b "
            + "WITHIN 1 SECOND GRACE PERIOD 0 SECONDS ON a.g = b.g EMIT CHANGES",
            "INSERT INTO l (id, g, v, ROWTIME) VALUES (1, 7, 'a', 1000), (3, 8, 'c', 1000)",
            "INSERT INTO r (id, g, v, ROWTIME) VALUES (2, 7, 'b', 1500), (4, 9, 'd', 1500)",
            "INSERT INTO l (id, g, v, ROWTIME) VALUES (5, 0, 'z', 60000)");
        await CaughtUpAsync();
        AssertShape(["rowkey", "av", "bv"], [0], "j");
        var rows = (await _db.QueryAsync("SELECT rowkey, av, bv FROM j"))
            .Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "null"))).Order(StringComparer.Ordinal);
        Assert.Equal(["7|a|b", "8|c|null", "9|null|d"], rows);
    }

    [Fact]
    public async Task A_stream_table_join_keys_by_the_stream_expression_and_a_table_rowtime_is_refused()
    {
        await _db.ExecAllAsync("INSERT INTO t VALUES (7, 'seven')", "INSERT INTO l VALUES (1, 7, 'a')",
            "CREATE STREAM j AS SELECT * FROM l LEFT JOIN t ON l.g = t.tid EMIT CHANGES");
        await CaughtUpAsync();
        AssertShape(["l_id", "l_g", "l_v", "t_tid", "t_name"], [1], "j");
        var error = await _db.FailsAsync("SELECT t.ROWTIME FROM l JOIN t ON l.g = t.tid EMIT CHANGES");
        Assert.Equal(Errors.SqlState.FeatureNotSupported, error.SqlState);
    }
}
