using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>Stream-table joins in persistent and push queries: each stream row looks the table up in its
/// materialized state when the query processes it.</summary>
public sealed class StreamTableJoinTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE users (id INT PRIMARY KEY, name STRING) WITH (PARTITIONS = 2)",
        "CREATE STREAM orders (order_id INT KEY, user_id BIGINT, amount DOUBLE) WITH (PARTITIONS = 4)",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<string>> WaitForRowsAsync(string sql, int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var rows = await _db.QueryAsync(sql);
            if (rows.Count >= count || DateTime.UtcNow > deadline)
                return [.. rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "null")))
                    .Order(StringComparer.Ordinal)];
            await Task.Delay(20);
        }
    }

    private async Task WaitUntilCaughtUpAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!_db.Engine.Queries.List().All(q => q.CaughtUp) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
    }

    [Fact]
    public async Task Csas_inner_join_takes_the_table_value_when_each_row_is_processed()
    {
        await _db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann'), (2, 'bob')",
            "INSERT INTO orders (order_id, user_id, amount, ROWTIME) VALUES (10, 1, 5.0, 1000), (11, 3, 1.0, 2000)",
            "CREATE STREAM enriched AS SELECT o.order_id, o.amount, u.name FROM orders o JOIN users u "
            + "ON o.user_id = u.id EMIT CHANGES");
        Assert.Equal(["10|5|ann|1000"], await WaitForRowsAsync(
            "SELECT order_id, amount, name, ROWTIME FROM enriched", 1));
        await WaitUntilCaughtUpAsync();
        await _db.ExecAllAsync("INSERT INTO users VALUES (1, 'anna'), (3, 'cid')",
            "INSERT INTO orders VALUES (12, 1, 2.0), (13, 3, 4.0)");
        Assert.Equal(["10|ann", "12|anna", "13|cid"], await WaitForRowsAsync(
            "SELECT order_id, name FROM enriched", 3));
    }

    [Fact]
    public async Task Left_join_keeps_unmatched_rows_and_extra_conditions_apply()
    {
        await _db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann'), (2, 'bob')",
            "INSERT INTO orders VALUES (10, 1, 5.0), (11, 9, 1.0), (12, 2, 0.5), (13, NULL, 3.0)",
            "CREATE STREAM enriched AS SELECT o.order_id, u.name AS who FROM orders o LEFT JOIN users u "
            + "ON o.user_id = u.id AND o.amount > 1 WHERE o.order_id <> 13 EMIT CHANGES");
        Assert.Equal(["10|ann", "11|null", "12|null"], await WaitForRowsAsync("SELECT order_id, who FROM enriched", 3));
    }

    [Fact]
    public async Task Deleted_table_rows_no_longer_match()
    {
        await _db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann')",
            "CREATE STREAM enriched AS SELECT o.order_id, u.name FROM orders o JOIN users u ON o.user_id = u.id "
            + "EMIT CHANGES", "INSERT INTO orders VALUES (10, 1, 5.0)");
        Assert.Single(await WaitForRowsAsync("SELECT order_id FROM enriched", 1));
        await _db.ExecAllAsync("DELETE FROM users WHERE id = 1",
            "INSERT INTO orders VALUES (11, 1, 5.0), (12, 2, 1.0)");
        // The table is read when each row is processed: let the query process 11 and 12 before bob arrives.
        await WaitUntilCaughtUpAsync();
        await _db.ExecAllAsync("INSERT INTO users VALUES (2, 'bob')", "INSERT INTO orders VALUES (14, 2, 1.0)");
        Assert.Equal(["10", "14"], await WaitForRowsAsync("SELECT order_id FROM enriched", 2));
    }

    [Fact]
    public async Task A_restart_resumes_the_join_without_losing_or_repeating_rows()
    {
        await _db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann'), (2, 'bob')",
            "CREATE STREAM enriched AS SELECT o.order_id, u.name FROM orders o JOIN users u ON o.user_id = u.id "
            + "EMIT CHANGES");
        await _db.ExecAsync("INSERT INTO orders VALUES " + string.Join(", ",
            Enumerable.Range(0, 200).Select(i => $"({i}, {1 + (i % 3)}, {i}.5)")));
        await _db.RestartAsync();
        await _db.ExecAsync("INSERT INTO orders VALUES " + string.Join(", ",
            Enumerable.Range(200, 100).Select(i => $"({i}, {1 + (i % 3)}, {i}.5)")));
        var expected = Enumerable.Range(0, 300).Where(i => i % 3 != 2).Select(i => i.ToString()).Order(
            StringComparer.Ordinal);
        Assert.Equal(expected, await WaitForRowsAsync("SELECT order_id FROM enriched", expected.Count()));
        await WaitUntilCaughtUpAsync();
        Assert.Equal(expected, await WaitForRowsAsync("SELECT order_id FROM enriched", expected.Count()));
    }

    [Fact]
    public async Task A_push_query_joins_new_stream_rows()
    {
        await _db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann')", "INSERT INTO orders VALUES (10, 1, 5.0)");
        await using var result = await _db.Session.ExecuteAsync(
            "SELECT o.order_id, u.name FROM orders o JOIN users u ON o.user_id = u.id EMIT CHANGES LIMIT 1");
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        Assert.Equal([10, "ann"], Assert.Single(rows));
    }

    [Fact]
    public async Task The_table_of_a_running_join_cannot_be_dropped()
    {
        await _db.ExecAsync("CREATE STREAM enriched AS SELECT o.order_id, u.name FROM orders o JOIN users u "
            + "ON o.user_id = u.id EMIT CHANGES");
        Assert.Equal(SqlState.DependentObjectsStillExist, (await _db.FailsAsync("DROP TABLE users")).SqlState);
    }

    [Theory]
    [InlineData("SELECT * FROM orders o RIGHT JOIN users u ON o.user_id = u.id EMIT CHANGES")]
    [InlineData("SELECT * FROM users u JOIN orders o ON o.user_id = u.id EMIT CHANGES")]
    [InlineData("SELECT * FROM orders o JOIN users u ON o.amount = u.name EMIT CHANGES")]
    [InlineData("SELECT * FROM users a CROSS JOIN users b EMIT CHANGES")]
    public async Task Unsupported_streaming_joins_answer_0A000(string sql)
    {
        var error = await Assert.ThrowsAnyAsync<SqlException>(() => _db.ExecAsync(sql));
        Assert.True(error.SqlState is SqlState.FeatureNotSupported or SqlState.UndefinedFunction, error.Message);
    }
}
