using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>The rows a window node holds are bounded by WindowMaxBytes: past it the query fails with 53200 naming
/// the setting, and the engine goes on.</summary>
public sealed class WindowLimitTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { WindowMaxBytes = 64 * 1024 });

    public async Task InitializeAsync()
    {
        await _db.ExecAsync("CREATE STREAM wide (k INT, s STRING)");
        var values = string.Join(", ", Enumerable.Range(0, 2000).Select(i => $"({i}, '{new string('x', 100)}')"));
        await _db.ExecAsync("INSERT INTO wide (k, s) VALUES " + values);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Rows_over_the_limit_fail_with_53200_naming_the_setting()
    {
        var error = await _db.FailsAsync("SELECT k, s, row_number() OVER (ORDER BY k DESC) FROM wide");
        Assert.Equal(SqlState.OutOfMemory, error.SqlState);
        Assert.Contains("window_max_bytes", error.Hint, StringComparison.Ordinal);
        var few = await _db.QueryAsync("SELECT k, rank() OVER (ORDER BY k DESC) FROM wide WHERE k < 3 ORDER BY k");
        Assert.Equal([[0, 3L], [1, 2L], [2, 1L]], few);
    }
}
