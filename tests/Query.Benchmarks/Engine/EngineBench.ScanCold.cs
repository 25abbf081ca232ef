using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Query.Engine;
using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// <c>engine-scan-cold [rows] [runs] [in-process]</c>: the first queries of a fresh process. Loads the stream and
/// the rows run-pg-compare.sh loads (4 partitions keyed by user_id) into a data directory, closes the engine, then
/// starts this bench again as a child process (<c>engine-scan-cold-run DIR RUNS</c>, the environment passed on, so
/// <c>DOTNET_*</c> settings apply to it) that opens the engine on that directory and sends the filter scan of issue
/// 14 <c>runs</c> times, printing each run's wall time and the process's CPU time (every thread: the JIT's
/// background compiles count). With <c>in-process</c> the fresh engine is opened in the loading process instead
/// (whose JIT has compiled the load, not the scan). BENCH_SCAN_SQL replaces the query.
/// </summary>
internal static partial class EngineBench
{
    private const string ColdScanSql = "SELECT user_id, amount FROM events WHERE amount > 990 AND page LIKE '%-7/%'";

    public static async Task ScanColdAsync(int rows, int runs, bool inProcess)
    {
        using var directory = new TempDirectory("engine-bench-cold");
        await using (var engine = QueryEngine.Open(ColdOptions(directory.Path)))
        {
            var load = Stopwatch.StartNew();
            await LoadCompareEventsAsync(engine.CreateSession(), rows);
            Console.WriteLine($"loaded {rows:N0} rows into 4 partitions in {load.Elapsed.TotalSeconds:F1} s");
        }
        if (inProcess)
        {
            await ScanColdRunAsync(directory.Path, runs);
            return;
        }
        var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);   // run as `dotnet Query.Benchmarks.dll`
        foreach (var argument in new[] { "bench", "engine-scan-cold-run", directory.Path,
            runs.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }
        using var child = Process.Start(info)!;
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"engine-scan-cold-run exited with {child.ExitCode}");
    }

    /// <summary>The stream and rows run-pg-compare.sh loads (WireTarget.EventRow's lines, fixed seed), through
    /// COPY's text-field path.</summary>
    private static async Task LoadCompareEventsAsync(EngineSession session, int rows)
    {
        await (await session.ExecuteAsync("CREATE STREAM events (ts TIMESTAMP, user_id INT KEY, page STRING, "
            + "amount DOUBLE) WITH (PARTITIONS = 4, TIMESTAMP = 'ts')")).DisposeAsync();
        var random = new Random(42);
        var line = new char[256];
        var fields = new string?[4];
        const int Chunk = 200_000;
        for (var start = 0; start < rows; start += Chunk)
        {
            await using var bulk = session.BeginBulkInsert("events");
            for (var i = start; i < Math.Min(rows, start + Chunk); i++)
            {
                var rest = line.AsSpan(0, Server.WireTarget.EventRow(line, i, rows, random) - 1);   // no newline
                for (var f = 0; f < fields.Length; f++)
                {
                    var tab = rest.IndexOf('\t');
                    fields[f] = new string(tab < 0 ? rest : rest[..tab]);
                    rest = tab < 0 ? default : rest[(tab + 1)..];
                }
                bulk.AddTextRow(fields);
            }
            await bulk.CommitAsync();
        }
    }

    /// <summary>Opens the engine on <paramref name="dataDirectory"/> and times the query <paramref name="runs"/>
    /// times, one line each, then the sums of the first 8 runs and the median of the rest.</summary>
    public static async Task ScanColdRunAsync(string dataDirectory, int runs)
    {
        var sql = Environment.GetEnvironmentVariable("BENCH_SCAN_SQL") is { Length: > 0 } text ? text : ColdScanSql;
        var open = Stopwatch.StartNew();
        await using var engine = QueryEngine.Open(ColdOptions(dataDirectory));
        var session = engine.CreateSession();
        Console.WriteLine($"engine opened in {open.Elapsed.TotalMilliseconds:F0} ms; `{sql}`");
        Console.WriteLine();
        Console.WriteLine("| run | rows out | time | process CPU |");
        Console.WriteLine("|---:|---:|---:|---:|");
        var walls = new double[runs];
        var cpus = new double[runs];
        for (var run = 0; run < runs; run++)
        {
            var (count, elapsed, cpu, _) = await DrainTimedAsync(session, sql);
            walls[run] = elapsed.TotalMilliseconds;
            cpus[run] = cpu.TotalMilliseconds;
            Console.WriteLine($"| {run + 1} | {count:N0} | {walls[run]:F1} ms | {cpus[run]:F1} ms |");
        }
        const int First = 8;
        var head = Math.Min(First, runs);
        Console.WriteLine();
        Console.WriteLine($"first {head} runs: {Sum(walls, 0, head):F0} ms, CPU {Sum(cpus, 0, head):F0} ms; "
            + (runs > head ? $"runs {head + 1}-{runs}: median {Median(walls, head):F1} ms, CPU median "
                + $"{Median(cpus, head):F1} ms, best {Best(cpus, head):F1} ms" : "no later runs"));
    }

    private static EngineOptions ColdOptions(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        QueryScanWorkers = Math.Clamp(Environment.ProcessorCount, 1, 4),   // the server's defaults
        ScanCacheBytes = 512L << 20,
    };

    private static double Sum(double[] values, int start, int end)
    {
        var sum = 0.0;
        for (var i = start; i < end; i++)
            sum += values[i];
        return sum;
    }

    private static double Median(double[] values, int start)
    {
        var rest = values[start..];
        Array.Sort(rest);
        return rest[rest.Length / 2];
    }

    private static double Best(double[] values, int start)
    {
        var best = double.MaxValue;
        for (var i = start; i < values.Length; i++)
            best = Math.Min(best, values[i]);
        return best;
    }
}
