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
/// The real server killed with SIGKILL at random moments (6 times) while two clients insert into a 4-partition
/// stream, with explicit ROWTIMEs spread over ten minutes, that a CREATE TABLE AS SELECT with a tumbling COUNT per
/// key reads: after the last restart, once the query has caught up, the windowed table equals a batch recomputation
/// of the counts per key and window from the source, row for row (no event counted twice or lost).
/// </summary>
public sealed class WindowedCrashTests
{
    private const int Rounds = 6;
    private const long WindowMs = 10_000;
    private readonly ITestOutputHelper _output;

    public WindowedCrashTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_tumbling_count_is_exactly_once_across_sigkills()
    {
        using var data = new TempDirectory("query-windowed-crash");
        var acknowledged = new ConcurrentDictionary<long, bool>();
        var random = new Random(20261206);
        await CrashRounds.RunAsync(data.Path, Rounds, random, () => acknowledged.Count, CreateAsync,
            (port, round) => Enumerable.Range(0, 2)
                .Select(w => Task.Run(() => SwallowAsync(InsertLoopAsync(port, (round * 2) + w, acknowledged)))));
        await VerifyAsync(data.Path, acknowledged);
    }

    private static async Task CreateAsync(int port)
    {
        await using var conn = await OpenAsync(port);
        await conn.ExecuteAsync("CREATE STREAM wsrc (id BIGINT KEY, k BIGINT, x INT) WITH (PARTITIONS = 4)");
        await conn.ExecuteAsync("CREATE TABLE wcount AS SELECT id, COUNT(*) AS n, COLLECT_LIST(k) AS ks FROM wsrc "
            + "WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY id EMIT CHANGES");
    }

    private async Task VerifyAsync(string dataDirectory, ConcurrentDictionary<long, bool> acknowledged)
    {
        using var server = ChildProcess.Start("Query.Server", "--data-dir", dataDirectory, "--port", "0");
        var port = ParsePort(await server.WaitForLineAsync("listening on ", ClientTimeouts.Deadline));
        await using var conn = await OpenAsync(port);
        await WaitForCatchUpAsync(conn);
        var source = (await conn.QueryAsync<(long Id, long K, long Time)>("SELECT id, k, ROWTIME FROM wsrc")).ToList();
        var stored = source.Select(s => s.K).ToHashSet();
        foreach (var k in acknowledged.Keys)
            Assert.True(stored.Contains(k), $"acknowledged row {k} is missing from the source");
        var expected = source.GroupBy(s => (s.Id, s.Time / WindowMs * WindowMs))
            .Select(g => (g.Key.Id, Start: g.Key.Item2, End: g.Key.Item2 + WindowMs, N: (long)g.Count())).Order()
            .ToList();
        var table = (await conn.QueryAsync<(long Id, long Start, long End, long N)>(
            "SELECT id, WINDOWSTART, WINDOWEND, n FROM wcount")).Order().ToList();
        // On a mismatch, the windows that differ (what was lost or counted twice) before the asserts below.
        foreach (var e in expected.Except(table))
            _output.WriteLine($"expected not in table: {e}");
        if (expected.Count != table.Count || !expected.SequenceEqual(table))
        {
            var lists = await conn.QueryAsync<(long Id, long Start, string Ks)>(
                "SELECT id, WINDOWSTART, CAST(ks AS STRING) FROM wcount");
            var rowsIn = source.ToLookup(s => (s.Id, s.Time / WindowMs * WindowMs), s => s.K);
            foreach (var (id, start, ks) in lists)
            {
                var have = ks.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(long.Parse).ToHashSet();
                foreach (var k in rowsIn[(id, start)].Where(k => !have.Contains(k)))
                {
                    var at = await conn.QuerySingleAsync<(long O, int P, long T)>(
                        $"SELECT ROWOFFSET, ROWPARTITION, ROWTIME FROM wsrc WHERE k = {k}");
                    _output.WriteLine($"missing k={k} (writer {k / 1_000_000}, statement {k % 1_000_000 / 100}) "
                        + $"window ({id}, {start}) offset {at.O} partition {at.P} time {at.T}");
                }
            }
            var q = (await conn.QueryAsync("SHOW QUERIES EXTENDED")).Cast<IDictionary<string, object>>().Single();
            _output.WriteLine($"rows in {q["ROWS_IN"]} out {q["ROWS_OUT"]} lag {q["LAG_PER_PARTITION"]}");
        }
        foreach (var e in table.Except(expected))
            _output.WriteLine($"table not expected: {e}");
        _output.WriteLine($"source {source.Count} sum {table.Sum(t => t.N)}");
        Assert.Equal(expected.Count, table.Count);
        Assert.Equal(expected, table);
        Assert.Equal(source.Count, table.Sum(t => t.N));
        _output.WriteLine($"{Rounds} SIGKILLs: {acknowledged.Count} rows acknowledged, {source.Count} in the source, "
            + $"{table.Count} windows");
        server.Terminate();
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task WaitForCatchUpAsync(NpgsqlConnection conn)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var query = (await conn.QueryAsync("SHOW QUERIES EXTENDED")).Cast<IDictionary<string, object>>()
                .Single();
            Assert.True((string)query["STATUS"] == "RUNNING", $"{query["QUERY_ID"]}: {query["ERROR"]}");
            if (Convert.ToInt64(query["LAG"], CultureInfo.InvariantCulture) == 0)
            {
                Assert.Equal(0L, Convert.ToInt64(query["LATE_RECORDS_DROPPED"], CultureInfo.InvariantCulture));
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "the persistent query did not catch up in 120 s");
            await Task.Delay(100);
        }
    }

    /// <summary>Rows of 50 keys with times over ten minutes (well inside the default 24-hour grace); k is a unique
    /// row number.</summary>
    private static async Task InsertLoopAsync(int port, int writer, ConcurrentDictionary<long, bool> acknowledged)
    {
        await using var conn = await OpenAsync(port);
        var random = new Random(writer);
        for (var sequence = 0; ; sequence++)
        {
            var rows = 1 + (sequence % 20);
            var ids = new long[rows];
            var sql = new StringBuilder("INSERT INTO wsrc (id, k, x, ROWTIME) VALUES ");
            for (var n = 0; n < rows; n++)
            {
                ids[n] = (writer * 1_000_000L) + (sequence * 100L) + n;
                sql.Append(CultureInfo.InvariantCulture, $"{(n > 0 ? ", " : "")}({random.Next(50)}, {ids[n]}, "
                    + $"{random.Next(1000)}, {1_000_000_000L + random.Next(600_000)})");
            }
            await conn.ExecuteAsync(sql.ToString());
            foreach (var id in ids)
                acknowledged[id] = true;
        }
    }

    // The loops end when the server is killed under them.
}
