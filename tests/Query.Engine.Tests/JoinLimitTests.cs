using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>The build side of a join is bounded by JoinBuildMaxBytes: past it the query fails with 53200, and
/// the engine goes on.</summary>
public sealed class JoinLimitTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { JoinBuildMaxBytes = 64 * 1024 });

    public async Task InitializeAsync()
    {
        await _db.ExecAllAsync("CREATE STREAM small (k INT KEY, s STRING)", "CREATE STREAM wide (k INT KEY, s STRING)",
            "INSERT INTO small VALUES (1, 'a')");
        var values = string.Join(", ", Enumerable.Range(0, 2000).Select(i => $"({i}, '{new string('x', 100)}')"));
        await _db.ExecAsync("INSERT INTO wide VALUES " + values);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_build_side_over_the_limit_fails_with_53200_naming_the_setting()
    {
        var error = await _db.FailsAsync("SELECT COUNT(*) FROM small s JOIN wide w ON s.k = w.k");
        Assert.Equal(SqlState.OutOfMemory, error.SqlState);
        Assert.Contains("join_build_max_bytes", error.Hint);
        // The small relation on the build side fits; the engine answers the next query.
        Assert.Equal(1L, (await _db.QueryAsync("SELECT COUNT(*) FROM wide w JOIN small s ON s.k = w.k"))[0][0]);
    }
}
