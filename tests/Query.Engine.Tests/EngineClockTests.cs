using Query.Testing;

namespace Query.Engine.Tests;

/// <summary>Each engine reads the time from its own clock (EngineOptions.TimeProvider), never from a static.</summary>
public sealed class EngineClockTests
{
    private static async Task<long> NowAsync(QueryEngine engine, string sql)
    {
        var session = engine.CreateSession();
        await using var result = await session.ExecuteAsync(sql);
        Assert.True(await result.Rows!.ReadAsync());
        return result.Rows.GetInt64(0);
    }

    [Fact]
    public async Task Two_engines_in_one_process_each_see_their_own_clock()
    {
        using var first = new TempDirectory("clock-a");
        using var second = new TempDirectory("clock-b");
        await using var early = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = first.Path,
            TimeProvider = new StorageManualClock(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000)),
        });
        await using var late = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = second.Path,
            TimeProvider = new StorageManualClock(DateTimeOffset.FromUnixTimeMilliseconds(9_000_000)),
        });
        Assert.Equal(1_000_000, await NowAsync(early, "SELECT UNIX_TIMESTAMP()"));
        Assert.Equal(9_000_000, await NowAsync(late, "SELECT UNIX_TIMESTAMP()"));
        Assert.Equal(1_000_000, await NowAsync(early, "SELECT UNIX_TIMESTAMP()"));
    }

    [Fact]
    public async Task Insert_values_and_scans_read_the_engine_clock()
    {
        using var directory = new TempDirectory("clock-insert");
        await using var engine = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = directory.Path,
            TimeProvider = new StorageManualClock(DateTimeOffset.FromUnixTimeMilliseconds(86_400_000L * 3 + 5)),
        });
        var session = engine.CreateSession();
        await (await session.ExecuteAsync("CREATE STREAM c (t BIGINT, d INT) WITH (DURABILITY = 'NONE')"))
            .DisposeAsync();
        await (await session.ExecuteAsync("INSERT INTO c VALUES (UNIX_TIMESTAMP(), UNIX_DATE())")).DisposeAsync();
        Assert.Equal(86_400_000L * 3 + 5, await NowAsync(engine, "SELECT t FROM c"));
        Assert.Equal(86_400_000L * 3 + 5, await NowAsync(engine, "SELECT UNIX_TIMESTAMP() FROM c WHERE d = 3"));
    }
}
