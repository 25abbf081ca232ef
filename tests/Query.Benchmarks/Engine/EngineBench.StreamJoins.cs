using Query.Engine;
using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// <c>pq-sjoin [eventsPerSide] [keys]</c>: a CREATE STREAM AS SELECT joining two preloaded 4-partition streams
/// WITHIN 1 MINUTE GRACE PERIOD 0 on a random key, until caught up, beside a CSAS projecting the same events of
/// both streams (two queries) in the same run. Event times rise evenly at 100 k events per second per side, so the
/// state holds at most two minutes of each side. State memory: the managed heap after a full collection, before the
/// join and after it caught up, divided by the rows it holds (every row of the last two minutes of event time of
/// both sides) and by the distinct keys among them.
/// </summary>
internal static partial class EngineBench
{
    private const int EventTimeRatePerSecond = 100_000;

    public static async Task StreamStreamJoinAsync(int events, int keys)
    {
        using var directory = new TempDirectory("pq-sjoin-bench");
        await using var engine = QueryEngine.Open(new EngineOptions { DataDirectory = directory.Path });
        var session = engine.CreateSession();
        await LoadSideAsync(session, "l", events, keys, seed: 1);
        await LoadSideAsync(session, "r", events, keys, seed: 2);
        var (plainLeft, plainLeftCpu) = await RunUntilCaughtUpAsync(engine,
            "CREATE STREAM lp AS SELECT k, v FROM l EMIT CHANGES");
        var (plainRight, plainRightCpu) = await RunUntilCaughtUpAsync(engine,
            "CREATE STREAM rp AS SELECT k, v FROM r EMIT CHANGES");
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var (join, joinCpu) = await RunUntilCaughtUpAsync(engine, "CREATE STREAM j AS SELECT l.k, l.v AS lv, "
            + "r.v AS rv FROM l JOIN r WITHIN 1 MINUTE GRACE PERIOD 0 SECONDS ON l.k = r.k EMIT CHANGES");
        var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        var held = 2L * Math.Min(events, 2L * 60 * EventTimeRatePerSecond);
        var heldKeys = DistinctKeys(keys, held);
        var joined = engine.Queries.List().Single(q => q.Definition.Sink == "j").RowsOut;
        var plain = plainLeft + plainRight;
        Console.WriteLine("| query | events (both sides) | rows out | elapsed | events/s | CPU | vs. projection |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| 2 CSAS project (no join), same events | {2L * events:N0} | {2L * events:N0} | "
            + $"{plain.TotalSeconds:F2} s | {2L * events / plain.TotalSeconds:N0} | "
            + $"{(plainLeftCpu + plainRightCpu).TotalSeconds:F1} s | 1.0 |");
        Console.WriteLine($"| CSAS JOIN WITHIN 1 MINUTE, {keys:N0} keys | {2L * events:N0} | {joined:N0} | "
            + $"{join.TotalSeconds:F2} s | {2L * events / join.TotalSeconds:N0} | {joinCpu.TotalSeconds:F1} s | "
            + $"{plain.TotalSeconds / join.TotalSeconds:F2} |");
        Console.WriteLine($"state: {held:N0} rows held, {heap:N0} B heap: {heap / held:N0} B per held row, "
            + $"{heap / heldKeys:N0} B per key ({heldKeys:N0} distinct keys held)");
    }

    private static async Task LoadSideAsync(EngineSession session, string name, int events, int keys, int seed)
    {
        await (await session.ExecuteAsync($"CREATE STREAM {name} (k INT, v INT, ts BIGINT) "
            + "WITH (PARTITIONS = 4, DURABILITY = 'NONE', TIMESTAMP = 'ts')")).DisposeAsync();
        var random = new Random(seed);
        var values = new object?[3];
        const int Chunk = 500_000;
        for (var start = 0; start < events; start += Chunk)
        {
            await using var bulk = session.BeginBulkInsert(name);
            for (var i = start; i < Math.Min(events, start + Chunk); i++)
            {
                values[0] = random.Next(keys);
                values[1] = i;
                values[2] = BaseMs + (i * 1000L / EventTimeRatePerSecond);
                bulk.AddRow(values);
            }
            await bulk.CommitAsync();
        }
    }
}
