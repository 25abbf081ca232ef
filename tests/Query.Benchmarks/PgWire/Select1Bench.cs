using System.Diagnostics;
using Npgsql;
using Query.PgWire;
using Query.PgWire.Types;

namespace Query.Benchmarks.PgWire;

/// <summary>SELECT 1 round trips on one connection: unprepared (Parse/Bind/Execute each time) and prepared.</summary>
internal static class Select1Bench
{
    public static int Run(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
        string? reference = args.Length > 1 ? args[1] : null;   // e.g. a local PostgreSQL 15 to compare with
        return RunAsync(TimeSpan.FromSeconds(seconds), reference).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(TimeSpan duration, string? reference)
    {
        await using var server = new PgServer(new PgServerOptions { Port = 0 }, new Select1SessionFactory());
        await server.StartAsync();
        var cs = $"Host=127.0.0.1;Port={server.EndPoint!.Port};Username=bench;Database=bench;Max Auto Prepare=0";
        Console.WriteLine("| server | mode | round trips | seconds | round trips/s |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (bool prepared in new[] { false, true })
        {
            await MeasureAsync("Query.PgWire", cs, prepared, duration);
            if (reference is not null)
                await MeasureAsync("reference", reference, prepared, duration);
        }
        await server.StopAsync();
        return 0;
    }

    private static async Task MeasureAsync(string name, string cs, bool prepared, TimeSpan duration)
    {
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT 1", conn);
            if (prepared)
                await cmd.PrepareAsync();
            for (int i = 0; i < 2000; i++)
                await cmd.ExecuteScalarAsync();   // warm-up
            var clock = Stopwatch.StartNew();
            long count = 0;
            while (clock.Elapsed < duration)
            {
                for (int i = 0; i < 100; i++)
                {
                    if ((int)(await cmd.ExecuteScalarAsync())! != 1)
                        throw new InvalidOperationException("wrong answer");
                }
                count += 100;
            }
            double elapsed = clock.Elapsed.TotalSeconds;
            string mode = prepared ? "prepared" : "unprepared";
            Console.WriteLine($"| {name} | {mode} | {count} | {elapsed:F1} | {count / elapsed:F0} |");
        }
    }

    private sealed class Select1SessionFactory : IPgSessionFactory
    {
        public ValueTask<IPgSession> OpenSessionAsync(PgSessionContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IPgSession>(new Select1Session());
    }

    /// <summary>Answers only <c>SELECT 1</c>, so the measurement is the wire layer and the client.</summary>
    private sealed class Select1Session : IPgSession, IPgStatement
    {
        private static readonly PgColumn[] OneColumn = [new("?column?", PgTypeOid.Int4)];

        public IReadOnlyList<int> ParameterTypeOids => [];
        public IReadOnlyList<PgColumn>? Columns => OneColumn;

        public IReadOnlyList<PgStatementText> SplitStatements(string sql) => PgSqlSplitter.Split(sql);

        public IPgStatement Prepare(string sql, ReadOnlySpan<int> parameterTypeOids) =>
            sql.Trim().Equals("SELECT 1", StringComparison.OrdinalIgnoreCase)
                ? this
                : throw PgException.FeatureNotSupported(sql);

        public ValueTask<IPgResult> ExecuteAsync(PgValues parameters, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IPgResult>(new OneRow());

        public IPgCopySink OpenCopyIn(string relation, IReadOnlyList<string>? columns) =>
            throw PgException.FeatureNotSupported("COPY");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class OneRow : IPgResult
    {
        private bool _done;

        public string CommandTag => "SELECT 1";

        public int WriteRows(PgRowWriter writer, int maxRows)
        {
            if (_done || maxRows == 0)
                return 0;
            writer.BeginRow();
            writer.WriteInt32(1);
            writer.EndRow();
            _done = true;
            return 1;
        }

        public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
