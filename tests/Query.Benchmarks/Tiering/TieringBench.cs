using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Query.Engine;
using Query.Testing;
using Query.Tiering;
using Query.Tiering.Reading;

namespace Query.Benchmarks;

/// <summary><c>tiering [rows]</c>: archival throughput, hot vs cold bytes, a cold scan beside DuckDB, a narrow
/// ROWTIME range over cold rows. Prints a Markdown table.</summary>
internal static partial class BenchRegistry
{
    static partial void RegisterTiering()
    {
        BenchCommands.Register("tiering", args => EngineBench.Run(() => TieringBench.RunAsync(Arg(args, 0, 1_000_000))));
        BenchCommands.Register("tiering-scan", args => EngineBench.Run(() => TieringBench.ScanLoopAsync(
            Arg(args, 0, 1_000_000), Arg(args, 1, 20), Arg(args, 2, 0) != 0)));
        BenchCommands.Register("tiering-decode", args => EngineBench.Run(() => DecodeLoopBench.RunAsync(
            Arg(args, 0, 1_000_000), Arg(args, 1, 20), args.Length > 2 ? args[2] : null, Arg(args, 3, 0) != 0)));
        BenchCommands.Register("tiering-range", args => EngineBench.Run(() => TieringRangeBench.RunAsync(
            Arg(args, 0, 10_000_000), Arg(args, 1, 1_000_000), Arg(args, 2, 0) != 0, args.Length > 3 ? args[3] : null,
            Arg(args, 4, 7))));
        BenchCommands.Register("tiering-archive", args => EngineBench.Run(() => TieringBench.ArchiveOnceAsync(
            Arg(args, 0, 1_000_000), Arg(args, 1, 500_000), Arg(args, 2, 3), Arg(args, 3, 2), Arg(args, 4, 2))));
        BenchCommands.Register("tiering-writer", args => EngineBench.Run(() => ParquetWriterBench.RunAsync(
            Arg(args, 0, 1_000_000), Arg(args, 1, 128 * 1024))));
    }
}

internal static class TieringBench
{
    private const string Filter = "user_id < 10000 AND country = 'NO'";
    private const string Sum = "SELECT count(*), sum(amount) FROM events WHERE ROWOFFSET >= 0";

    public static async Task RunAsync(int rows)
    {
        using var directory = new TempDirectory("tiering-bench");
        var cold = new ColdStore(Path.Combine(directory.Path, "cold"));
        await using var engine = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = Path.Combine(directory.Path, "data"),
            ColdStore = cold,
        });
        var session = engine.CreateSession();
        await EngineBench.LoadEventsAsync(session, rows, 16L << 20);
        await ExecuteAsync(session, "INSERT INTO events (user_id) VALUES (0)");    // seals nothing; keeps a hot tail
        var count = $"SELECT count(*) FROM events WHERE {Filter}";
        var hot = await BestAsync(() => EngineBench.DrainAsync(session, count));

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var archived = await engine.ArchiveStreamAsync("events");
        var archiveSeconds = wall.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;

        var coldScan = await BestAsync(() => EngineBench.DrainAsync(session, count));
        var coldCpu = await BestCpuAsync(() => EngineBench.DrainAsync(session, count));
        // The same scans with the cold columns decoded by Parquet.Net, and with the managed Zstd port.
        var (libraryColdCpu, librarySumCpuOurs) = await WithDecodingAsync(false, true, session, count);
        var (managedZstdCpu, managedZstdSumCpu) = await WithDecodingAsync(true, false, session, count);
        var glob = Path.Combine(cold.Root, "events", "*", "*", "*.parquet");
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        var duckSql = $"SELECT count(*) FROM read_parquet('{glob}') WHERE {Filter}";
        var duckScan = await BestAsync(() => Task.FromResult(DuckTime(duck, duckSql)));
        var duckCpu = await BestCpuAsync(() => Task.FromResult(DuckTime(duck, duckSql)));
        // A full cold scan no predicate can narrow: every row is read and aggregated.
        var sumScan = await BestAsync(() => EngineBench.DrainAsync(session, Sum));
        var sumCpu = await BestCpuAsync(() => EngineBench.DrainAsync(session, Sum));
        var duckSum = $"SELECT count(*), sum(amount) FROM read_parquet('{glob}') WHERE rowoffset >= 0";
        var duckSumScan = await BestAsync(() => Task.FromResult(DuckTime(duck, duckSum)));
        var duckSumCpu = await BestCpuAsync(() => Task.FromResult(DuckTime(duck, duckSum)));
        // Parquet.Net alone over the same files: the columns DuckDB reads, and those our scan needs besides (ts gives
        // each row its ROWTIME, so it decides which rows exist; rowoffset orders them).
        var files = Directory.GetFiles(Path.Combine(cold.Root, "events"), "*.parquet", SearchOption.AllDirectories);
        var libraryFilterCpu = await BestCpuAsync(() => ParquetDecodeBench.ReadColumnsAsync(files,
            ["user_id", "country"]));
        var libraryFilterOursCpu = await BestCpuAsync(() => ParquetDecodeBench.ReadColumnsAsync(files,
            ["user_id", "country", "ts", "rowoffset"]));
        var librarySumCpu = await BestCpuAsync(() => ParquetDecodeBench.ReadColumnsAsync(files,
            ["amount", "rowoffset"]));
        var librarySumOursCpu = await BestCpuAsync(() => ParquetDecodeBench.ReadColumnsAsync(files,
            ["amount", "rowoffset", "ts"]));
        var ownFilterCpu = await BestCpuAsync(() => OwnDecodeBench.ReadColumnsAsync(files,
            ["user_id", "country", "ts", "rowoffset"]));
        var ownSumCpu = await BestCpuAsync(() => OwnDecodeBench.ReadColumnsAsync(files, ["amount", "rowoffset", "ts"]));
        Console.WriteLine("strings as UTF-8: " + await ParquetDecodeBench.ProbeUtf8Async(files[0], "country"));
        var explain = await ExplainCountsAsync(session, "EXPLAIN " + count);
        var oursCount = await CountAsync(session, count);
        var duckCount = DuckTime(duck, duckSql);

        var tier = cold.GetTier("events", 0);
        var manifest = tier.Manifest;
        var totalRowGroups = manifest.Files.Sum(f => f.RowGroupCount);
        var middle = EngineBench.BaseMs + 43_200_000;
        var window = 86_400_000L / 1000;           // 0.1 % of the day the rows span
        var narrowSql = $"SELECT count(*) FROM events WHERE ROWTIME >= {middle} AND ROWTIME < {middle + window}";
        var narrow = await BestAsync(() => EngineBench.DrainAsync(session, narrowSql));
        // The same range read by the cold reader itself, for its statistics (files and row groups opened).
        using var reader = new ColdPartitionReader(tier, engine.GetColumnLayout("events"),
            new ColdScanRange(0, long.MaxValue, middle, middle + window - 1));
        while (reader.TryRead(out _))
        {
        }

        Console.WriteLine($"| tiering, {rows:N0} rows, load {Load()} | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| archival: {archived.Segments} segments, {archived.Rows:N0} rows | {Mb(archived.BytesIn)} MB " +
            $"in {archiveSeconds:F2} s wall, {cpuSeconds:F2} s CPU: {archived.BytesIn / 1e6 / cpuSeconds:F0} MB/s per core " +
            $"({archived.BytesIn / 1e6 / archiveSeconds:F0} MB/s wall) |");
        Console.WriteLine($"| bytes hot vs cold | {Mb(archived.BytesIn)} MB log vs {Mb(archived.BytesOut)} MB Parquet " +
            $"({(double)archived.BytesIn / archived.BytesOut:F1}x smaller), {manifest.Files.Length} files, " +
            $"{totalRowGroups} row groups |");
        Console.WriteLine($"| `{count}` | hot {Ms(hot)} ms, cold {Ms(coldScan)} ms, DuckDB {Ms(duckScan)} ms: " +
            $"ours/DuckDB {coldScan / duckScan:F1}x wall; CPU ours {Ms(coldCpu)} ms, DuckDB {Ms(duckCpu)} ms: " +
            $"{coldCpu / duckCpu:F1}x; count ours {oursCount:N0}, DuckDB {duckCount:N0}; {explain} |");
        Console.WriteLine($"| `{Sum}` (cold, every row) | ours {Ms(sumScan)} ms, DuckDB {Ms(duckSumScan)} ms: " +
            $"{sumScan / duckSumScan:F1}x wall; CPU ours {Ms(sumCpu)} ms, DuckDB {Ms(duckSumCpu)} ms: " +
            $"{sumCpu / duckSumCpu:F1}x |");
        Console.WriteLine($"| Parquet.Net alone, CPU (x DuckDB's CPU of the same query) | filter's columns " +
            $"(user_id, country) {Ms(libraryFilterCpu)} ms ({libraryFilterCpu / duckCpu:F1}x), with ts, rowoffset " +
            $"{Ms(libraryFilterOursCpu)} ms ({libraryFilterOursCpu / duckCpu:F1}x); sum's columns (amount, rowoffset) " +
            $"{Ms(librarySumCpu)} ms ({librarySumCpu / duckSumCpu:F1}x), with ts {Ms(librarySumOursCpu)} ms " +
            $"({librarySumOursCpu / duckSumCpu:F1}x) |");
        Console.WriteLine($"| our page decoder alone, CPU | filter's columns with ts, rowoffset {Ms(ownFilterCpu)} ms " +
            $"({ownFilterCpu / duckCpu:F1}x DuckDB); sum's with ts {Ms(ownSumCpu)} ms ({ownSumCpu / duckSumCpu:F1}x) |");
        Console.WriteLine($"| our scan, cold columns decoded by Parquet.Net (before), CPU | filtered count " +
            $"{Ms(libraryColdCpu)} ms ({libraryColdCpu / duckCpu:F1}x DuckDB); full scan {Ms(librarySumCpuOurs)} ms " +
            $"({librarySumCpuOurs / duckSumCpu:F1}x) |");
        Console.WriteLine($"| our scan, own decoder with managed Zstd (ZstdSharp), CPU | filtered count " +
            $"{Ms(managedZstdCpu)} ms ({managedZstdCpu / duckCpu:F1}x DuckDB); full scan {Ms(managedZstdSumCpu)} ms " +
            $"({managedZstdSumCpu / duckSumCpu:F1}x) |");
        Console.WriteLine($"| 0.1% ROWTIME range over cold rows | {Ms(narrow)} ms, row groups read " +
            $"{reader.Statistics.RowGroupsRead} of {totalRowGroups}, files opened {reader.Statistics.FilesOpened} |");

        // Last, as it changes the files: COMPACT STREAM merges every file of the date folder (row groups copied).
        reader.Dispose();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        wall.Restart();
        var compacted = await engine.CompactStreamAsync("events");
        var compactSeconds = wall.Elapsed.TotalSeconds;
        var compactCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var compactedScan = await BestAsync(() => EngineBench.DrainAsync(session, count));
        Console.WriteLine($"| compaction: {compacted.FilesIn} files into {compacted.Runs} | {Mb(compacted.BytesIn)} MB " +
            $"Parquet in {compactSeconds:F2} s wall, {compactCpu:F2} s CPU: {compacted.BytesIn / 1e6 / compactCpu:F0} " +
            $"MB/s per core; {Mb(compacted.BytesOut)} MB out; cold scan after it {Ms(compactedScan)} ms |");
    }

    /// <summary><c>tiering-scan [rows] [repeats] [full]</c>: archives the data set, prints "ready" and the process
    /// id, then runs the filtered cold count (or with <paramref name="full"/> the full scan's sum)
    /// <paramref name="repeats"/> times (for a profiler attached meanwhile).</summary>
    public static async Task ScanLoopAsync(int rows, int repeats, bool full)
    {
        using var directory = new TempDirectory("tiering-scan");
        await using var engine = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = Path.Combine(directory.Path, "data"),
            ColdStore = new ColdStore(Path.Combine(directory.Path, "cold")),
        });
        var session = engine.CreateSession();
        await EngineBench.LoadEventsAsync(session, rows, 16L << 20);
        await engine.ArchiveStreamAsync("events");
        var count = full ? Sum : $"SELECT count(*) FROM events WHERE {Filter}";
        await EngineBench.DrainAsync(session, count);
        Console.WriteLine($"ready {Environment.ProcessId}");
        await Task.Delay(2000);
        for (var i = 0; i < repeats; i++)
        {
            var (_, elapsed, cpu, _) = await EngineBench.DrainTimedAsync(session, count);
            Console.WriteLine($"{elapsed.TotalMilliseconds:F1} ms wall, {cpu.TotalMilliseconds:F1} ms CPU");
        }
    }

    /// <summary><c>tiering-archive [rows] [warm-up rows] [streams] [partitions] [parallelism]</c>: archives a
    /// warm-up stream first (the JIT-cold figure), then <paramref name="streams"/> streams of
    /// <paramref name="rows"/> rows one after another in the same process, each in a fresh engine (a server archives
    /// stream after stream for days: the later ones show the steady state, once the runtime has stopped
    /// recompiling), then one stream of <paramref name="rows"/> rows in <paramref name="partitions"/> partitions
    /// archived <paramref name="parallelism"/> partitions at once (CPU per core and elapsed). Prints "ready" and the
    /// process id before the last single-partition stream's archival, and waits 3 s (for a profiler to
    /// attach).</summary>
    public static async Task ArchiveOnceAsync(int rows, int warmUpRows, int streams, int partitions, int parallelism)
    {
        var first = await ArchiveFreshAsync(Math.Max(warmUpRows, 10_000), 1, 1, ready: false);
        Console.WriteLine($"| archival of {Math.Max(warmUpRows, 10_000):N0} rows, load {Load()} | CPU | of which " +
            "background JIT | MB/s per core | MB/s per core without the background JIT | wall |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Print("first in the process (JIT-cold)", first);
        for (var i = 1; i <= streams; i++)
            Print($"stream {i} of {streams}, {rows:N0} rows", await ArchiveFreshAsync(rows, 1, 1, ready: i == streams));
        if (partitions > 1)
        {
            Print($"{partitions} partitions, {parallelism} at once, {rows:N0} rows",
                await ArchiveFreshAsync(rows, partitions, parallelism, ready: false));
        }
    }

    private static void Print(string label, ArchiveRun run) => Console.WriteLine(
        $"| {label}: {Mb(run.Bytes)} MB of log, {Mb(run.BytesOut)} MB of Parquet | {run.CpuSeconds:F2} s | " +
        $"{run.JitSeconds:F2} s | " +
        $"{run.Bytes / 1e6 / run.CpuSeconds:F0} | {run.Bytes / 1e6 / (run.CpuSeconds - run.JitSeconds):F0} | " +
        $"{run.WallSeconds:F2} s ({run.Bytes / 1e6 / run.WallSeconds:F0} MB/s) |");

    private readonly record struct ArchiveRun(long Bytes, long BytesOut, double CpuSeconds, double JitSeconds,
        double WallSeconds);

    // CPU seconds of the runtime's tiered-compilation (background JIT) threads so far, from /proc.
    private static double TieredCompilationSeconds()
    {
        var ticks = 0L;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                    continue;
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) +
                    long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // the thread ended meanwhile
            }
        }
        return ticks / 100.0;       // USER_HZ
    }

    private static async Task<ArchiveRun> ArchiveFreshAsync(int rows, int partitions, int parallelism, bool ready)
    {
        using var directory = new TempDirectory("tiering-archive");
        await using var engine = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = Path.Combine(directory.Path, "data"),
            ColdStore = new ColdStore(Path.Combine(directory.Path, "cold")),
            Tiering = new Query.Engine.Tiering.TieringDefaults { ArchivalParallelism = parallelism },
        });
        await EngineBench.LoadEventsAsync(engine.CreateSession(), rows, 16L << 20, partitions);
        if (ready)
        {
            Console.WriteLine($"ready {Environment.ProcessId}");
            await Task.Delay(3000);
        }
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var jit = TieredCompilationSeconds();
        var wall = Stopwatch.StartNew();
        var archived = await engine.ArchiveStreamAsync("events");
        var wallSeconds = wall.Elapsed.TotalSeconds;
        process.Refresh();
        return new ArchiveRun(archived.BytesIn, archived.BytesOut, (process.TotalProcessorTime - cpu).TotalSeconds,
            TieredCompilationSeconds() - jit, wallSeconds);
    }

    // Best CPU of the filtered count and of the full scan with the cold reader's decoding switched as given.
    private static async Task<(double Count, double Sum)> WithDecodingAsync(bool ownDecoder, bool nativeZstd,
        EngineSession session, string count)
    {
        ColdDecoding.OwnDecoder = ownDecoder;
        ColdDecoding.NativeZstd = nativeZstd;
        try
        {
            await EngineBench.DrainAsync(session, count);
            return (await BestCpuAsync(() => EngineBench.DrainAsync(session, count)),
                await BestCpuAsync(() => EngineBench.DrainAsync(session, Sum)));
        }
        finally
        {
            ColdDecoding.OwnDecoder = true;
            ColdDecoding.NativeZstd = true;
        }
    }

    private static async Task ExecuteAsync(EngineSession session, string sql)
    {
        await using var result = await session.ExecuteAsync(sql);
    }

    private static async Task<double> BestAsync<T>(Func<Task<T>> run)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await run();
            best = Math.Min(best, stopwatch.Elapsed.TotalMilliseconds);
        }
        return best;
    }

    // Best process CPU time of three runs (DuckDB's worker threads count too: it runs in this process).
    internal static async Task<double> BestCpuAsync<T>(Func<Task<T>> run)
    {
        var best = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (var i = 0; i < 3; i++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            await run();
            process.Refresh();
            best = Math.Min(best, (process.TotalProcessorTime - before).TotalMilliseconds);
        }
        return best;
    }

    private static async Task<long> CountAsync(EngineSession session, string sql)
    {
        await using var result = await session.ExecuteAsync(sql);
        await result.Rows!.ReadAsync();
        return result.Rows.GetInt64(0);
    }

    // The EXPLAIN line that counts the cold row groups read and pruned.
    private static async Task<string> ExplainCountsAsync(EngineSession session, string sql)
    {
        await using var result = await session.ExecuteAsync(sql);
        var rows = result.Rows!;
        var line = "";
        while (await rows.ReadAsync())
        {
            foreach (var text in rows.GetString(0).Split('\n'))
            {
                if (text.Contains("row groups of those files", StringComparison.Ordinal))
                    line = text.Trim();
            }
        }
        return line;
    }

    private static long DuckTime(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Mb(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);

    private static string Ms(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture);

    private static string Load() => File.Exists("/proc/loadavg")
        ? File.ReadAllText("/proc/loadavg").Split(' ')[0]
        : "n/a";
}
