using Query.Engine;
using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// <c>pq-window [events] [keys]</c>: windowed COUNT and SUM per key (CREATE TABLE AS SELECT ... WINDOW TUMBLING
/// (SIZE 1 MINUTE) GROUP BY user_id), exactly-once commits, over a preloaded 4-partition stream whose event times
/// (a TIMESTAMP column) rise evenly over ten minutes; the same aggregation without WINDOW runs first on the same data
/// for the ratio. With GRACE PERIOD 0 a window leaves the state once stream time passes its end, so the state holds
/// the current minute's windows; with ksqlDB's default 24-hour grace every window stays. Memory: the managed heap
/// after a full collection, before the query and after it caught up, divided by the windows it holds.
/// </summary>
internal static partial class EngineBench
{
    private const long WindowBenchSpanMs = 10 * 60 * 1000;

    private static async Task<QueryEngine> LoadWindowSourceAsync(TempDirectory directory, int events, int keys)
    {
        var engine = QueryEngine.Open(new EngineOptions { DataDirectory = directory.Path });
        var session = engine.CreateSession();
        await (await session.ExecuteAsync("CREATE STREAM wev (user_id INT KEY, amount INT, ts BIGINT) "
            + "WITH (PARTITIONS = 4, DURABILITY = 'NONE', TIMESTAMP = 'ts')")).DisposeAsync();
        var random = new Random(42);
        var values = new object?[3];
        const int Chunk = 500_000;
        for (var start = 0; start < events; start += Chunk)
        {
            await using var bulk = session.BeginBulkInsert("WEV");
            for (var i = start; i < Math.Min(events, start + Chunk); i++)
            {
                values[0] = random.Next(keys);
                values[1] = random.Next(1000);
                values[2] = 1_000_000_000_000L + (i * WindowBenchSpanMs / events);
                bulk.AddRow(values);
            }
            await bulk.CommitAsync();
        }
        return engine;
    }

    /// <summary>Expected distinct keys among <paramref name="events"/> uniform draws of <paramref name="keys"/>.
    /// </summary>
    private static long DistinctKeys(int keys, long events) =>
        (long)(keys * (1 - Math.Exp(-(double)events / keys)));

    public static async Task WindowedAggregateAsync(int events, int keys)
    {
        using var directory = new TempDirectory("pq-window-bench");
        await using var engine = await LoadWindowSourceAsync(directory, events, keys);
        Console.WriteLine("| query | events | keys | windows held at the end | elapsed | events/s | CPU | "
            + "heap per held window |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var minutes = (int)(WindowBenchSpanMs / 60_000);
        var queries = new (string Label, string Sql, long Held)[]
        {
            ("CTAS GROUP BY user_id (no window)", "CREATE TABLE plain AS SELECT user_id, COUNT(*) AS n, "
                + "SUM(amount) AS total FROM wev GROUP BY user_id EMIT CHANGES", DistinctKeys(keys, events)),
            ("TUMBLING 1 MINUTE, GRACE PERIOD 0", "CREATE TABLE w0 AS SELECT user_id, COUNT(*) AS n, "
                + "SUM(amount) AS total FROM wev WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 0 SECONDS) "
                + "GROUP BY user_id EMIT CHANGES", DistinctKeys(keys, events / minutes)),
            ("TUMBLING 1 MINUTE, default grace (24 h)", "CREATE TABLE w24 AS SELECT user_id, COUNT(*) AS n, "
                + "SUM(amount) AS total FROM wev WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY user_id EMIT CHANGES",
                minutes * DistinctKeys(keys, events / minutes)),
        };
        foreach (var (label, sql, held) in queries)
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var (elapsed, cpu) = await RunUntilCaughtUpAsync(engine, sql);
            var after = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine($"| {label} | {events:N0} | {keys:N0} | ~{held:N0} | {elapsed.TotalSeconds:F2} s | "
                + $"{events / elapsed.TotalSeconds:N0} | {cpu.TotalSeconds:F1} s | {(after - before) / held:N0} B |");
            await (await engine.CreateSession().ExecuteAsync("TERMINATE ALL")).DisposeAsync();
        }
    }
}
