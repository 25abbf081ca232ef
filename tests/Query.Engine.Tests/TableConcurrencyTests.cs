namespace Query.Engine.Tests;

/// <summary>Writers and readers of one table at once: every acknowledged write is seen by the next read.</summary>
public sealed class TableConcurrencyTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAsync(
        "CREATE TABLE counters (id INT PRIMARY KEY, n BIGINT) WITH (PARTITIONS = 4, DURABILITY = 'NONE')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Each_acknowledged_upsert_is_read_back_by_another_session_while_scans_run()
    {
        using var stop = new CancellationTokenSource();
        var scanner = Task.Run(async () =>
        {
            var scans = 0;
            var session = _db.Engine.CreateSession();
            // At least one scan, however fast the writers finish (a quiet machine once ran none).
            do
            {
                await using var result = await session.ExecuteAsync("SELECT COUNT(*) FROM counters");
                await EngineFixture.ReadAllAsync(result.Rows!);
                scans++;
            }
            while (!stop.IsCancellationRequested);
            return scans;
        });
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var writer = _db.Engine.CreateSession();
            var reader = _db.Engine.CreateSession();
            var lookup = reader.Prepare("SELECT n FROM counters WHERE id = $1");
            for (var i = 1; i <= 200; i++)
            {
                var id = (w * 1000) + (i % 10);
                await using (await writer.ExecuteAsync($"INSERT INTO counters VALUES ({id}, {i})"))
                {
                }
                await using var result = await reader.ExecuteAsync(lookup, [id]);
                var rows = await EngineFixture.ReadAllAsync(result.Rows!);
                Assert.Equal((long)i, Assert.Single(rows)[0]);
            }
        })).ToArray();
        await Task.WhenAll(writers);
        stop.Cancel();
        Assert.True(await scanner > 0);
        Assert.Equal(30L, (await _db.QueryAsync("SELECT COUNT(*) FROM counters"))[0][0]);
    }
}
