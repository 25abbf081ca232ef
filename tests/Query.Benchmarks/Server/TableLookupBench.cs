using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Query.Engine;
using Query.Server;
using Query.Testing;

namespace Query.Benchmarks.Server;

/// <summary>
/// `bench table-lookup [--keys N] [--seconds S] [--pg CONNECTION]`: a pull query by PRIMARY KEY on a table of N
/// keys (1 million by default). In process: the engine's prepared `SELECT ... WHERE id = $1` (bind, plan, key
/// lookup in the materialized state, read the row), latency per query. Over the wire: the same statement through
/// Npgsql (prepared, one connection, random keys) against our server and, with --pg, against PostgreSQL 15 on a
/// table with the same rows and a PRIMARY KEY, in the same run; p50/p99 and queries/s, and the ratio.
/// </summary>
internal static class TableLookupBench
{
    private const string Select = "SELECT id, name, amount FROM lookup_t WHERE id = $1";

    public static int Run(string[] args)
    {
        var keys = IntOption(args, "--keys", 1_000_000);
        var seconds = IntOption(args, "--seconds", 5);
        var pg = StringOption(args, "--pg");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, load "
            + $"{File.ReadAllText("/proc/loadavg").Split(' ')[0]}; {keys:N0} keys");
        using var data = new TempDirectory("query-table-bench");
        var server = QueryServer.StartAsync(new ServerSettings { DataDirectory = data.Path, Port = 0 })
            .GetAwaiter().GetResult();
        var results = new List<string>();
        try
        {
            var ours = $"Host=127.0.0.1;Port={server.EndPoint.Port};Username=query;Database=query;Timeout=60;"
                + "Command Timeout=600";
            Load(ours, keys, isPostgres: false);
            var build = Stopwatch.StartNew();
            FirstQuery(ours);   // the first read applies the whole changelog to the state
            results.Add($"| state built from the changelog ({keys:N0} records), first query | "
                + $"{build.Elapsed.TotalSeconds:F2} s | |");
            Profile(server.Engine, keys);
            var (p50, p99, rate) = InProcess(server.Engine, keys, seconds);
            results.Add($"| in process: engine pull by key, p50 / p99, queries/s | {p50:F3} / {p99:F3} ms, "
                + $"{rate:N0}/s | |");
            var (statP50, statP99, statRate) = StateOnly(server.Engine, keys, seconds);
            results.Add($"| in process: state lookup alone, p50 / p99, lookups/s | {statP50:F4} / {statP99:F4} ms, "
                + $"{statRate:N0}/s | |");
            var q = WireLookups(ours, keys, seconds);
            var p = pg is null ? default : PostgresLookups(pg, keys, seconds);
            results.Add($"| over the wire (Npgsql, prepared, 1 connection): p50 / p99, queries/s | {Format(q)} | "
                + (pg is null ? "not run" : $"{Format(p)} | ratio p99 {q.P99 / p.P99:F2}x, rate {p.Rate / q.Rate:F2}x"));
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        Console.WriteLine();
        Console.WriteLine("| operation | Query | PostgreSQL 15 | Query / PostgreSQL |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var line in results)
            Console.WriteLine(line);
        return 0;
    }

    private static string Format((double P50, double P99, double Rate) r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.P50:F3} / {r.P99:F3} ms, {r.Rate:N0}/s");

    private static (double P50, double P99, double Rate) PostgresLookups(string connectionString, int keys,
        int seconds)
    {
        Load(connectionString, keys, isPostgres: true);
        return WireLookups(connectionString, keys, seconds);
    }

    /// <summary>Creates lookup_t and fills it with `keys` rows by text COPY (ids 0..keys-1 in a shuffled order).
    /// </summary>
    private static void Load(string connectionString, int keys, bool isPostgres)
    {
        using var conn = new NpgsqlConnection(connectionString);
        conn.Open();
        Execute(conn, isPostgres
            ? "DROP TABLE IF EXISTS lookup_t; CREATE TABLE lookup_t (id BIGINT PRIMARY KEY, name TEXT, amount FLOAT8)"
            : "CREATE TABLE lookup_t (id BIGINT PRIMARY KEY, name STRING, amount DOUBLE) WITH (PARTITIONS = 4)");
        var random = new Random(5);
        var stopwatch = Stopwatch.StartNew();
        using (var writer = conn.BeginTextImport("COPY lookup_t (id, name, amount) FROM STDIN"))
        {
            var line = new StringBuilder();
            for (var i = 0; i < keys; i++)
            {
                // A permutation of 0..keys-1 (2654435761 is prime), so keys arrive in no particular order.
                var id = (long)((ulong)i * 2654435761UL % (ulong)keys);
                line.Clear().Append(id).Append("\tuser ").Append(id).Append('\t')
                    .Append((random.Next(0, 100_000) / 100.0).ToString(CultureInfo.InvariantCulture)).Append('\n');
                writer.Write(line.ToString());
            }
        }
        if (isPostgres)
            Execute(conn, "VACUUM ANALYZE lookup_t");
        Console.WriteLine($"{(isPostgres ? "PostgreSQL" : "Query")}: loaded {keys:N0} rows in "
            + $"{stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    private static void FirstQuery(string connectionString)
    {
        using var conn = new NpgsqlConnection(connectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand("SELECT id FROM lookup_t WHERE id = 0", conn);
        if (cmd.ExecuteScalar() is not long)
            throw new InvalidOperationException("key 0 not found");
    }

    private static (double P50, double P99, double Rate) WireLookups(string connectionString, int keys,
        int seconds)
    {
        using var conn = new NpgsqlConnection(connectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand(Select, conn);
        var parameter = new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint };
        cmd.Parameters.Add(parameter);
        cmd.Prepare();
        var random = new Random(9);
        return Measure(seconds, () =>
        {
            parameter.TypedValue = random.Next(0, keys);
            using var reader = cmd.ExecuteReader();
            if (!reader.Read() || reader.GetInt64(0) != parameter.TypedValue)
                throw new InvalidOperationException($"key {parameter.TypedValue} not found");
        });
    }

    private static (double P50, double P99, double Rate) InProcess(QueryEngine engine, int keys, int seconds)
    {
        var session = engine.CreateSession();
        var prepared = session.Prepare(Select);
        var random = new Random(11);
        var parameters = new object?[1];
        return Measure(seconds, () =>
        {
            parameters[0] = (long)random.Next(0, keys);
            var result = session.ExecuteAsync(prepared, parameters).AsTask().GetAwaiter().GetResult();
            try
            {
                if (!result.Rows!.ReadAsync().AsTask().GetAwaiter().GetResult())
                    throw new InvalidOperationException($"key {parameters[0]} not found");
            }
            finally
            {
                result.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
    }

    private static void Profile(QueryEngine engine, int keys)
    {
        var session = engine.CreateSession();
        var query = ((Grammar.Ast.QueryStatement)Grammar.SqlParser.Parse(Select)[0]).Query;
        var random = new Random(1);
        var parse = Measure(2, () => Grammar.SqlParser.Parse(Select));
        var plan = Measure(2, () => session.PlanSelect(query, new Engine.Binding.ParameterTypes(),
            [(long)random.Next(0, keys)]));
        var bound = session.PlanSelect(query, new Engine.Binding.ParameterTypes(), [5L]);
        var compile = Measure(2, () => new Engine.Execution.Operators.CompiledQuery(bound, TimeProvider.System));
        Console.WriteLine($"per-execution costs a prepared lookup avoids, p50/p99 ms: parse {parse.P50:F4}/{parse.P99:F4} plan {plan.P50:F4}/{plan.P99:F4} "
            + $"compile {compile.P50:F4}/{compile.P99:F4}");
    }

    /// <summary>The state's own cost: encode the key, look it up, copy the row into a batch.</summary>
    private static (double P50, double P99, double Rate) StateOnly(QueryEngine engine, int keys, int seconds)
    {
        var table = engine.GetStream("lookup_t", null);
        var batch = new Engine.Execution.Operators.RecordBatch(16, 1 << 16, table.CreateCursor());
        var random = new Random(13);
        return Measure(seconds, () =>
        {
            batch.Clear();
            var key = Engine.Execution.KeyEncoding.EncodeKeyValue(table,
                Engine.Types.Cell.FromObject((long)random.Next(0, keys), Engine.Types.SqlType.BigInt))!;
            if (!table.Table!.Lookup(key, batch))
                throw new InvalidOperationException("key not found");
        });
    }

    private static (double P50, double P99, double Rate) Measure(int seconds, Action run)
    {
        for (var i = 0; i < 2000; i++)
            run();
        var latencies = new List<double>(1 << 20);
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        var rate = latencies.Count / total.Elapsed.TotalSeconds;
        latencies.Sort();
        return (latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], rate);
    }

    private static void Execute(NpgsqlConnection conn, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length
            ? int.Parse(args[i + 1].Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
            : fallback;
    }

    private static string? StringOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
