using System.Diagnostics;
using System.Globalization;
using Query.Engine;
using Query.PgWire.Copy;
using Query.PgWire.Protocol;
using Query.Server;
using Query.Testing;

namespace Query.Benchmarks.Server;

/// <summary>
/// `bench copy-parse [--rows N] [--runs R] [--parallelism P] [--text]`: the server's COPY FROM STDIN path without
/// a socket. The `events` rows of `bench events-file --csv` (fixed seed, generated in memory before the clock
/// starts) are fed in 8 KiB pieces, as psql's `\copy` sends them, to the wire's COPY parser and the server's
/// sink into a 4-partition stream keyed by user_id with TIMESTAMP = 'ts' (run-pg-compare.sh's stream); each run
/// commits (staged append, fdatasync) into a stream of its own. Prints per run wall time, rows/s and the
/// process's CPU time per row, after one warm-up run on a tenth of the rows.
/// </summary>
internal static class CopyParseBench
{
    private const int PieceBytes = 8192;

    public static int Run(string[] args)
    {
        var rows = IntArg(args, "--rows", 2_000_000);
        var runs = IntArg(args, "--runs", 3);
        var parallelism = IntArg(args, "--parallelism", 1);
        var csv = Array.IndexOf(args, "--text") < 0;
        var data = Generate(rows, csv);
        var tenth = data.AsSpan(0, data.AsSpan(0, data.Length / 10).LastIndexOf((byte)'\n') + 1).ToArray();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {rows:N0} rows, "
            + $"{data.Length:N0} bytes of {(csv ? "CSV" : "text")}; parallelism {parallelism}; "
            + $"load {File.ReadAllText("/proc/loadavg").Trim()}");
        using var directory = new TempDirectory("query-copy-parse-bench");
        var engine = QueryEngine.Open(new ServerSettings { DataDirectory = directory.Path }.ToEngineOptions());
        try
        {
            var session = engine.CreateSession();
            var options = new CopyOptions { Format = csv ? CopyFormat.Csv : CopyFormat.Text };
            Copy(session, "WARM", tenth, options, parallelism);
            Console.WriteLine("| run | rows/s | wall ms | CPU ms | CPU us/row |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            for (var run = 1; run <= runs; run++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var wall = Copy(session, "EVENTS" + run, data, options, parallelism);
                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {run} | {rows / wall.TotalSeconds:N0} | {wall.TotalMilliseconds:N0} | "
                    + $"{cpu.TotalMilliseconds:N0} | {cpu.TotalMilliseconds * 1000 / rows:N3} |"));
            }
        }
        finally
        {
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return 0;
    }

    private static TimeSpan Copy(EngineSession session, string stream, byte[] data, CopyOptions options,
        int parallelism)
    {
        session.ExecuteAsync($"CREATE STREAM {stream} (ts TIMESTAMP, user_id INT KEY, page STRING, amount DOUBLE) "
            + "WITH (PARTITIONS = 4, TIMESTAMP = 'ts')").AsTask().GetAwaiter().GetResult()
            .DisposeAsync().AsTask().GetAwaiter().GetResult();
        var stopwatch = Stopwatch.StartNew();
        var sink = new WireCopySink(session.BeginBulkInsert(stream, ["ts", "user_id", "page", "amount"]));
        try
        {
            using (var parser = new CopyInParser(options, sink, stream, 1 << 30, parallelism))
            {
                for (var at = 0; at < data.Length; at += PieceBytes)
                    parser.Feed(data.AsSpan(at, Math.Min(PieceBytes, data.Length - at)));
                parser.Finish();
            }
            var committed = sink.CommitAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (committed != data.AsSpan().Count((byte)'\n'))
                throw new InvalidOperationException($"{stream}: committed {committed} rows");
        }
        finally
        {
            sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return stopwatch.Elapsed;
    }

    private static byte[] Generate(int rows, bool csv)
    {
        var output = new MemoryStream(rows * 100);
        EventsFile.Write(output, rows, csv);
        return output.ToArray();
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
