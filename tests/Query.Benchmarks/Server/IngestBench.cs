using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Query.Engine;
using Query.Server;
using Query.Testing;

namespace Query.Benchmarks.Server;

/// <summary>
/// `bench ingest [--rows N]`: COPY ingest of bench-data.md's `events` rows, split so each layer's cost shows:
/// the engine's bulk API alone (strings per field as before, and UTF-8 spans), then COPY over the wire in
/// text, CSV and binary with the rows generated before the clock starts, so the client costs little.
/// </summary>
internal static class IngestBench
{
    private const string Columns = "(ts TIMESTAMP, user_id INT, page STRING, amount DOUBLE)";

    public static int Run(string[] args)
    {
        var at = Array.IndexOf(args, "--rows");
        var rows = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 1_000_000;
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {rows:N0} rows");
        var text = Generate(rows, '\t');
        var csv = Generate(rows, ',');
        using var data = new TempDirectory("query-ingest-bench");
        var server = QueryServer.StartAsync(new ServerSettings { DataDirectory = data.Path, Port = 0 })
            .GetAwaiter().GetResult();
        try
        {
            EngineOnly(text, rows, data.Path);
            var connection = $"Host=127.0.0.1;Port={server.EndPoint.Port};Username=query;Database=query;"
                + "Timeout=60;Command Timeout=600";
            Report("COPY text over the wire", rows, () => CopyText(connection, "events_text", "", text));
            Report("COPY csv over the wire", rows, () => CopyText(connection, "events_csv", " WITH (FORMAT csv)", csv));
            Report("COPY binary over the wire", rows, () => CopyBinary(connection, rows));
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return 0;
    }

    private static void EngineOnly(byte[] text, int rows, string directory)
    {
        var engine = QueryEngine.Open(new Query.Engine.EngineOptions { DataDirectory = Path.Combine(directory, "e") });
        try
        {
            var session = engine.CreateSession();
            foreach (var name in new[] { "WARM_STRINGS", "WARM_SPANS", "STRINGS", "SPANS" })
                session.ExecuteAsync($"CREATE STREAM {name} {Columns}").AsTask().GetAwaiter().GetResult()
                    .DisposeAsync().AsTask().GetAwaiter().GetResult();
            // Both paths run once on a tenth of the rows first, so neither pays for JIT tiering in its figure.
            var tenth = text.AsSpan(0, text.AsSpan(0, text.Length / 10).LastIndexOf((byte)'\n') + 1).ToArray();
            Bulk(session, "WARM_STRINGS", tenth, spans: false);
            Bulk(session, "WARM_SPANS", tenth, spans: true);
            Report("engine BulkInsert.AddTextRow(string[])", rows, () => Bulk(session, "STRINGS", text, spans: false));
            Report("engine BulkInsert.SetText(UTF-8 span)", rows, () => Bulk(session, "SPANS", text, spans: true));
        }
        finally
        {
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void Report(string name, int rows, Func<TimeSpan> run)
    {
        var elapsed = run();
        Console.WriteLine($"| {name} | {rows / elapsed.TotalSeconds:N0} rows/s | {elapsed.TotalMilliseconds:N0} ms |");
    }

    /// <summary>Adds every line (add time) then commits; the time includes the commit.</summary>
    private static TimeSpan Bulk(EngineSession session, string stream, byte[] text, bool spans)
    {
        var stopwatch = Stopwatch.StartNew();
        var insert = session.BeginBulkInsert(stream);
        var fields = new string?[4];
        var starts = new int[5];
        var at = 0;
        while (at < text.Length)
        {
            var end = at + text.AsSpan(at).IndexOf((byte)'\n');
            var field = 0;
            starts[0] = at;
            for (var i = at; i < end; i++)
            {
                if (text[i] == (byte)'\t')
                    starts[++field] = i + 1;
            }
            starts[4] = end + 1;
            if (spans)
                insert.BeginRow();
            for (var f = 0; f < 4; f++)
            {
                var span = text.AsSpan(starts[f], starts[f + 1] - starts[f] - 1);
                if (spans)
                    insert.SetText(f, span);
                else
                    fields[f] = Encoding.UTF8.GetString(span);
            }
            if (spans)
                insert.EndRow();
            else
                insert.AddTextRow(fields);
            at = end + 1;
        }
        var added = stopwatch.Elapsed;
        insert.CommitAsync().AsTask().GetAwaiter().GetResult();
        insert.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var commit = stopwatch.Elapsed - added;
        Console.WriteLine($"({stream}: add {added.TotalMilliseconds:N0} ms, commit {commit.TotalMilliseconds:N0} ms)");
        return stopwatch.Elapsed;
    }

    private static TimeSpan CopyText(string connectionString, string table, string with, byte[] data)
    {
        using var conn = new NpgsqlConnection(connectionString);
        conn.Open();
        new NpgsqlCommand($"CREATE STREAM {table} {Columns}", conn).ExecuteNonQuery();
        var chars = Encoding.UTF8.GetChars(data);
        var stopwatch = Stopwatch.StartNew();
        using (var writer = conn.BeginTextImport($"COPY {table} FROM STDIN{with}"))
        {
            for (var at = 0; at < chars.Length; at += 65536)
                writer.Write(chars, at, Math.Min(65536, chars.Length - at));
        }
        return stopwatch.Elapsed;
    }

    private static TimeSpan CopyBinary(string connectionString, int rows)
    {
        using var conn = new NpgsqlConnection(connectionString);
        conn.Open();
        new NpgsqlCommand($"CREATE STREAM events_binary {Columns}", conn).ExecuteNonQuery();
        var random = new Random(42);
        var pages = Pages();
        var stopwatch = Stopwatch.StartNew();
        using (var writer = conn.BeginBinaryImport("COPY events_binary FROM STDIN (FORMAT binary)"))
        {
            for (var i = 0; i < rows; i++)
            {
                writer.StartRow();
                writer.Write(Timestamp(i, rows, random), NpgsqlDbType.Timestamp);
                writer.Write(random.Next(1, 1_000_001), NpgsqlDbType.Integer);
                writer.Write(pages[random.Next(pages.Length)], NpgsqlDbType.Text);
                writer.Write(random.Next(0, 100_000) / 100.0, NpgsqlDbType.Double);
            }
            writer.Complete();
        }
        return stopwatch.Elapsed;
    }

    /// <summary>bench-data.md's rows as COPY lines, the same fixed seed every run.</summary>
    private static byte[] Generate(int rows, char delimiter)
    {
        var random = new Random(42);
        var pages = Pages();
        var output = new MemoryStream(rows * 100);
        var line = new StringBuilder(128);
        for (var i = 0; i < rows; i++)
        {
            line.Clear()
                .Append(CultureInfo.InvariantCulture, $"{Timestamp(i, rows, random):yyyy-MM-dd HH:mm:ss.fff}")
                .Append(delimiter)
                .Append(random.Next(1, 1_000_001)).Append(delimiter).Append(pages[random.Next(pages.Length)])
                .Append(delimiter).Append((random.Next(0, 100_000) / 100.0).ToString(CultureInfo.InvariantCulture))
                .Append('\n');
            output.Write(Encoding.UTF8.GetBytes(line.ToString()));
        }
        return output.ToArray();
    }

    private static string[] Pages() => Enumerable.Range(0, 1000)
        .Select(p => $"/shop/category-{p / 100:D2}/subcategory-{p / 10 % 10}/product-{p:D4}/details")
        .ToArray();

    private static DateTime Timestamp(int i, int rows, Random random) =>
        new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified)
            .AddMilliseconds(86_400_000.0 * i / rows + random.Next(-500, 501));
}
