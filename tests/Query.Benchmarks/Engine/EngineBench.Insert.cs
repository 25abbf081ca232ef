using System.Diagnostics;
using System.Globalization;
using System.Text;
using Query.Engine;
using Query.Testing;

namespace Query.Benchmarks;

internal static partial class EngineBench
{
    /// <summary>
    /// <c>engine-insert [seconds]</c>: `events` rows as INSERT statements of 1,000 literal rows each (as bench wire
    /// sends them through Npgsql), executed by the engine alone; the statements are built before the clock starts.
    /// Prints rows/s and the share of the time spent parsing.
    /// </summary>
    public static async Task InsertAsync(int seconds)
    {
        using var directory = new TempDirectory("engine-bench");
        await using var engine = QueryEngine.Open(new EngineOptions { DataDirectory = directory.Path });
        var session = engine.CreateSession();
        await (await session.ExecuteAsync(
            "CREATE STREAM events (ts TIMESTAMP, user_id INT, page STRING, amount DOUBLE)")).DisposeAsync();
        var random = new Random(7);
        var statements = new string[20];
        for (var s = 0; s < statements.Length; s++)
            statements[s] = InsertStatement(random, s * 1000);
        for (var warm = 0; warm < 40; warm++)
            await (await session.ExecuteAsync(statements[warm % statements.Length])).DisposeAsync();

        var count = 0L;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed.TotalSeconds < seconds)
            await (await session.ExecuteAsync(statements[count++ % statements.Length])).DisposeAsync();
        var elapsed = stopwatch.Elapsed;
        var msPerStatement = elapsed.TotalMilliseconds / count;
        var parses = 0;
        var parse = Stopwatch.StartNew();
        while (parse.Elapsed.TotalSeconds < seconds / 2.0)
            Query.Grammar.SqlParser.Parse(statements[parses++ % statements.Length]);
        var parseMsPerStatement = parse.Elapsed.TotalMilliseconds / parses;
        Console.WriteLine("| statements | rows/s | ms per 1,000-row statement | of which parsing |");
        Console.WriteLine("|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {count:N0} | {count * 1000 / elapsed.TotalSeconds:N0} | {msPerStatement:F2} | " +
            $"{parseMsPerStatement:F2} ({parseMsPerStatement / msPerStatement:P0}) |"));
    }

    private static string InsertStatement(Random random, int first)
    {
        var sql = new StringBuilder("INSERT INTO events (ts, user_id, page, amount) VALUES ");
        for (var i = 0; i < 1000; i++)
        {
            var ts = DateTime.UnixEpoch.AddMilliseconds(BaseMs + ((first + i) * 8_640L) + random.Next(-500, 500));
            sql.Append(i == 0 ? "(" : ", (")
                .Append(CultureInfo.InvariantCulture, $"TIMESTAMP '{ts:yyyy-MM-dd HH:mm:ss.fff}', ")
                .Append(CultureInfo.InvariantCulture, $"{random.Next(1, 1_000_001)}, ")
                .Append(CultureInfo.InvariantCulture, $"'/shop/category-{i % 20:00}/subcategory-{i % 7}/product-")
                .Append(CultureInfo.InvariantCulture, $"{i % 1000:0000}/details', {random.Next(0, 100_000) / 100.0})");
        }
        return sql.ToString();
    }
}
