using System.Diagnostics;
using System.Globalization;
using Query.Engine;
using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// <c>engine-range [rows] [runs]</c>: what a small range COUNT costs inside the engine, without the wire: wall time,
/// process CPU time and bytes allocated per statement for a COUNT over a 0.1% ROWTIME range at 5%, 50% and 95% of
/// the data, a 0.1% ROWOFFSET range at the same places, a COUNT of a column over the 50% ROWTIME range and an empty
/// range, over a 4-partition stream of <c>rows</c> events loaded in bulk (issue 14's shape: COPY's 64 KiB batches).
/// A full COUNT(*) runs first (as in run-pg-compare.sh; it fills the scan cache); <c>BENCH_SCAN_CACHE_BYTES=0</c> turns
/// the cache off; <c>BENCH_RANGE_ONLY=text</c> runs only the statements whose label contains text. The answer is
/// printed beside each figure.
/// </summary>
internal static partial class EngineBench
{
    public static async Task RangeAsync(int rows, int runs)
    {
        using var directory = new TempDirectory("engine-bench");
        var cacheBytes = Environment.GetEnvironmentVariable("BENCH_SCAN_CACHE_BYTES");
        await using var engine = QueryEngine.Open(cacheBytes is null
            ? new EngineOptions { DataDirectory = directory.Path }
            : new EngineOptions
            {
                DataDirectory = directory.Path,
                ScanCacheBytes = long.Parse(cacheBytes, CultureInfo.InvariantCulture),
            });
        var session = engine.CreateSession();
        await (await session.ExecuteAsync("CREATE STREAM events (ts TIMESTAMP, user_id INT KEY, page STRING, "
            + "amount DOUBLE) WITH (TIMESTAMP = 'ts', PARTITIONS = 4)")).DisposeAsync();
        var load = Stopwatch.StartNew();
        await LoadKeyedEventsAsync(session, rows);
        Console.WriteLine($"loaded {rows:N0} rows in {load.Elapsed.TotalMilliseconds:F0} ms; {runs:N0} runs per "
            + $"statement after {runs / 2:N0} warm-ups; load average {File.ReadAllText("/proc/loadavg")[..14]}");
        string Range(double from, string what = "COUNT(*)") => "SELECT " + what + " FROM events WHERE ROWTIME >= '"
            + At(from) + "' AND ROWTIME < '" + At(from + 0.001) + "'";
        var perPartition = rows / 4;
        string Offsets(double from) => "SELECT COUNT(*) FROM events WHERE ROWOFFSET >= "
            + ((long)(perPartition * from)).ToString(CultureInfo.InvariantCulture) + " AND ROWOFFSET < "
            + ((long)(perPartition * (from + 0.001))).ToString(CultureInfo.InvariantCulture);
        // As run-pg-compare.sh does before its ranges: one full COUNT(*) (which fills the scan cache, if on).
        Console.WriteLine($"full COUNT(*): {await ScalarAsync(session, "SELECT COUNT(*) FROM events")}; scan cache "
            + $"{engine.ScanCache.Bytes / 1_000_000:N0} MB");
        var only = Environment.GetEnvironmentVariable("BENCH_RANGE_ONLY");
        Console.WriteLine();
        Console.WriteLine("| statement | answer | wall per run | CPU per run | bytes allocated per run |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        var statements = new[]
        {
            ("COUNT(*) over a 0.1% ROWTIME range at 5%", Range(0.05)),
            ("COUNT(*) over a 0.1% ROWTIME range at 50%", Range(0.5)),
            ("COUNT(*) over a 0.1% ROWTIME range at 95%", Range(0.95)),
            ("COUNT(amount) over a 0.1% ROWTIME range at 50%", Range(0.5, "COUNT(amount)")),
            ("COUNT(*) over a 0.1% ROWOFFSET range at 5%", Offsets(0.05)),
            ("COUNT(*) over a 0.1% ROWOFFSET range at 50%", Offsets(0.5)),
            ("COUNT(*) over a 0.1% ROWOFFSET range at 95%", Offsets(0.95)),
            ("COUNT(*) over an empty ROWTIME range", "SELECT COUNT(*) FROM events WHERE ROWTIME < '2023-01-01'"),
        };
        // Every statement warms up first, so the first measured is not the one that runs while the JIT tiers up.
        foreach (var (label, sql) in statements)
        {
            for (var i = 0; only is null || label.Contains(only, StringComparison.Ordinal) ? i < runs / 2 : false; i++)
                await DrainAsync(session, sql);
        }
        foreach (var (label, sql) in statements)
        {
            if (only is not null && !label.Contains(only, StringComparison.Ordinal))
                continue;
            var answer = await ScalarAsync(session, sql);
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
            Console.WriteLine($"| {label} | {answer} | {wall.TotalMicroseconds / runs:F1} us | "
                + $"{cpu.TotalMicroseconds / runs:F1} us | {allocated / runs:N0} |");
        }
    }

    private static async Task<string> ScalarAsync(EngineSession session, string sql)
    {
        await using var result = await session.ExecuteAsync(sql);
        var rows = result.Rows!;
        return await rows.ReadAsync() ? Convert.ToString(rows.GetValue(0), CultureInfo.InvariantCulture) ?? "NULL"
            : "no row";
    }
}
