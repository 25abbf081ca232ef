using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Query.Benchmarks.Server;

/// <summary>One server under test, reached through Npgsql; DDL is spelled per dialect, the rest is shared.</summary>
internal sealed class WireTarget
{
    private readonly string _connectionString;
    private readonly bool _isPostgres;
    private int _tableNumber;

    public WireTarget(string name, string connectionString, bool isPostgres)
    {
        Name = name;
        _connectionString = connectionString;
        _isPostgres = isPostgres;
    }

    public string Name { get; }

    /// <summary>
    /// COPY of generated `events` rows (bench-data.md's shape) in text format; returns rows/s. With
    /// <paramref name="indexTs"/>, PostgreSQL gets a btree index on ts first, as bench-data.md measured it; our
    /// log keeps its time index always, so the flag changes nothing on our side.
    /// </summary>
    public double CopyIn(int rows, bool indexTs = false)
    {
        using var conn = Open();
        var table = CreateEvents(conn);
        if (indexTs && _isPostgres)
            Execute(conn, $"CREATE INDEX ON {table} (ts)");
        // The rows are formatted before the clock starts and written in 64 KiB pieces, so the client (in this
        // process, on the same two cores) spends as little of the measured time as it can: encoding and sending.
        var (text, length) = EventRows(rows);
        var stopwatch = Stopwatch.StartNew();
        using (var writer = conn.BeginTextImport($"COPY {table} (ts, user_id, page, amount) FROM STDIN"))
        {
            for (var at = 0; at < length; at += 65536)
                writer.Write(text, at, Math.Min(65536, length - at));
        }
        return rows / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Multi-row INSERT statements of 1,000 rows each; returns rows/s.</summary>
    public double BatchedInsert(int rows)
    {
        using var conn = Open();
        var table = CreateEvents(conn);
        var random = new Random(7);
        var sql = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        for (var done = 0; done < rows; done += 1000)
        {
            sql.Clear().Append("INSERT INTO ").Append(table).Append(" (ts, user_id, page, amount) VALUES ");
            for (var i = 0; i < 1000; i++)
            {
                var n = done + i;
                sql.Append(i == 0 ? "(" : ", (")
                    .Append(CultureInfo.InvariantCulture, $"TIMESTAMP '{Timestamp(n, rows, random):yyyy-MM-dd HH:mm:ss.fff}', ")
                    .Append(CultureInfo.InvariantCulture, $"{random.Next(1, 1_000_001)}, '{Page(random)}', ")
                    .Append(CultureInfo.InvariantCulture, $"{random.Next(0, 100_000) / 100.0})");
            }
            using var cmd = new NpgsqlCommand(sql.ToString(), conn);
            cmd.ExecuteNonQuery();
        }
        return rows / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>`SELECT 1` round trips on one connection for the given seconds; returns round trips/s.</summary>
    public double SelectOne(int seconds)
    {
        using var conn = Open();
        using var cmd = new NpgsqlCommand("SELECT 1", conn);
        for (var i = 0; i < 200; i++)
            cmd.ExecuteScalar();
        var count = 0;
        var stopwatch = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(seconds);
        while (stopwatch.Elapsed < limit)
        {
            cmd.ExecuteScalar();
            count++;
        }
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Connections each running a small filtered pull query in a loop; returns queries/s in total.</summary>
    public double ConcurrentPull(int connections, int seconds)
    {
        string table;
        using (var conn = Open())
        {
            table = CreateEvents(conn);
            using var cmd = new NpgsqlCommand(
                $"INSERT INTO {table} (ts, user_id, page, amount) VALUES " + string.Join(", ",
                    Enumerable.Range(0, 1000).Select(i => $"(TIMESTAMP '2024-01-01 00:00:00', {i}, '/p{i % 10}', {i})")), conn);
            cmd.ExecuteNonQuery();
        }
        long total = 0;
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            await using var conn = new NpgsqlConnection(_connectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"SELECT user_id, amount FROM {table} WHERE user_id < 10", conn);
            while (DateTime.UtcNow < stop)
            {
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
                Interlocked.Increment(ref total);
            }
        })).ToArray();
        Task.WaitAll(workers);
        return total / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// A push query over a stream that an inserter feeds at <paramref name="rowsPerSecond"/> in 100-row statements;
    /// each row carries its send time, so the reader measures INSERT-acknowledged-to-delivered latency.
    /// </summary>
    public (double P50Ms, double P99Ms) PushLatency(int seconds, int rowsPerSecond)
    {
        using var setup = Open();
        var table = NextTable("ticks");
        Execute(setup, $"CREATE STREAM {table} (sent BIGINT, n INT)");
        var expected = seconds * rowsPerSecond;
        var latencies = new double[expected];
        using var reader = Open();
        // The stream is new, so replaying from the earliest offset loses nothing that the writer sends before the
        // query is registered; Npgsql's ExecuteReader only returns once the first row arrives.
        Execute(reader, "SET 'auto.offset.reset' = 'earliest'");
        using var cmd = new NpgsqlCommand($"SELECT sent FROM {table} EMIT CHANGES LIMIT {expected}", reader);
        var writer = Task.Run(() => Ingest(table, seconds, rowsPerSecond));
        using var rows = cmd.ExecuteReader();
        var received = 0;
        while (rows.Read())
            latencies[received++] = Stopwatch.GetElapsedTime(rows.GetInt64(0)).TotalMilliseconds;
        writer.GetAwaiter().GetResult();
        Array.Sort(latencies, 0, received);
        return (latencies[received / 2], latencies[(int)(received * 0.99)]);
    }

    private void Ingest(string table, int seconds, int rowsPerSecond)
    {
        using var conn = Open();
        var statements = seconds * rowsPerSecond / 100;
        var interval = TimeSpan.FromSeconds(1.0 * seconds / statements);
        var start = Stopwatch.StartNew();
        var sql = new StringBuilder();
        for (var s = 0; s < statements; s++)
        {
            while (start.Elapsed < interval * s)
                Thread.SpinWait(50);
            sql.Clear().Append("INSERT INTO ").Append(table).Append(" (sent, n) VALUES ");
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < 100; i++)
                sql.Append(i == 0 ? "(" : ", (").Append(now).Append(", ").Append(i).Append(')');
            using var cmd = new NpgsqlCommand(sql.ToString(), conn);
            cmd.ExecuteNonQuery();
        }
    }

    private NpgsqlConnection Open()
    {
        var conn = new NpgsqlConnection(_connectionString);
        conn.Open();
        return conn;
    }

    private string CreateEvents(NpgsqlConnection conn)
    {
        var table = NextTable("events");
        Execute(conn, _isPostgres
            ? $"CREATE TABLE {table} (ts timestamp, user_id int, page text, amount float8)"
            : $"CREATE STREAM {table} (ts TIMESTAMP, user_id INT, page STRING, amount DOUBLE)");
        return table;
    }

    private string NextTable(string prefix) =>
        $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _tableNumber)}";

    private static void Execute(NpgsqlConnection conn, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }

    /// <summary>All `events` rows as COPY text, the same fixed seed every call.</summary>
    private static (char[] Text, int Length) EventRows(int rows)
    {
        // A line is at most 92 characters; past ~19 M rows the array limit is reached and this throws.
        var text = new char[checked(rows * 100)];
        var used = 0;
        var random = new Random(42);
        for (var i = 0; i < rows; i++)
            used += EventRow(text.AsSpan(used), i, rows, random);
        return (text, used);
    }

    /// <summary>Formats one `events` line (tab-separated, newline-terminated) into <paramref name="line"/>.</summary>
    internal static int EventRow(Span<char> line, int i, int rows, Random random)
    {
        var invariant = CultureInfo.InvariantCulture;
        Timestamp(i, rows, random).TryFormat(line, out var at, "yyyy-MM-dd HH:mm:ss.fff", invariant);
        line[at++] = '\t';
        random.Next(1, 1_000_001).TryFormat(line[at..], out var written, default, invariant);
        at += written;
        line[at++] = '\t';
        var page = Pages[random.Next(Pages.Length)];
        page.CopyTo(line[at..]);
        at += page.Length;
        line[at++] = '\t';
        (random.Next(0, 100_000) / 100.0).TryFormat(line[at..], out written, default, invariant);
        at += written;
        line[at++] = '\n';
        return at;
    }

    private static DateTime Timestamp(int i, int rows, Random random) =>
        new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)
            .AddMilliseconds(86_400_000.0 * i / rows + random.Next(-500, 501));

    private static readonly string[] Pages = Enumerable.Range(0, 1000)
        .Select(p => $"/shop/category-{p / 100:D2}/subcategory-{p / 10 % 10}/product-{p:D4}/details").ToArray();

    private static string Page(Random random) => Pages[random.Next(Pages.Length)];
}
