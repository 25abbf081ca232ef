using System.Diagnostics;
using Query.Engine;
using Query.Testing;

namespace Query.Benchmarks;

internal static partial class EngineBench
{
    /// <summary>
    /// A ROWTIME range holding 0.1% of the rows, with and without pushdown (same range on the ts column).
    /// </summary>
    public static async Task RowTimeAsync(int rows, long? segmentBytes)
    {
        using var directory = new TempDirectory("engine-bench");
        await using var engine = QueryEngine.Open(new EngineOptions { DataDirectory = directory.Path });
        var session = engine.CreateSession();
        var load = Stopwatch.StartNew();
        await LoadEventsAsync(session, rows, segmentBytes);
        Console.WriteLine($"loaded {rows:N0} rows in {load.Elapsed.TotalSeconds:F1} s, segment size "
            + (segmentBytes is { } bytes ? $"{bytes:N0} bytes" : "the storage default"));
        // 0.1% of a day = 86.4 s, starting at 12:00.
        const string From = "2024-01-01T12:00:00", To = "2024-01-01T12:01:26.400";
        var pushed = $"SELECT * FROM events WHERE ROWTIME >= '{From}' AND ROWTIME < '{To}'";
        var unpushed = $"SELECT * FROM events WHERE ts >= '{From}' AND ts < '{To}'";
        var pushedAggregate = $"SELECT COUNT(*), SUM(amount) FROM events WHERE ROWTIME >= '{From}' AND ROWTIME < "
            + $"'{To}'";
        Console.WriteLine();
        Console.WriteLine("| query | rows | best time | batches read | batches skipped | bytes read |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var times = new Dictionary<string, double>();
        // Warm-up pass: lets tiered JIT promote the scan loop before anything is timed.
        foreach (var sql in new[] { pushed, unpushed, pushedAggregate, pushed, unpushed, pushedAggregate })
            await DrainAsync(session, sql);
        foreach (var (label, sql) in new[] { ("ROWTIME range (pushdown)", pushed), ("ts column range (no pushdown)",
            unpushed),
                     ("ROWTIME range, aggregate only", pushedAggregate), ("EXPLAIN (planning only)", "EXPLAIN "
                         + pushed) })
        {
            var best = TimeSpan.MaxValue;
            (long Rows, TimeSpan Elapsed, Query.Engine.Execution.ScanStatistics Statistics) last = default;
            for (var run = 0; run < 3; run++)
            {
                last = await DrainAsync(session, sql);
                best = last.Elapsed < best ? last.Elapsed : best;
            }
            times[label] = best.TotalMilliseconds;
            var statistics = last.Statistics!;
            Console.WriteLine($"| {label} | {last.Rows:N0} | {best.TotalMilliseconds:F2} ms | "
                + $"{statistics.BatchesRead:N0} | "
                + $"{statistics.BatchesSkipped:N0} | {statistics.BytesRead:N0} |");
        }
        Console.WriteLine();
        Console.WriteLine($"speed-up from pushdown: "
            + $"{times["ts column range (no pushdown)"] / times["ROWTIME range (pushdown)"]:F0}x");
    }

    /// <summary>Latency from INSERT acknowledgement to push-query delivery while ingesting at a fixed rate.</summary>
    public static async Task PushLatencyAsync(int seconds, int rowsPerSecond)
    {
        using var directory = new TempDirectory("engine-bench");
        await using var engine = QueryEngine.Open(new EngineOptions { DataDirectory = directory.Path });
        var session = engine.CreateSession();
        await (await session.ExecuteAsync(
            "CREATE STREAM lat (batch BIGINT, n INT) WITH (DURABILITY = 'NONE')")).DisposeAsync();
        var push = await engine.CreateSession().ExecuteAsync("SELECT batch FROM lat EMIT CHANGES");
        const int BatchRows = 100;
        var batches = seconds * rowsPerSecond / BatchRows;
        var (sorted, clock) = await MeasureDeliveryAsync(engine, push, batches, BatchRows, rowsPerSecond,
            TimeSpan.FromSeconds(seconds + 30));
        double P(double q) => sorted[(int)Math.Min(sorted.Length - 1, q * sorted.Length)];
        Console.WriteLine($"| rows | ingest rate achieved | p50 | p99 | p99.9 | max |");
        Console.WriteLine($"|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {sorted.Length:N0} | {sorted.Length / clock.Elapsed.TotalSeconds:N0} rows/s | "
            + $"{P(0.5):F3} ms | "
            + $"{P(0.99):F3} ms | {P(0.999):F3} ms | {sorted[^1]:F3} ms |");
    }

    /// <summary>N concurrent push queries on one stream: all rows reach each; memory per idle query.</summary>
    public static async Task FanoutAsync(int queries, int rows)
    {
        using var directory = new TempDirectory("engine-bench");
        await using var engine = QueryEngine.Open(new EngineOptions { DataDirectory = directory.Path });
        var session = engine.CreateSession();
        await (await session.ExecuteAsync(
            "CREATE STREAM fan (k INT, v STRING) WITH (DURABILITY = 'NONE')")).DisposeAsync();
        // Warm the compiled-query cache so the measurement is of idle queries, not of the JIT.
        await (await session.ExecuteAsync($"SELECT k, v FROM fan EMIT CHANGES LIMIT {rows}")).DisposeAsync();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var start = Stopwatch.StartNew();
        var results = new List<StatementResult>();
        var readers = new List<Task<long>>();
        for (var q = 0; q < queries; q++)
        {
            var result = await engine.CreateSession().ExecuteAsync($"SELECT k, v FROM fan EMIT CHANGES LIMIT {rows}");
            results.Add(result);
            readers.Add(DrainCountAsync(result));
        }
        var started = start.Elapsed;
        await Task.Delay(200);
        var idle = GC.GetTotalMemory(forceFullCollection: true);
        var insert = Stopwatch.StartNew();
        await using (var bulk = session.BeginBulkInsert("fan"))
        {
            for (var i = 0; i < rows; i++)
                bulk.AddRow([i, "value"]);
            await bulk.CommitAsync();
        }
        var counts = await Task.WhenAll(readers);
        var deliveredAll = insert.Elapsed;
        foreach (var result in results)
            await result.DisposeAsync();
        var complete = counts.All(c => c == rows);
        Console.WriteLine("| push queries | rows each | all delivered | start all | deliver all | memory per idle "
            + "query |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|");
        Console.WriteLine($"| {queries:N0} | {rows:N0} | {(complete ? "yes" : "NO")} | {started.TotalMilliseconds:F0} "
            + $"ms | "
            + $"{deliveredAll.TotalMilliseconds:F0} ms | {(idle - before) / queries / 1024.0:F1} KiB |");
    }

    private static async Task<long> DrainCountAsync(StatementResult result)
    {
        long count = 0;
        while (await result.Rows!.ReadAsync())
            count++;
        return count;
    }
}
