using System.Globalization;
using Query.Server;
using Query.Testing;

namespace Query.Benchmarks.Server;

/// <summary>
/// `bench wire [--rows N] [--pg CONNECTION]`: the wire-level figures of issue 5 through Npgsql, against an
/// in-process Query server and, with --pg, against a PostgreSQL server on the same machine and client.
/// </summary>
internal static class WireBench
{
    public static int Run(string[] args)
    {
        var rows = IntOption(args, "--rows", 1_000_000);
        var pg = StringOption(args, "--pg");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        var results = new List<(string Name, string Query, string Postgres)>();
        using var data = new TempDirectory("query-bench");
        var server = QueryServer.StartAsync(new ServerSettings { DataDirectory = data.Path, Port = 0 })
            .GetAwaiter().GetResult();
        try
        {
            var ours = new WireTarget("Query", $"Host=127.0.0.1;Port={server.EndPoint.Port};Username=query;Database=query;Maximum Pool Size=200;Timeout=60;Command Timeout=600", isPostgres: false);
            var theirs = pg is null ? null : new WireTarget("PostgreSQL", pg + ";Maximum Pool Size=200;Command Timeout=600", isPostgres: true);
            Measure(results, "COPY FROM STDIN (text), rows/s", rows, ours, theirs, (t, n) => t.CopyIn(n));
            Measure(results, "COPY FROM STDIN (text), rows/s, PostgreSQL with a btree index on ts", rows, ours,
                theirs, (t, n) => t.CopyIn(n, indexTs: true));
            Measure(results, "INSERT, 1,000 rows per statement, rows/s", 100_000, ours, theirs, (t, n) => t.BatchedInsert(n));
            Measure(results, "SELECT 1 round trips/s, one connection", 3, ours, theirs, (t, s) => t.SelectOne(s));
            Measure(results, "pull queries/s, 100 connections", 5, ours, theirs, (t, s) => t.ConcurrentPull(100, s));
            var (p50, p99) = ours.PushLatency(5, 10_000);
            results.Add(("push delivery latency p50 / p99 at 10k rows/s ingest", $"{p50:F2} ms / {p99:F2} ms", "n/a (no push queries)"));
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        Console.WriteLine();
        Console.WriteLine("| operation | Query | PostgreSQL |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, query, postgres) in results)
            Console.WriteLine($"| {name} | {query} | {postgres} |");
        return 0;
    }

    private static void Measure(List<(string, string, string)> results, string name, int size, WireTarget ours,
        WireTarget? theirs, Func<WireTarget, int, double> run)
    {
        var a = run(ours, size);
        var b = theirs is null ? double.NaN : run(theirs, size);
        Console.WriteLine($"{name}: Query {a:N0}" + (theirs is null ? "" : $", PostgreSQL {b:N0}"));
        results.Add((name, a.ToString("N0", CultureInfo.InvariantCulture),
            double.IsNaN(b) ? "not run" : b.ToString("N0", CultureInfo.InvariantCulture)));
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var text = StringOption(args, name);
        return text is null ? fallback : int.Parse(text.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    private static string? StringOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

