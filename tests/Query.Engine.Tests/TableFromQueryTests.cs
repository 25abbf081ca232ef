namespace Query.Engine.Tests;

/// <summary>A CREATE TABLE AS SELECT's output is a table: listed as one, pulled by key from its state.</summary>
public sealed class TableFromQueryTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { PersistentCommitIntervalMs = 20 });

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM clicks (k INT KEY, page STRING) WITH (PARTITIONS = 2, DURABILITY = 'NONE')",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_ctas_table_answers_pull_queries_by_key_with_the_latest_aggregate()
    {
        await _db.ExecAllAsync("INSERT INTO clicks VALUES (1, 'a'), (2, 'a'), (3, 'b')",
            "CREATE TABLE per_page AS SELECT page, COUNT(*) AS n FROM clicks GROUP BY page EMIT CHANGES",
            "INSERT INTO clicks VALUES (4, 'a'), (5, 'b'), (6, 'a')");
        Assert.Equal("per_page", Assert.Single(await _db.QueryAsync("SHOW TABLES"))[0]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<object?[]> rows;
        do
        {
            await Task.Delay(20);
            rows = await _db.QueryAsync("SELECT page, n FROM per_page WHERE page = 'a'");
        }
        while ((rows.Count != 1 || !Equals(rows[0][1], 4L)) && DateTime.UtcNow < deadline);
        Assert.Equal(["a", 4L], Assert.Single(rows));
        var plan = await _db.QueryAsync("EXPLAIN SELECT n FROM per_page WHERE page = 'b'");
        Assert.Contains(plan, r => ((string)r[0]!).Contains("KeyLookup per_page", StringComparison.Ordinal));
        // One row per key, not one per change.
        Assert.Equal(2, (await _db.QueryAsync("SELECT * FROM per_page")).Count);
    }
}
