using Query.Engine.Errors;
using Query.Grammar;

namespace Query.Engine.Tests;

public sealed class SessionTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM s (k INT KEY, v STRING) WITH (PARTITIONS = 2)",
        "INSERT INTO s VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, NULL)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Session_statements_complete_with_postgres_tags()
    {
        Assert.Equal("SET", await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'"));
        Assert.Equal("SET", await _db.ExecAsync("SET application_name = 'tests'"));
        Assert.Equal("BEGIN", await _db.ExecAsync("BEGIN"));
        Assert.Equal("COMMIT", await _db.ExecAsync("COMMIT"));
        Assert.Equal("ROLLBACK", await _db.ExecAsync("ROLLBACK"));
        var properties = await _db.QueryAsync("SHOW PROPERTIES");
        Assert.Contains(properties, p => (string)p[0]! == "auto.offset.reset" && (string)p[1]! == "earliest");
        Assert.Equal(["tests"], Assert.Single(await _db.QueryAsync("SHOW application_name")));
        Assert.Equal(["15.0"], Assert.Single(await _db.QueryAsync("SHOW server_version")));
        Assert.Equal("DISCARD ALL", await _db.ExecAsync("DISCARD ALL"));
        Assert.Empty(_db.Session.Properties);
        Assert.Equal(SqlState.InvalidParameterValue,
            (await _db.FailsAsync("SET 'auto.offset.reset' = 'sometimes'")).SqlState);
    }

    [Fact]
    public async Task Syntax_errors_pass_through_as_the_grammars_exception()
    {
        var error = await Assert.ThrowsAsync<SqlSyntaxException>(() => _db.ExecAsync("SELEC 1"));
        Assert.Equal(0, error.Offset);
        Assert.Empty(_db.Session.PrepareBatch("  "));
        Assert.Equal(2, _db.Session.PrepareBatch("SELECT 1; SELECT 2").Count);
    }

    [Fact]
    public async Task Select_distinct_groups_rows()
    {
        var rows = await _db.QueryAsync("SELECT DISTINCT v FROM s ORDER BY v");
        Assert.Equal(["a", "b", null], rows.Select(r => r[0]));
    }

    [Fact]
    public async Task Explain_of_a_push_query_shows_where_each_partition_starts()
    {
        await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
        var plan = await _db.QueryAsync("EXPLAIN SELECT * FROM s WHERE ROWOFFSET >= 1 EMIT CHANGES");
        var text = string.Join("\n", plan.Select(r => (string)r[0]!));
        Assert.Contains("Push query", text, StringComparison.Ordinal);
        Assert.Contains("partition 1: tail from offset 1, live", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_parameters_are_a_protocol_error_not_a_crash()
    {
        var prepared = _db.Session.Prepare("SELECT v FROM s WHERE k = $1 LIMIT $2");
        Assert.Equal(2, prepared.ParameterTypes.Count);
        var error = await Assert.ThrowsAsync<SqlException>(async () => await _db.Session.ExecuteAsync(prepared, [1]));
        Assert.Equal(SqlState.InvalidParameterCount, error.SqlState);
        await using var result = await _db.Session.ExecuteAsync(prepared, [1, 5L]);
        Assert.Equal(["a"], Assert.Single(await EngineFixture.ReadAllAsync(result.Rows!)));
    }
}

public sealed class BatchTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_batch_can_use_a_stream_created_earlier_in_it()
    {
        var batch = _db.Session.PrepareBatch(
            "CREATE STREAM b (x INT); INSERT INTO b VALUES (1), (2); SELECT SUM(x) AS total FROM b");
        Assert.Equal(3, batch.Count);
        Assert.False(batch[2].IsDescribed);
        var tags = new List<string?>();
        foreach (var statement in batch)
        {
            await using var result = await _db.Session.ExecuteAsync(statement, null);
            if (result.Rows is null)
            {
                tags.Add(result.CommandTag);
                continue;
            }
            Assert.Equal("total", result.Rows.Columns[0].Name);
            Assert.Equal([3L], Assert.Single(await EngineFixture.ReadAllAsync(result.Rows)));
        }
        Assert.Equal(["CREATE STREAM", "INSERT 0 2"], tags);
        Assert.Throws<SqlException>(() => _db.Session.Prepare("SELECT * FROM missing"));
    }
}
