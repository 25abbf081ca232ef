using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// The set-up the persistent join tests share: an engine holding the sources each test class declares, and the rows
/// of a query once every persistent query has caught up without error, each row its values joined by '|' (NULL as
/// "null"), sorted, so a test compares them with a list of expected rows.
/// </summary>
public abstract class PersistentJoinTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected EngineFixture Db { get; } = new();

    /// <summary>The statements that create the test class's sources (then reading from the earliest offset).
    /// </summary>
    protected abstract string[] Sources { get; }

    public async Task InitializeAsync()
    {
        await Db.ExecAllAsync(Sources);
        await Db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
    }

    public async Task DisposeAsync() => await Db.DisposeAsync();

    protected async Task<List<string>> RowsAsync(string sql)
    {
        Assert.True(await Db.Engine.WaitForPersistentQueriesAsync(Timeout));
        Assert.All(Db.Engine.Queries.List(), q => Assert.Null(q.Error));
        var rows = await Db.QueryAsync(sql);
        return [.. rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "null"))).Order(
            StringComparer.Ordinal)];
    }

    /// <summary>Asserts that <paramref name="sql"/> is refused as a feature not supported (0A000) for
    /// <paramref name="reason"/> (ksqlDB's words).</summary>
    protected async Task AssertRefusedAsync(string sql, string reason)
    {
        var error = await Assert.ThrowsAnyAsync<SqlException>(() => Db.ExecAsync(sql));
        Assert.Equal(SqlState.FeatureNotSupported, error.SqlState);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
