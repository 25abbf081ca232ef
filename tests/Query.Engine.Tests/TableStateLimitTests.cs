using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>A table's state is bounded by state_memory_bytes: past it a clear 53200, never an OOM.</summary>
public sealed class TableStateLimitTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { StateMemoryBytes = 20_000 });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task State_past_the_budget_fails_the_read_with_53200_naming_the_setting_and_the_engine_goes_on()
    {
        await _db.ExecAllAsync("CREATE TABLE t (id INT PRIMARY KEY, v STRING)", "CREATE STREAM s (x INT)",
            "INSERT INTO s VALUES (1)");
        var values = string.Join(", ", Enumerable.Range(1, 500).Select(i => $"({i}, 'value {i}')"));
        await _db.ExecAsync($"INSERT INTO t VALUES {values}");
        var error = await Assert.ThrowsAsync<SqlException>(() => _db.QueryAsync("SELECT * FROM t WHERE id = 1"));
        Assert.Equal(SqlState.OutOfMemory, error.SqlState);
        Assert.Contains("state_memory_bytes", error.Message + error.Hint);
        Assert.True(_db.Engine.StateBudget.UsedBytes <= 20_000);
        Assert.Equal([1], Assert.Single(await _db.QueryAsync("SELECT x FROM s")));
        // Dropping the table gives its memory back.
        await _db.ExecAsync("DROP TABLE t");
        Assert.Equal(0, _db.Engine.StateBudget.UsedBytes);
    }
}
