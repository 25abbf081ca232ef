using System.Diagnostics;
using System.Globalization;
using Query.Engine;
using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// Engine bench commands (each prints a Markdown table):
/// <c>engine-scan [rows] [text]</c> (only the queries containing text), <c>engine-scan-cold [rows] [runs]
/// [in-process]</c> (EngineBench.ScanCold.cs), <c>engine-rowtime [rows] [segmentBytes]</c> (default: the storage
/// default), <c>engine-push-latency [seconds] [rowsPerSecond]</c>,
/// <c>engine-push-fanout [queries] [rows]</c>, <c>engine-insert [seconds]</c>.
/// </summary>
internal static partial class BenchRegistry
{
    static partial void RegisterEngine()
    {
        BenchCommands.Register("engine-scan", args => EngineBench.Run(() => EngineBench.ScanAsync(Arg(args, 0,
            2_000_000), args.Length > 1 ? args[1] : "")));
        BenchCommands.Register("engine-scan-cold", args => EngineBench.Run(() => EngineBench.ScanColdAsync(
            Arg(args, 0, 2_000_000), Arg(args, 1, 16), args.Length > 2 && args[2] == "in-process")));
        BenchCommands.Register("engine-scan-cold-run", args => EngineBench.Run(() => EngineBench.ScanColdRunAsync(
            args[0], Arg(args, 1, 16))));
        BenchCommands.Register("engine-copy", args => EngineBench.Run(() => EngineBench.CopyAsync(Arg(args, 0,
            1_000_000))));
        BenchCommands.Register("engine-rowtime",
            args => EngineBench.Run(() => EngineBench.RowTimeAsync(Arg(args, 0, 10_000_000),
                args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : null)));
        BenchCommands.Register("engine-push-latency",
            args => EngineBench.Run(() => EngineBench.PushLatencyAsync(Arg(args, 0, 5), Arg(args, 1, 100_000))));
        BenchCommands.Register("engine-insert", args => EngineBench.Run(() => EngineBench.InsertAsync(Arg(args, 0, 5))));
        BenchCommands.Register("pq-aggregate", args => EngineBench.Run(() => EngineBench.PersistentAggregateAsync(
            Arg(args, 0, 10_000_000), Arg(args, 1, 100_000))));
        BenchCommands.Register("pq-window", args => EngineBench.Run(() => EngineBench.WindowedAggregateAsync(
            Arg(args, 0, 10_000_000), Arg(args, 1, 100_000))));
        BenchCommands.Register("pq-csas",
            args => EngineBench.Run(() => EngineBench.PersistentCsasAsync(Arg(args, 0, 10_000_000))));
        BenchCommands.Register("pq-latency", args => EngineBench.Run(() => EngineBench.PersistentLatencyAsync(
            Arg(args, 0, 5), Arg(args, 1, 100_000), Arg(args, 2, 100))));
        BenchCommands.Register("pq-join", args => EngineBench.Run(() => EngineBench.PersistentJoinAsync(
            Arg(args, 0, 1_000_000), Arg(args, 1, 1_000_000))));
        BenchCommands.Register("pq-sjoin", args => EngineBench.Run(() => EngineBench.StreamStreamJoinAsync(
            Arg(args, 0, 500_000), Arg(args, 1, 500_000))));
        BenchCommands.Register("pq-sjoin-latency", args => EngineBench.Run(() =>
            EngineBench.StreamStreamJoinLatencyAsync(Arg(args, 0, 10), Arg(args, 1, 100_000))));
        BenchCommands.Register("engine-fixed-cost", args => EngineBench.Run(() => EngineBench.FixedCostAsync(
            Arg(args, 0, 2_000_000), Arg(args, 1, 5000))));
        BenchCommands.Register("engine-range", args => EngineBench.Run(() => EngineBench.RangeAsync(
            Arg(args, 0, 2_000_000), Arg(args, 1, 2000))));
        BenchCommands.Register("engine-push-fanout",
            args => EngineBench.Run(() => EngineBench.FanoutAsync(Arg(args, 0, 1000), Arg(args, 1, 1000))));
    }

    private static int Arg(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
}

internal static partial class EngineBench
{
    public const long BaseMs = 1_704_067_200_000; // 2024-01-01T00:00:00Z

    public static int Run(Func<Task> bench)
    {
        bench().GetAwaiter().GetResult();
        return 0;
    }

    /// <summary>
    /// The events data set (bench-data.md) plus two columns, 6 in all; fixed seed, mostly ordered time.
    /// <paramref name="segmentBytes"/> null keeps the storage default segment size.
    /// </summary>
    public static async Task LoadEventsAsync(EngineSession session, int rows, long? segmentBytes, int partitions = 1)
    {
        var segmentOption = segmentBytes is { } bytes
            ? string.Create(CultureInfo.InvariantCulture, $", SEGMENT_BYTES = {bytes}") : "";
        if (partitions > 1)
            segmentOption += string.Create(CultureInfo.InvariantCulture, $", PARTITIONS = {partitions}");
        await using (var create = await session.ExecuteAsync(
            "CREATE STREAM events (ts TIMESTAMP, user_id INT, page STRING, amount DOUBLE, country STRING, flag "
                + "BOOLEAN) "
            + $"WITH (TIMESTAMP = 'ts', DURABILITY = 'NONE'{segmentOption})"))
        {
        }
        var random = new Random(42);
        var pages = new string[1000];
        for (var i = 0; i < pages.Length; i++)
            pages[i] = $"/shop/category-{i % 20:00}/subcategory-{i % 7}/product-{i:0000}/details";
        var countries = new[] { "NO", "SE", "DK", "FI", "DE", "FR", "IT", "ES" };
        var msPerRow = 86_400_000.0 / rows;
        var values = new object?[6];
        const int Chunk = 200_000;
        for (var start = 0; start < rows; start += Chunk)
        {
            await using var bulk = session.BeginBulkInsert("events");
            for (var i = start; i < Math.Min(rows, start + Chunk); i++)
            {
                values[0] = DateTime.UnixEpoch.AddMilliseconds(BaseMs + (long)(i * msPerRow) + random.Next(-500, 500));
                values[1] = random.Next(1, 1_000_001);
                values[2] = pages[random.Next(pages.Length)];
                values[3] = Math.Round(random.NextDouble() * 999.99, 2);
                values[4] = countries[random.Next(countries.Length)];
                values[5] = (i & 1) == 0;
                bulk.AddRow(values);
            }
            await bulk.CommitAsync();
        }
    }

    public static async Task<(long Rows, TimeSpan Elapsed,
        Query.Engine.Execution.ScanStatistics Statistics)> DrainAsync(
        EngineSession session, string sql)
    {
        var (rows, elapsed, _, statistics) = await DrainTimedAsync(session, sql);
        return (rows, elapsed, statistics);
    }

    /// <summary>Runs a query to its end; also reports the process CPU time it took (steadier under load).</summary>
    public static async Task<(long Rows, TimeSpan Elapsed, TimeSpan Cpu,
        Query.Engine.Execution.ScanStatistics Statistics)> DrainTimedAsync(EngineSession session, string sql)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        await using var result = await session.ExecuteAsync(sql);
        var rows = result.Rows!;
        long count = 0;
        while (await rows.ReadAsync())
            count++;
        var elapsed = stopwatch.Elapsed;
        process.Refresh();
        return (count, elapsed, process.TotalProcessorTime - cpuBefore, rows.Statistics);
    }

    /// <summary>COPY-style ingest: text fields through BulkInsert.AddTextRow, durable (fsync) commit.</summary>
    public static async Task CopyAsync(int rows)
    {
        using var directory = new TempDirectory("engine-bench");
        await using var engine = QueryEngine.Open(new EngineOptions { DataDirectory = directory.Path });
        var session = engine.CreateSession();
        await (await session.ExecuteAsync("CREATE STREAM events (ts TIMESTAMP, user_id INT KEY, page STRING, "
            + "amount DOUBLE) WITH (TIMESTAMP = 'ts', PARTITIONS = 2)")).DisposeAsync();
        var random = new Random(42);
        var lines = new string?[rows][];
        for (var i = 0; i < rows; i++)
        {
            var ts = DateTime.UnixEpoch.AddMilliseconds(BaseMs + (i * 86_400_000L / rows) + random.Next(-500, 500));
            lines[i] =
            [
                ts.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
                random.Next(1, 1_000_001).ToString(CultureInfo.InvariantCulture),
                $"/shop/category-{i % 20:00}/subcategory-{i % 7}/product-{i % 1000:0000}/details",
                Math.Round(random.NextDouble() * 999.99, 2).ToString(CultureInfo.InvariantCulture),
            ];
        }
        var stopwatch = Stopwatch.StartNew();
        await using (var bulk = session.BeginBulkInsert("events"))
        {
            foreach (var line in lines)
                bulk.AddTextRow(line);
            await bulk.CommitAsync();
        }
        var elapsed = stopwatch.Elapsed;
        Console.WriteLine("| rows | time | rate | durability |");
        Console.WriteLine("|---:|---:|---:|---|");
        Console.WriteLine($"| {rows:N0} | {elapsed.TotalSeconds:F2} s | {rows / elapsed.TotalSeconds:N0} rows/s | SYNC "
            + $"|");
    }

    public static async Task ScanAsync(int rows, string only)
    {
        using var directory = new TempDirectory("engine-bench");
        // BENCH_SCAN_WORKERS=1 measures a GROUP BY on one thread (EngineOptions.QueryScanWorkers).
        var workers = Environment.GetEnvironmentVariable("BENCH_SCAN_WORKERS") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture) : Math.Clamp(Environment.ProcessorCount, 1, 4);
        // BENCH_SCAN_CACHE_BYTES=N sets EngineOptions.ScanCacheBytes (default 512 MiB, as the engine; 0: off).
        var cacheBytes = Environment.GetEnvironmentVariable("BENCH_SCAN_CACHE_BYTES") is { Length: > 0 } cacheText
            ? long.Parse(cacheText, CultureInfo.InvariantCulture) : 512L << 20;
        await using var engine = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = directory.Path,
            QueryScanWorkers = workers,
            ScanCacheBytes = cacheBytes,
        });
        var session = engine.CreateSession();
        var load = Stopwatch.StartNew();
        await LoadEventsAsync(session, rows, 16L << 20);
        Console.WriteLine($"loaded {rows:N0} rows in {load.Elapsed.TotalSeconds:F1} s "
            + $"({rows / load.Elapsed.TotalSeconds:N0} rows/s, bulk insert)");
        Console.WriteLine();
        foreach (var warmup in new[] { "SELECT user_id FROM events WHERE amount > 900", "SELECT COUNT(*) FROM events" })
        {
            for (var run = 0; run < 3; run++)
                await DrainAsync(session, warmup);
        }
        // BENCH_SCAN_RUNS=N: the best of N runs per query (3 by default; more on a loaded machine).
        var runs = Environment.GetEnvironmentVariable("BENCH_SCAN_RUNS") is { Length: > 0 } runsText
            ? int.Parse(runsText, CultureInfo.InvariantCulture) : 3;
        Console.WriteLine("| query | rows out | best time | best CPU time | scan rate |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var sql in new[]
        {
            "SELECT user_id, amount FROM events WHERE amount > 900",
            "SELECT COUNT(*) FROM events WHERE amount > 500",
            "SELECT page, COUNT(*), SUM(amount) FROM events GROUP BY page",
            "SELECT user_id % 100000 AS u, COUNT(*), SUM(amount) FROM events GROUP BY user_id % 100000",
            "SELECT user_id, COUNT(*) FROM events GROUP BY user_id",
            "SELECT user_id, amount FROM events ORDER BY amount DESC LIMIT 10",
            "SELECT * FROM events WHERE user_id = 4242",
            "SELECT user_id, amount FROM events WHERE amount > 990 AND page LIKE '%-7/%'",
            "SELECT amount FROM events WHERE user_id = 4242 ORDER BY amount DESC LIMIT 10",
        })
        {
            if (!sql.Contains(only, StringComparison.Ordinal))
                continue;
            var best = TimeSpan.MaxValue;
            var bestCpu = TimeSpan.MaxValue;
            long count = 0;
            for (var run = 0; run < runs; run++)
            {
                var (n, elapsed, cpu, _) = await DrainTimedAsync(session, sql);
                count = n;
                best = elapsed < best ? elapsed : best;
                bestCpu = cpu < bestCpu ? cpu : bestCpu;
            }
            Console.WriteLine($"| `{sql}` | {count:N0} | {best.TotalMilliseconds:F0} ms | "
                + $"{bestCpu.TotalMilliseconds:F0} ms | {rows / best.TotalSeconds / 1e6:F2} M rows/s |");
        }
        var cache = engine.ScanCache;
        Console.WriteLine();
        Console.WriteLine($"scan cache: {cache.Bytes / 1e6:F0} MB of {cache.MaxBytes / 1e6:F0} MB in "
            + $"{cache.ChunkCount:N0} chunks; {cache.Hits:N0} chunks found, {cache.Misses:N0} read from the log");
    }
}
