using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>A prepared INSERT ... VALUES run again is bound once (<see cref="Statements.InsertPlan"/>) and again
/// after DDL; its results and errors are those of binding at every execution.</summary>
public sealed class InsertPlanTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAsync(
        "CREATE STREAM t (k STRING KEY, i INT, d DOUBLE, ts TIMESTAMP, s STRING) WITH (PARTITIONS = 4)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string?> RunAsync(PreparedStatement prepared, params object?[] values)
    {
        await using var result = await _db.Session.ExecuteAsync(prepared, values);
        return result.CommandTag;
    }

    [Fact]
    public async Task Each_execution_of_a_planned_insert_stores_its_own_parameters_beside_the_literals()
    {
        var prepared = _db.Session.Prepare("INSERT INTO t (k, i, d, ts, s) VALUES ($1, $2, $3, $4, 'lit')");
        for (var n = 0; n < 5; n++)
            Assert.Equal("INSERT 0 1", await RunAsync(prepared, $"k{n}", $"{n}", n / 4.0, "2024-01-02 00:00:00.000"));
        var plan = prepared.InsertPlan;
        Assert.NotNull(plan?.Stream);
        Assert.Equal("INSERT 0 1", await RunAsync(prepared, "k5", 5, null, null));
        Assert.Same(plan, prepared.InsertPlan);
        var rows = await _db.QueryAsync("SELECT k, i, d, ts, s FROM t ORDER BY k");
        Assert.Equal(6, rows.Count);
        Assert.Equal(["k3", 3, 0.75, 1704153600000L, "lit"], rows[3]);
        Assert.Equal(["k5", 5, null, null, "lit"], rows[5]);
    }

    [Fact]
    public async Task A_plan_is_bound_again_after_the_stream_is_recreated_with_other_types()
    {
        await _db.ExecAsync("CREATE STREAM u (k STRING KEY, v INT)");
        var prepared = _db.Session.Prepare("INSERT INTO u (k, v) VALUES ($1, $2)");
        await RunAsync(prepared, "a", "1");
        await RunAsync(prepared, "a", "2");
        Assert.NotNull(prepared.InsertPlan?.Stream);
        await _db.ExecAllAsync("DROP STREAM u", "CREATE STREAM u (k STRING KEY, v STRING)");
        // Bound as INT, "one" would fail with 22P02; bound again, it is the new column's STRING.
        Assert.Equal("INSERT 0 1", await RunAsync(prepared, "b", "one"));
        var rows = await _db.QueryAsync("SELECT k, v FROM u");
        Assert.Contains(rows, row => row[0] is "b" && row[1] is "one");
    }

    [Fact]
    public async Task A_bad_parameter_fails_at_its_position_writes_nothing_and_the_next_execution_works()
    {
        const string sql = "INSERT INTO t (k, i) VALUES ($1, $2), ($1, 7)";
        var prepared = _db.Session.Prepare(sql);
        Assert.Equal("INSERT 0 2", await RunAsync(prepared, "a", "1"));
        var error = await Assert.ThrowsAsync<SqlException>(async () => await RunAsync(prepared, "b", "seven"));
        Assert.Equal(SqlState.InvalidTextRepresentation, error.SqlState);
        Assert.Equal(sql.IndexOf("$2", StringComparison.Ordinal) + 1, error.Position);
        Assert.Equal("INSERT 0 2", await RunAsync(prepared, "c", "3"));
        var rows = await _db.QueryAsync("SELECT k, i FROM t ORDER BY k, i");
        Assert.Equal(4, rows.Count);
        Assert.Equal(["a", 1], rows[0]);
        Assert.Equal(["a", 7], rows[1]);
        Assert.Equal(["c", 3], rows[2]);
        Assert.Equal(["c", 7], rows[3]);
    }

    [Fact]
    public async Task A_statement_run_once_gets_no_plan()
    {
        Assert.Equal("INSERT 0 2", await _db.ExecAsync("INSERT INTO t (k, i) VALUES ('a', 1), ('b', 2)"));
        var prepared = _db.Session.Prepare("INSERT INTO t (k, i) VALUES ($1, 3)");
        await RunAsync(prepared, "c");
        Assert.Null(prepared.InsertPlan?.Stream);
        await RunAsync(prepared, "d");
        Assert.NotNull(prepared.InsertPlan?.Stream);
        Assert.Equal(4, (long)(await _db.QueryAsync("SELECT COUNT(*) FROM t"))[0][0]!);
    }

    [Fact]
    public async Task Statements_a_plan_cannot_hold_are_bound_at_every_execution_with_the_same_results()
    {
        var rowtime = _db.Session.Prepare("INSERT INTO t (ROWTIME, k, i) VALUES ($1, $2, $3 + 1)");
        Assert.Equal("INSERT 0 1", await RunAsync(rowtime, 1704067200000L, "r", 1));
        Assert.Equal("INSERT 0 1", await RunAsync(rowtime, 1704067200001L, "s", 2));
        Assert.Null(rowtime.InsertPlan?.Stream);
        var rows = await _db.QueryAsync("SELECT ROWTIME, k, i FROM t ORDER BY k");
        Assert.Equal(2, rows.Count);
        Assert.Equal([1704067200000L, "r", 2], rows[0]);
        Assert.Equal([1704067200001L, "s", 3], rows[1]);
    }

    [Fact]
    public async Task A_statement_whose_binding_fails_keeps_the_error_of_binding_at_execution()
    {
        var prepared = _db.Session.Prepare("INSERT INTO t (k, i) VALUES ($1, $2)");
        await _db.ExecAllAsync("DROP STREAM t", "CREATE STREAM t (k STRING KEY, s STRING)");
        for (var run = 0; run < 2; run++)
        {
            var error = await Assert.ThrowsAsync<SqlException>(async () => await RunAsync(prepared, "a", "1"));
            Assert.Equal(SqlState.UndefinedColumn, error.SqlState);
            Assert.Null(prepared.InsertPlan?.Stream);
        }
    }
}
