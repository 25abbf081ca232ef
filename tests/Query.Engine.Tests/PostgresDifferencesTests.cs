using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>Small differences from PostgreSQL closed: each answer as PostgreSQL 15 gives it.</summary>
public sealed class PostgresDifferencesTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<object?> ValueAsync(string sql) => (await _db.QueryAsync(sql))[0][0];

    [Fact]
    public async Task Like_escapes_with_a_backslash_by_default_and_escape_empty_turns_it_off()
    {
        Assert.Equal(true, await ValueAsync("SELECT 'ev_a' LIKE 'ev\\_a'"));
        Assert.Equal(false, await ValueAsync("SELECT 'evXa' LIKE 'ev\\_a'"));
        Assert.Equal(true, await ValueAsync("SELECT 'ev_abc' LIKE 'ev\\_a%'"));
        Assert.Equal(true, await ValueAsync("SELECT '50%' LIKE '50\\%'"));
        Assert.Equal(true, await ValueAsync("SELECT 'a\\b' LIKE 'a\\b' ESCAPE ''"));
        Assert.Equal(true, await ValueAsync("SELECT 'a_b' LIKE 'a!_b' ESCAPE '!'"));
        Assert.Equal(SqlState.InvalidEscapeSequence, (await _db.FailsAsync("SELECT 'a' LIKE 'a\\'")).SqlState);
    }
}
