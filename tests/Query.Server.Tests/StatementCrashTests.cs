using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;
using Query.Testing;
using Xunit.Abstractions;
using static Query.Testing.CrashServer;

namespace Query.Server.Tests;

/// <summary>
/// The real server killed with SIGKILL while one client runs multi-row INSERTs, another runs COPYs (some
/// large enough to stage) and eight more run single-row parameterized INSERTs (made durable through the store's
/// shared journal; each connection's thread writes its partition's group and leads the journal write itself when
/// the partition is idle) into a 4-partition stream, 10 times over one data directory: after every restart each
/// statement is there with all of its rows, or not at all, and every acknowledged one is there, with the values
/// it was sent; every partition's offsets are dense (no gap, nothing that is not a row).
/// </summary>
public sealed class StatementCrashTests
{
    private const int Rounds = 10;
    private const int SingleRowClients = 8;
    private const int LargeCopyRows = 130_000;   // ~300 bytes each: over 8 MiB per partition, so COPY stages
    private static readonly string Pad = new('p', 280);
    private readonly ITestOutputHelper _output;

    public StatementCrashTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Inserts_and_copies_into_four_partitions_are_all_or_nothing_across_10_sigkills()
    {
        using var data = new TempDirectory("query-statement-crash");
        var acknowledged = new ConcurrentDictionary<string, int>();
        var random = new Random(20261206);
        for (var round = 0; round < Rounds; round++)
        {
            using var server = ChildProcess.Start("Query.Server", "--data-dir", data.Path, "--port", "0");
            var port = ParsePort(await server.WaitForLineAsync("listening on ", ClientTimeouts.Deadline));
            if (round == 0)
            {
                await using var conn = await OpenAsync(port);
                await conn.ExecuteAsync(
                    "CREATE STREAM ingest (stmt STRING, expected INT, n INT, pad STRING) WITH (PARTITIONS = 4)");
            }
            var before = acknowledged.Count;
            var r = round;
            var inserts = Task.Run(() => SwallowAsync(InsertLoopAsync(port, r, acknowledged)));
            var copies = Task.Run(() => SwallowAsync(CopyLoopAsync(port, r, acknowledged)));
            var singles = Enumerable.Range(0, SingleRowClients)
                .Select(c => Task.Run(() => SwallowAsync(SingleRowLoopAsync(port, r, c, acknowledged)))).ToArray();
            var deadline = DateTime.UtcNow + ClientTimeouts.Deadline;
            // Round 0 waits for its first large COPY too, so the staged path is proven to commit at least once.
            while (!(acknowledged.Keys.Any(k => k.StartsWith($"i-{r}-", StringComparison.Ordinal))
                && acknowledged.Keys.Any(k => k.StartsWith($"c-{r}-", StringComparison.Ordinal))
                && acknowledged.Keys.Any(k => k.StartsWith($"s-{r}-", StringComparison.Ordinal))
                && (r > 0 || acknowledged.ContainsKey("c-0-1"))))
            {
                Assert.True(DateTime.UtcNow < deadline,
                    $"round {round}: no INSERT and COPY acknowledged in {ClientTimeouts.Seconds} s");
                await Task.Delay(10);
            }
            await Task.Delay(random.Next(0, 1_000));
            server.Kill();
            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll([inserts, copies, .. singles]).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(acknowledged.Count > before);
        }
        NpgsqlConnection.ClearAllPools();
        await VerifyAsync(data.Path, acknowledged);
    }

    private async Task VerifyAsync(string dataDirectory, ConcurrentDictionary<string, int> acknowledged)
    {
        using var server = ChildProcess.Start("Query.Server", "--data-dir", dataDirectory, "--port", "0");
        var port = ParsePort(await server.WaitForLineAsync("listening on ", ClientTimeouts.Deadline));
        await using var conn = await OpenAsync(port);
        var present = (await conn.QueryAsync<(string Stmt, int Expected, long Count)>(
            "SELECT stmt, expected, COUNT(*) FROM ingest GROUP BY stmt, expected")).ToList();
        var large = 0;
        foreach (var (stmt, expected, count) in present)
        {
            Assert.True(expected == count, $"statement {stmt} has {count} of its {expected} rows");
            large += expected == LargeCopyRows ? 1 : 0;
        }
        var names = present.Select(p => p.Stmt).ToHashSet();
        foreach (var (stmt, _) in acknowledged)
            Assert.True(names.Contains(stmt), $"acknowledged statement {stmt} is missing");
        var singles = (await conn.QueryAsync<(string Stmt, int N, string Pad)>(
            "SELECT stmt, n, pad FROM ingest WHERE stmt LIKE 's-%'")).ToList();
        Assert.All(singles, row => Assert.True(row is { N: 0, Pad: "y" }, $"single-row statement {row.Stmt} differs"));
        Assert.Equal(singles.Count, singles.Select(row => row.Stmt).Distinct().Count());
        var partitions = (await conn.QueryAsync<(int Partition, long Count, long First, long Last)>(
            "SELECT ROWPARTITION, COUNT(*), MIN(ROWOFFSET), MAX(ROWOFFSET) FROM ingest GROUP BY ROWPARTITION"))
            .ToList();
        Assert.Equal(4, partitions.Count);
        foreach (var (partition, count, first, last) in partitions)
            Assert.True(first == 0 && last == count - 1,
                $"partition {partition}: {count} rows at offsets {first}-{last}");
        Assert.True(large > 0, "no large (staged) COPY completed");
        _output.WriteLine($"{Rounds} rounds: {acknowledged.Count} statements acknowledged, {present.Count} present " +
            $"({large} large COPYs), {present.Count - acknowledged.Count} present but cut before their " +
            "acknowledgement");
        server.Terminate();
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task InsertLoopAsync(int port, int round, ConcurrentDictionary<string, int> acknowledged)
    {
        await using var conn = await OpenAsync(port);
        for (var sequence = 0; ; sequence++)
        {
            var stmt = $"i-{round}-{sequence}";
            var rows = 5 + (sequence % 40);
            var sql = new StringBuilder("INSERT INTO ingest (stmt, expected, n, pad) VALUES ");
            for (var n = 0; n < rows; n++)
                sql.Append(CultureInfo.InvariantCulture, $"{(n > 0 ? ", " : "")}('{stmt}', {rows}, {n}, 'x')");
            await conn.ExecuteAsync(sql.ToString());
            acknowledged[stmt] = rows;
        }
    }

    private static async Task SingleRowLoopAsync(int port, int round, int client,
        ConcurrentDictionary<string, int> acknowledged)
    {
        await using var conn = await OpenAsync(port);
        for (var sequence = 0; ; sequence++)
        {
            var stmt = $"s-{round}-{client}-{sequence}";
            await conn.ExecuteAsync("INSERT INTO ingest (stmt, expected, n, pad) VALUES (@Stmt, 1, 0, 'y')",
                new { Stmt = stmt });
            acknowledged[stmt] = 1;
        }
    }

    private static async Task CopyLoopAsync(int port, int round, ConcurrentDictionary<string, int> acknowledged)
    {
        await using var conn = await OpenAsync(port);
        for (var sequence = 0; ; sequence++)
        {
            var stmt = $"c-{round}-{sequence}";
            var rows = sequence % 3 == 1 ? LargeCopyRows : 3_000 + (sequence * 7 % 5_000);
            await using (var writer = await conn.BeginTextImportAsync("COPY ingest FROM STDIN"))
            {
                var line = new StringBuilder();
                for (var n = 0; n < rows; n++)
                {
                    line.Clear().Append(CultureInfo.InvariantCulture, $"{stmt}\t{rows}\t{n}\t{Pad}\n");
                    await writer.WriteAsync(line.ToString());
                }
            }
            acknowledged[stmt] = rows;
        }
    }
}
