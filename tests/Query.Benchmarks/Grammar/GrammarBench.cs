using System.Diagnostics;
using System.Globalization;
using Query.Grammar;

namespace Query.Benchmarks;

/// <summary>
/// <c>bench grammar-parse [seconds]</c>: parses a typical 200-character SELECT on one thread for a fixed time
/// after a warm-up and prints statements per second. Target (issue 3): over 50,000 statements/s on one core.
/// </summary>
internal static partial class BenchRegistry
{
    static partial void RegisterGrammar() => BenchCommands.Register("grammar-parse", GrammarBench.Run);
}

internal static class GrammarBench
{
    /// <summary>A push query of typical shape and length (about 200 characters).</summary>
    public const string TypicalSelect =
        "SELECT o.order_id, o.customer_id, UCASE(c.name) AS name, o.amount * 1.2 AS gross FROM orders o " +
        "JOIN customers c ON o.customer_id = c.id WHERE o.amount > 100 AND o.status IN ('NEW', 'PAID') EMIT CHANGES";

    /// <summary>A DDL statement, for comparison.</summary>
    public const string TypicalCreate =
        "CREATE STREAM pageviews (user_id BIGINT KEY, page STRING, ts TIMESTAMP, tags ARRAY<STRING>) " +
        "WITH (kafka_topic = 'pageviews', value_format = 'JSON', partitions = 4)";

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        // Wall-clock rate suffers when other processes share the cores; the CPU-time rate (process CPU time
        // of this single-threaded loop) is the figure for "statements per second on one core".
        Console.WriteLine("| statement | chars | statements/s (wall) | statements/s (per CPU second) | " +
            "µs CPU/statement | allocated/statement |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Measure("typical SELECT", TypicalSelect, seconds);
        Measure("CREATE STREAM", TypicalCreate, seconds);
        return 0;
    }

    private static void Measure(string label, string sql, double seconds)
    {
        for (var i = 0; i < 20_000; i++)
            SqlParser.Parse(sql);
        var count = 0L;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var budget = TimeSpan.FromSeconds(seconds);
        while (stopwatch.Elapsed < budget)
        {
            for (var i = 0; i < 1000; i++)
                SqlParser.Parse(sql);
            count += 1000;
        }
        stopwatch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var wallRate = count / stopwatch.Elapsed.TotalSeconds;
        var cpuRate = count / cpu.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {sql.Length} | {wallRate:N0} | {cpuRate:N0} | {1e6 / cpuRate:F1} | " +
            $"{allocated / count:N0} B |"));
    }
}
