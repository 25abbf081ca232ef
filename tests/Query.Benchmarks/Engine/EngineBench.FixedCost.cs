using System.Diagnostics;
using System.Globalization;
using Query.Engine;
using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// <c>engine-fixed-cost [rows] [runs]</c>: what one small statement costs inside the engine, without the wire:
/// wall time, process CPU time and bytes allocated (all threads) per statement, for <c>SELECT 1</c>, a COUNT over a
/// 0.1% ROWTIME range and an empty range, over a 4-partition stream of <c>rows</c> events (issue 14's shape).
/// </summary>
internal static partial class EngineBench
{
    public static async Task FixedCostAsync(int rows, int runs)
    {
        using var directory = new TempDirectory("engine-bench");
        await using var engine = QueryEngine.Open(new EngineOptions { DataDirectory = directory.Path });
        var session = engine.CreateSession();
        await (await session.ExecuteAsync("CREATE STREAM events (ts TIMESTAMP, user_id INT KEY, page STRING, "
            + "amount DOUBLE) WITH (TIMESTAMP = 'ts', PARTITIONS = 4)")).DisposeAsync();
        var loadCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var load = Stopwatch.StartNew();
        await LoadKeyedEventsAsync(session, rows);
        Console.WriteLine($"loaded in {load.Elapsed.TotalMilliseconds:F0} ms, "
            + $"{(Process.GetCurrentProcess().TotalProcessorTime - loadCpu).TotalMilliseconds:F0} ms of CPU");
        string Range(double from) =>
            "SELECT COUNT(*) FROM events WHERE ROWTIME >= '" + At(from) + "' AND ROWTIME < '" + At(from + 0.001) + "'";
        Console.WriteLine($"{rows:N0} rows in 4 partitions; {runs:N0} runs per statement after {runs / 2:N0} warm-ups");
        Console.WriteLine();
        Console.WriteLine("| statement | wall per run | CPU per run | bytes allocated per run |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (label, sql) in new[]
        {
            ("SELECT 1", "SELECT 1"),
            ("COUNT over a 0.1% ROWTIME range at 50%", Range(0.5)),
            ("COUNT over an empty ROWTIME range", "SELECT COUNT(*) FROM events WHERE ROWTIME < '2023-01-01'"),
        })
        {
            for (var i = 0; i < runs / 2; i++)
                await DrainAsync(session, sql);
            using var listener = Environment.GetEnvironmentVariable("BENCH_ALLOCATIONS") == "1"
                ? new AllocationTickListener() : null;
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < runs; i++)
                await DrainAsync(session, sql);
            var wall = stopwatch.Elapsed;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            Console.WriteLine($"| {label} | {wall.TotalMicroseconds / runs:F1} us | {cpu.TotalMicroseconds / runs:F1} us"
                + $" | {allocated / runs:N0} |");
            listener?.Print();
        }
    }

    private static string At(double fraction) => DateTime.UnixEpoch
        .AddMilliseconds(BaseMs + Math.Round(86_400_000 * fraction))
        .ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static async Task LoadKeyedEventsAsync(EngineSession session, int rows)
    {
        var random = new Random(42);
        var values = new object?[4];
        await using var bulk = session.BeginBulkInsert("events");
        for (var i = 0; i < rows; i++)
        {
            values[0] = DateTime.UnixEpoch.AddMilliseconds(BaseMs + (i * 86_400_000L / rows) + random.Next(-500, 500));
            values[1] = random.Next(1, 1_000_001);
            values[2] = $"/shop/category-{i % 20:00}/subcategory-{i % 7}/product-{i % 1000:0000}/details";
            values[3] = Math.Round(random.NextDouble() * 999.99, 2);
            bulk.AddRow(values);
        }
        await bulk.CommitAsync();
    }
}

/// <summary>
/// BENCH_ALLOCATIONS=1: which types the statements allocate, from the runtime's allocation ticks (one event about
/// every 100 KB allocated, naming the type of the allocation that crossed the mark), printed by sampled bytes.
/// </summary>
internal sealed class AllocationTickListener : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, long> _bytesByType = new();

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)1);
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs data)
    {
        if (data.EventName is null || !data.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal)
            || data.Payload is null)
            return;
        var index = data.PayloadNames!.IndexOf("TypeName");
        var name = index >= 0 ? data.Payload[index] as string ?? "?" : "?";
        lock (_bytesByType)
            _bytesByType[name] = _bytesByType.GetValueOrDefault(name) + 100_000;
    }

    public void Print()
    {
        lock (_bytesByType)
        {
            foreach (var (name, bytes) in _bytesByType.OrderByDescending(pair => pair.Value).Take(15))
                Console.WriteLine($"  {bytes / 1000,10:N0} KB  {name}");
            _bytesByType.Clear();
        }
    }
}
