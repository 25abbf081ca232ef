using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>CREATE STREAM AS SELECT, INSERT INTO ... SELECT, TERMINATE, SHOW QUERIES, restarts and bad rows.</summary>
public sealed class PersistentQueryTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAsync(
        "CREATE STREAM s (k INT KEY, v INT, name STRING) WITH (PARTITIONS = 4, DURABILITY = 'NONE')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Polls a pull query until it returns <paramref name="count"/> rows.</summary>
    private async Task<List<object?[]>> WaitForRowsAsync(string sql, int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var rows = await _db.QueryAsync(sql);
            if (rows.Count >= count || DateTime.UtcNow > deadline)
                return rows;
            await Task.Delay(20);
        }
    }

    private async Task<object?[]> ShowAsync(string id)
    {
        var rows = await _db.QueryAsync("SHOW QUERIES EXTENDED");
        return rows.Single(r => (string)r[0]! == id);
    }

    [Fact]
    public async Task Csas_filters_and_projects_new_rows_by_default_and_keeps_the_key()
    {
        await _db.ExecAsync("INSERT INTO s VALUES (1, 10, 'before')");
        Assert.Equal("CREATE STREAM", await _db.ExecAsync(
            "CREATE STREAM out AS SELECT k, v * 2 AS doubled, name FROM s WHERE v > 5 EMIT CHANGES"));
        await _db.ExecAsync("INSERT INTO s VALUES (2, 20, 'a'), (3, 1, 'small'), (4, 40, 'b')");
        var rows = await WaitForRowsAsync("SELECT k, doubled, name FROM out", 2);
        Assert.Equal([[2, 40, "a"], [4, 80, "b"]], rows.OrderBy(r => (int)r[0]!));
        var describe = await _db.QueryAsync("DESCRIBE out");
        Assert.Contains(describe, r => (string)r[0]! == "k" && ((string?)r[2] ?? "").Contains("KEY"));
        // The key places each output row in Kafka's partition of its key, as the source did.
        var placed = await _db.QueryAsync("SELECT k, ROWPARTITION FROM out");
        var source = await _db.QueryAsync("SELECT k, ROWPARTITION FROM s");
        foreach (var row in placed)
            Assert.Contains(source, r => Equals(r[0], row[0]) && Equals(r[1], row[1]));
    }

    [Fact]
    public async Task Earliest_processes_existing_rows_and_output_keeps_rowtime()
    {
        await _db.ExecAsync("INSERT INTO s (k, v, name, ROWTIME) VALUES (1, 10, 'x', 1000), (2, 20, 'y', 2000)");
        await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
        await _db.ExecAsync("CREATE STREAM out AS SELECT k, name FROM s EMIT CHANGES");
        var rows = await WaitForRowsAsync("SELECT k, ROWTIME FROM out", 2);
        Assert.Equal([[1, 1000L], [2, 2000L]], rows.OrderBy(r => (int)r[0]!));
    }

    [Fact]
    public async Task Partition_by_rekeys_the_output()
    {
        await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
        await _db.ExecAsync("INSERT INTO s VALUES (1, 7, 'a'), (2, 7, 'b'), (3, 8, 'c')");
        await _db.ExecAsync("CREATE STREAM by_v WITH (PARTITIONS = 2) AS SELECT name FROM s PARTITION BY v "
            + "EMIT CHANGES");
        var rows = await WaitForRowsAsync("SELECT v, name, ROWPARTITION FROM by_v", 3);
        Assert.Equal(["a", "b", "c"], rows.Select(r => (string)r[1]!).Order());
        // Rows with the same new key land in the same partition.
        Assert.Single(rows.Where(r => (int)r[0]! == 7).Select(r => r[2]).Distinct());
        var describe = await _db.QueryAsync("DESCRIBE by_v");
        Assert.Equal("v", describe[0][0]);
    }

    [Fact]
    public async Task Insert_into_select_writes_another_query_into_an_existing_stream()
    {
        await _db.ExecAsync("CREATE STREAM merged (k INT KEY, name STRING) WITH (PARTITIONS = 1)");
        await _db.ExecAsync("CREATE STREAM other (k INT KEY, name STRING, extra INT)");
        await _db.ExecAsync("INSERT INTO merged SELECT k, name FROM s EMIT CHANGES");
        await _db.ExecAsync("INSERT INTO merged SELECT k, name FROM other WHERE extra > 0 EMIT CHANGES");
        await _db.ExecAsync("INSERT INTO s VALUES (1, 1, 'from s')");
        await _db.ExecAsync("INSERT INTO other VALUES (2, 'from other', 1), (3, 'dropped', 0)");
        var rows = await WaitForRowsAsync("SELECT name FROM merged", 2);
        Assert.Equal(["from other", "from s"], rows.Select(r => (string)r[0]!).Order());
        var mismatch = await _db.FailsAsync("INSERT INTO merged SELECT k, v FROM s EMIT CHANGES");
        Assert.Equal(SqlState.DatatypeMismatch, mismatch.SqlState);
    }

    [Fact]
    public async Task Queries_resume_after_a_restart_without_gap_or_duplicate()
    {
        await _db.ExecAsync("CREATE STREAM out AS SELECT k, v FROM s WHERE v % 2 = 0 EMIT CHANGES");
        await _db.ExecAsync("INSERT INTO s VALUES (1, 2, 'a'), (2, 3, 'b'), (3, 4, 'c')");
        await WaitForRowsAsync("SELECT * FROM out", 2);
        await _db.RestartAsync();
        await _db.ExecAsync("INSERT INTO s VALUES (4, 6, 'd'), (5, 7, 'e')");
        var rows = await WaitForRowsAsync("SELECT v FROM out", 3);
        await Task.Delay(200);
        rows = await _db.QueryAsync("SELECT v FROM out");
        Assert.Equal([2, 4, 6], rows.Select(r => (int)r[0]!).Order());
        var show = await ShowAsync("CSAS_OUT_1");
        Assert.Equal("RUNNING", show[2]);
        Assert.Equal(5L, show[7]);
        Assert.Equal(3L, show[8]);
    }

    [Fact]
    public async Task A_row_whose_expression_fails_is_skipped_counted_and_logged()
    {
        await _db.ExecAsync("CREATE STREAM out AS SELECT k, 100 / v AS q FROM s EMIT CHANGES");
        await _db.ExecAsync("INSERT INTO s VALUES (1, 5, 'a'), (2, 0, 'zero'), (3, 10, 'b')");
        var rows = await WaitForRowsAsync("SELECT q FROM out", 2);
        Assert.Equal([10, 20], rows.Select(r => (int)r[0]!).Order());
        var show = await ShowAsync("CSAS_OUT_1");
        Assert.Equal("RUNNING", show[2]);
        Assert.Equal(1L, show[9]);
        Assert.Contains("division by zero", (string)show[13]!);
        Assert.Contains("offset", (string)show[13]!);
    }

    [Fact]
    public async Task Show_explain_terminate_and_drop_protection()
    {
        await _db.ExecAsync("CREATE STREAM out AS SELECT k, v FROM s EMIT CHANGES");
        var queries = await _db.QueryAsync("SHOW QUERIES");
        var row = Assert.Single(queries);
        Assert.Equal(["CSAS_OUT_1", "PERSISTENT", "RUNNING", "out", "out"], row.Take(5));
        Assert.StartsWith("CREATE STREAM", (string)row[5]!);
        var explain = await _db.QueryAsync("EXPLAIN CSAS_OUT_1");
        Assert.True(explain.Any(r => ((string)r[0]!).Contains("Scan (unbounded) s")),
            string.Join("\n", explain.Select(r => r[0])));
        var dropSource = await _db.FailsAsync("DROP STREAM s");
        Assert.Equal(SqlState.DependentObjectsStillExist, dropSource.SqlState);
        Assert.Contains("CSAS_OUT_1", dropSource.Message);
        Assert.Equal(SqlState.DependentObjectsStillExist, (await _db.FailsAsync("DROP STREAM out")).SqlState);
        Assert.Equal(SqlState.UndefinedObject, (await _db.FailsAsync("TERMINATE nope")).SqlState);
        await _db.ExecAsync("TERMINATE CSAS_OUT_1");
        Assert.Empty(await _db.QueryAsync("SHOW QUERIES"));
        await _db.ExecAsync("DROP STREAM out");
        await _db.ExecAsync("DROP STREAM s");
    }

    [Fact]
    public async Task Terminate_all_survives_a_restart()
    {
        await _db.ExecAsync("CREATE STREAM a AS SELECT k FROM s EMIT CHANGES");
        await _db.ExecAsync("CREATE STREAM b AS SELECT v FROM s EMIT CHANGES");
        Assert.Equal(2, (await _db.QueryAsync("SHOW QUERIES")).Count);
        await _db.RestartAsync();
        Assert.Equal(["CSAS_A_1", "CSAS_B_2"], (await _db.QueryAsync("SHOW QUERIES")).Select(r => (string)r[0]!));
        await _db.ExecAsync("TERMINATE ALL");
        await _db.RestartAsync();
        Assert.Empty(await _db.QueryAsync("SHOW QUERIES"));
        await _db.ExecAsync("CREATE STREAM c AS SELECT k FROM s EMIT CHANGES");
        Assert.Equal("CSAS_C_3", (await _db.QueryAsync("SHOW QUERIES"))[0][0]);
    }

    [Fact]
    public async Task Csas_refuses_aggregates_limit_and_its_own_log()
    {
        Assert.Equal(SqlState.WrongObjectType,
            (await _db.FailsAsync("CREATE STREAM x AS SELECT k, COUNT(*) FROM s GROUP BY k EMIT CHANGES")).SqlState);
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("CREATE STREAM x AS SELECT k FROM s EMIT CHANGES LIMIT 3")).SqlState);
        Assert.Equal(SqlState.InvalidParameterValue,
            (await _db.FailsAsync("CREATE STREAM x WITH (KAFKA_TOPIC = 's') AS SELECT k FROM s EMIT CHANGES"))
                .SqlState);
        Assert.Empty(await _db.QueryAsync("SHOW QUERIES"));
    }
}
