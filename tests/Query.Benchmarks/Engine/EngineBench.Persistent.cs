using System.Diagnostics;
using Query.Engine;
using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// Persistent query benches: <c>pq-aggregate [events] [keys]</c> (CREATE TABLE AS SELECT ... GROUP BY with COUNT and
/// SUM over a preloaded 4-partition stream, exactly-once commits, until caught up), <c>pq-csas [events]</c>
/// (CREATE STREAM AS SELECT filter + project, until caught up) and <c>pq-latency [seconds] [rowsPerSecond] [rowsPerBatch]</c>
/// (INSERT acknowledgement to the CSAS output row being readable, while ingesting at a fixed rate).
/// </summary>
internal static partial class EngineBench
{
    private static async Task<QueryEngine> LoadPersistentSourceAsync(TempDirectory directory, int events, int keys)
    {
        var engine = QueryEngine.Open(new EngineOptions { DataDirectory = directory.Path });
        var session = engine.CreateSession();
        await (await session.ExecuteAsync("CREATE STREAM ev (user_id INT KEY, amount INT, page STRING) "
            + "WITH (PARTITIONS = 4, DURABILITY = 'NONE')")).DisposeAsync();
        var random = new Random(42);
        var values = new object?[3];
        const int Chunk = 500_000;
        for (var start = 0; start < events; start += Chunk)
        {
            await using var bulk = session.BeginBulkInsert("ev");
            for (var i = start; i < Math.Min(events, start + Chunk); i++)
            {
                values[0] = random.Next(keys);
                values[1] = random.Next(1000);
                values[2] = "/p";
                bulk.AddRow(values);
            }
            await bulk.CommitAsync();
        }
        return engine;
    }

    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> RunUntilCaughtUpAsync(QueryEngine engine, string sql)
    {
        var session = engine.CreateSession();
        await (await session.ExecuteAsync("SET 'auto.offset.reset' = 'earliest'")).DisposeAsync();
        // A profiler attaches here to see the query alone (e.g. perf record -p PID after this line).
        Console.Error.WriteLine($"source loaded, query starts (pid {Environment.ProcessId})");
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await (await session.ExecuteAsync(sql)).DisposeAsync();
        if (!await engine.WaitForPersistentQueriesAsync(TimeSpan.FromMinutes(30)))
            throw new TimeoutException("the persistent query did not catch up");
        var elapsed = clock.Elapsed;
        process.Refresh();
        if (engine.PersistentQueryErrors() is { Count: > 0 } errors)
            throw new InvalidOperationException(string.Join("; ", errors));
        return (elapsed, process.TotalProcessorTime - cpu);
    }

    public static async Task PersistentAggregateAsync(int events, int keys)
    {
        using var directory = new TempDirectory("pq-bench");
        await using var engine = await LoadPersistentSourceAsync(directory, events, keys);
        var (elapsed, cpu) = await RunUntilCaughtUpAsync(engine, "CREATE TABLE agg AS SELECT user_id, COUNT(*) AS n, "
            + "SUM(amount) AS total FROM ev GROUP BY user_id EMIT CHANGES");
        var session = engine.CreateSession();
        var groups = await DrainAsync(session, "SELECT * FROM agg");
        var query = engine.Queries.List()[0];
        Console.WriteLine("| query | events | keys | groups | rows out | commits | elapsed | events/s | CPU |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| CTAS GROUP BY user_id: COUNT, SUM | {events:N0} | {keys:N0} | {groups.Rows:N0} | "
            + $"{query.RowsOut:N0} | {query.Commits:N0} | {elapsed.TotalSeconds:F2} s | "
            + $"{events / elapsed.TotalSeconds:N0} | {cpu.TotalSeconds:F1} s |");
    }

    public static async Task PersistentCsasAsync(int events)
    {
        using var directory = new TempDirectory("pq-bench");
        await using var engine = await LoadPersistentSourceAsync(directory, events, 100_000);
        var (elapsed, cpu) = await RunUntilCaughtUpAsync(engine, "CREATE STREAM big AS SELECT user_id, amount * 2 AS "
            + "doubled FROM ev WHERE amount % 2 = 0 EMIT CHANGES");
        Console.WriteLine("| query | events | elapsed | events/s | CPU |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| CSAS filter + project | {events:N0} | {elapsed.TotalSeconds:F2} s | "
            + $"{events / elapsed.TotalSeconds:N0} | {cpu.TotalSeconds:F1} s |");
    }

    /// <summary>INSERT acknowledgement to the CSAS output row being readable (a push query on the output sees it).
    /// One writer commits durable batches of <paramref name="batchRows"/> rows, so the ingest rate it can reach is
    /// bounded by the batch size over the commit's fsync time.</summary>
    public static async Task PersistentLatencyAsync(int seconds, int rowsPerSecond, int batchRows)
    {
        using var directory = new TempDirectory("pq-bench");
        await using var engine = QueryEngine.Open(new EngineOptions { DataDirectory = directory.Path });
        var session = engine.CreateSession();
        await (await session.ExecuteAsync("CREATE STREAM lat (batch BIGINT, n INT) WITH (PARTITIONS = 4)"))
            .DisposeAsync();
        await (await session.ExecuteAsync("CREATE STREAM lat_out AS SELECT batch, n * 2 AS n2 FROM lat WHERE n >= 0 "
            + "EMIT CHANGES")).DisposeAsync();
        var push = await engine.CreateSession().ExecuteAsync("SELECT batch FROM lat_out EMIT CHANGES");
        var batches = seconds * rowsPerSecond / batchRows;
        var (sorted, clock) = await MeasureDeliveryAsync(engine, push, batches, batchRows, rowsPerSecond,
            TimeSpan.FromSeconds(seconds + 60));
        double P(double q) => sorted[(int)Math.Min(sorted.Length - 1, q * sorted.Length)];
        Console.WriteLine("| rows | ingest rate achieved | p50 | p99 | max |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {sorted.Length:N0} | {sorted.Length / clock.Elapsed.TotalSeconds:N0} rows/s | "
            + $"{P(0.5):F2} ms | {P(0.99):F2} ms | {sorted[^1]:F2} ms |");
    }
}
