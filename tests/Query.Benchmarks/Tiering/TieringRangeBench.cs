using System.Diagnostics;
using System.Globalization;
using Query.Engine;
using Query.Testing;
using Query.Tiering;

namespace Query.Benchmarks;

/// <summary><c>tiering-range [rows] [chunk rows] [compact 0|1] [folder]</c>: a narrow (0.1%) ROWTIME range over a
/// large cold stream. Rows are loaded and archived a chunk at a time, so the hot log never holds more than a chunk.
/// With a folder the data set is built there once and reused by later runs (delete the folder when done). The query
/// runs <c>[repeats]</c> times (default 7; more waits 2 s after printing "ready" and the process id, for a
/// profiler).</summary>
internal static class TieringRangeBench
{
    private const long SpanMs = 86_400_000;          // the rows spread over one day

    public static async Task RunAsync(int rows, int chunkRows, bool compact, string? folder, int repeats)
    {
        using var temporary = folder is null ? new TempDirectory("tiering-range") : null;
        var root = folder ?? temporary!.Path;
        var built = Path.Combine(root, $"built-{rows}-{chunkRows}-{(compact ? 1 : 0)}");
        var reuse = File.Exists(built);
        var cold = new ColdStore(Path.Combine(root, "cold"));
        await using var engine = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = Path.Combine(root, "data"),
            ColdStore = cold,
        });
        var session = engine.CreateSession();
        var build = Stopwatch.StartNew();
        var process = Process.GetCurrentProcess();
        var buildCpu = process.TotalProcessorTime;
        if (!reuse)
            await BuildAsync(engine, session, rows, chunkRows, compact);
        var buildSeconds = build.Elapsed.TotalSeconds;
        process.Refresh();
        var buildCpuSeconds = (process.TotalProcessorTime - buildCpu).TotalSeconds;
        if (folder is not null && !reuse)
            await File.WriteAllTextAsync(built, $"built in {buildSeconds:F0} s wall, {buildCpuSeconds:F0} s CPU");

        var tier = cold.GetTier("events", 0);
        var manifest = tier.Manifest;
        var coldRows = manifest.EndOffset - manifest.StartOffset;
        var rowGroups = manifest.Files.Sum(f => f.RowGroupCount);
        var coldBytes = manifest.Files.Sum(f => f.SizeBytes);
        var middle = EngineBench.BaseMs + (SpanMs / 2);
        var window = SpanMs / 1000;
        var sql = $"SELECT count(*) FROM events WHERE ROWTIME >= {middle} AND ROWTIME < {middle + window}";
        var matched = 0L;
        var bestWall = double.MaxValue;
        var bestCpu = double.MaxValue;
        if (repeats > 7)
        {
            Console.WriteLine($"ready {Environment.ProcessId}");
            await Task.Delay(2000);
        }
        for (var i = 0; i < repeats; i++)
        {
            var (_, elapsed, cpu, _) = await EngineBench.DrainTimedAsync(session, sql);
            bestWall = Math.Min(bestWall, elapsed.TotalMilliseconds);
            bestCpu = Math.Min(bestCpu, cpu.TotalMilliseconds);
        }
        await using (var count = await session.ExecuteAsync(sql))
        {
            await count.Rows!.ReadAsync();
            matched = count.Rows.GetInt64(0);
        }
        var (files, groups) = await ExplainAsync(session, "EXPLAIN " + sql);
        Console.WriteLine($"| tiering-range, {rows:N0} rows, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]} " +
            "| value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| cold stream | {coldRows:N0} rows, {manifest.Files.Length} files, {rowGroups} row " +
            $"groups, {coldBytes / 1e6:F1} MB Parquet{(compact ? " (compacted)" : "")}; " +
            (reuse ? $"reused ({await File.ReadAllTextAsync(built)})" : $"built in {buildSeconds:F0} s wall, " +
            $"{buildCpuSeconds:F0} s CPU") + " |");
        Console.WriteLine($"| `{sql}` ({matched:N0} rows) | best of {repeats}: {bestWall:F1} ms wall, {bestCpu:F1} ms CPU |");
        Console.WriteLine($"| EXPLAIN | {files}; {groups} |");
    }

    private static async Task BuildAsync(QueryEngine engine, EngineSession session, int rows, int chunkRows,
        bool compact)
    {
        await using (await session.ExecuteAsync("CREATE STREAM events (ts TIMESTAMP, user_id INT, page STRING, "
            + "amount DOUBLE, country STRING, flag BOOLEAN) WITH (TIMESTAMP = 'ts', DURABILITY = 'NONE', "
            + $"SEGMENT_BYTES = {16L << 20})"))
        {
        }
        for (var start = 0; start < rows; start += chunkRows)
        {
            await LoadAsync(session, start, Math.Min(rows, start + chunkRows), rows);
            await engine.ArchiveStreamAsync("events");
        }
        if (compact)
            await engine.CompactStreamAsync("events");
    }

    // The events data set's rows [first, end) of a stream of `total` rows spread over one day.
    private static async Task LoadAsync(EngineSession session, int first, int end, int total)
    {
        var random = new Random(first);
        var pages = new string[1000];
        for (var i = 0; i < pages.Length; i++)
            pages[i] = string.Create(CultureInfo.InvariantCulture, $"/shop/product-{i:0000}/details");
        var countries = new[] { "NO", "SE", "DK", "FI", "DE", "FR", "IT", "ES" };
        var msPerRow = (double)SpanMs / total;
        var values = new object?[6];
        await using var bulk = session.BeginBulkInsert("events");
        for (var i = first; i < end; i++)
        {
            values[0] = DateTime.UnixEpoch.AddMilliseconds(EngineBench.BaseMs + (long)(i * msPerRow));
            values[1] = random.Next(1, 1_000_001);
            values[2] = pages[random.Next(pages.Length)];
            values[3] = Math.Round(random.NextDouble() * 999.99, 2);
            values[4] = countries[random.Next(countries.Length)];
            values[5] = (i & 1) == 0;
            bulk.AddRow(values);
        }
        await bulk.CommitAsync();
    }

    private static async Task<(string Files, string Groups)> ExplainAsync(EngineSession session, string sql)
    {
        string files = "", groups = "";
        await using var result = await session.ExecuteAsync(sql);
        while (await result.Rows!.ReadAsync())
        {
            foreach (var line in result.Rows.GetString(0).Split('\n'))
            {
                if (line.Contains("cold files:", StringComparison.Ordinal))
                    files = line.Trim();
                if (line.Contains("row groups of those files:", StringComparison.Ordinal))
                    groups = line.Trim();
            }
        }
        return (files, groups);
    }
}
