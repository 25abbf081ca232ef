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
/// The real server killed with SIGKILL at random moments (6 times) while two clients insert into two streams (4 and
/// 3 partitions) that a CREATE STREAM AS SELECT joins with LEFT JOIN WITHIN 30 SECONDS GRACE PERIOD 1 HOUR on a
/// value column (not either stream's key). After the last restart a row far in the future closes every window;
/// once the query has caught up, the joined stream equals a batch recomputation from both sources row for row:
/// every pair within the window once, every left row without one padded once. A second query joins three streams
/// (the third has 2 partitions), INNER JOIN WITHIN twice, as a chain of two stream-stream join operators sharing one
/// state log; its output equals the batch recomputation of the three-way join.
/// </summary>
public sealed class StreamJoinCrashTests
{
    private const int Rounds = 6;
    private const int Groups = 150;
    private const long TimeSpanMs = 600_000;
    private const long WindowMs = 30_000;
    private readonly ITestOutputHelper _output;

    public StreamJoinCrashTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_stream_stream_left_join_and_a_three_way_join_are_exactly_once_across_sigkills()
    {
        using var data = new TempDirectory("query-stream-join-crash");
        var acknowledged = new ConcurrentDictionary<string, bool>();
        var random = new Random(20261208);
        await CrashRounds.RunAsync(data.Path, Rounds, random, () => acknowledged.Count, CreateAsync,
            (port, round) => new[] { "sja", "sjb", "sjc" }
                .Select((stream, w) => Task.Run(() => SwallowAsync(
                    InsertLoopAsync(port, stream, (round * 3) + w, acknowledged)))));
        await VerifyAsync(data.Path, acknowledged);
    }

    private static async Task CreateAsync(int port)
    {
        await using var conn = await OpenAsync(port);
        await conn.ExecuteAsync("CREATE STREAM sja (k BIGINT KEY, g BIGINT, x INT) WITH (PARTITIONS = 4)");
        await conn.ExecuteAsync("CREATE STREAM sjb (k BIGINT KEY, g BIGINT, x INT) WITH (PARTITIONS = 3)");
        await conn.ExecuteAsync("CREATE STREAM sjout AS SELECT a.k AS ak, b.k AS bk, a.x AS ax, b.x AS bx FROM sja a "
            + "LEFT JOIN sjb b WITHIN 30 SECONDS GRACE PERIOD 1 HOUR ON a.g = b.g EMIT CHANGES");
        await conn.ExecuteAsync("CREATE STREAM sjc (k BIGINT KEY, g BIGINT, x INT) WITH (PARTITIONS = 2)");
        await conn.ExecuteAsync("CREATE STREAM sj3 AS SELECT a.k AS ak, b.k AS bk, c.k AS ck FROM sja a "
            + "JOIN sjb b WITHIN 30 SECONDS GRACE PERIOD 1 HOUR ON a.g = b.g "
            + "JOIN sjc c WITHIN 30 SECONDS GRACE PERIOD 1 HOUR ON b.g = c.g EMIT CHANGES");
    }

    private async Task VerifyAsync(string dataDirectory, ConcurrentDictionary<string, bool> acknowledged)
    {
        using var server = ChildProcess.Start("Query.Server", "--data-dir", dataDirectory, "--port", "0");
        var port = ParsePort(await server.WaitForLineAsync("listening on ", ClientTimeouts.Deadline));
        await using var conn = await OpenAsync(port);
        await WaitForCatchUpAsync(conn);
        // Ten hours later than any row: closes every window, so every unmatched left row is padded.
        await conn.ExecuteAsync("INSERT INTO sja (k, g, x, ROWTIME) VALUES (-1, -1, 0, 36000000)");
        await WaitForCatchUpAsync(conn);
        var a = await RowsAsync(conn, "sja");
        var b = await RowsAsync(conn, "sjb");
        var c = await RowsAsync(conn, "sjc");
        foreach (var key in acknowledged.Keys)
        {
            var (stream, k) = (key[..3], long.Parse(key[4..], CultureInfo.InvariantCulture));
            var rows = stream switch { "sja" => a, "sjb" => b, _ => c };
            Assert.True(rows.Any(row => row.K == k), $"acknowledged row {key} is missing");
        }
        var expected = new List<(long, long?, int, int?)>();
        foreach (var left in a.Where(row => row.K >= 0))
        {
            var matches = b.Where(right => right.G == left.G && Math.Abs(right.T - left.T) <= WindowMs).ToList();
            expected.AddRange(matches.Select(right => (left.K, (long?)right.K, left.X, (int?)right.X)));
            if (matches.Count == 0)
                expected.Add((left.K, null, left.X, null));
        }
        expected.Sort();
        var joined = (await conn.QueryAsync<(long, long?, int, int?)>("SELECT ak, bk, ax, bx FROM sjout"))
            .ToList();
        joined.Sort();
        Assert.Equal(expected.Count, joined.Count);
        Assert.Equal(expected, joined);
        var threeWay = await VerifyThreeWayAsync(conn, a, b, c);
        _output.WriteLine($"{Rounds} SIGKILLs: {acknowledged.Count} rows acknowledged, {a.Count} + {b.Count} + "
            + $"{c.Count} in the sources, {joined.Count} joined ({joined.Count(j => j.Item2 is null)} padded), "
            + $"{threeWay} joined three ways");
        server.Terminate();
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The three-way join equals its recomputation: a joined (a, b) row has the later of their times, and
    /// joins each c within the window of that time.</summary>
    private static async Task<int> VerifyThreeWayAsync(NpgsqlConnection conn, List<(long K, long G, int X, long T)> a,
        List<(long K, long G, int X, long T)> b, List<(long K, long G, int X, long T)> c)
    {
        var expected = new List<(long, long, long)>();
        foreach (var left in a.Where(row => row.K >= 0))
        {
            foreach (var middle in b.Where(m => m.G == left.G && Math.Abs(m.T - left.T) <= WindowMs))
            {
                var time = Math.Max(left.T, middle.T);
                expected.AddRange(c.Where(right => right.G == middle.G && Math.Abs(right.T - time) <= WindowMs)
                    .Select(right => (left.K, middle.K, right.K)));
            }
        }
        expected.Sort();
        var joined = (await conn.QueryAsync<(long, long, long)>("SELECT ak, bk, ck FROM sj3")).ToList();
        joined.Sort();
        Assert.Equal(expected.Count, joined.Count);
        Assert.Equal(expected, joined);
        return joined.Count;
    }

    private static async Task<List<(long K, long G, int X, long T)>> RowsAsync(NpgsqlConnection conn, string stream) =>
        (await conn.QueryAsync<(long, long, int, long)>($"SELECT k, g, x, ROWTIME FROM {stream}")).ToList();

    private static async Task WaitForCatchUpAsync(NpgsqlConnection conn)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var lag = 0L;
            foreach (var row in (await conn.QueryAsync("SHOW QUERIES EXTENDED")).Cast<IDictionary<string, object>>())
            {
                var query = new Dictionary<string, object>(row, StringComparer.OrdinalIgnoreCase);
                Assert.True((string)query["status"] == "RUNNING", $"{query["query_id"]}: {query["error"]}");
                lag += Convert.ToInt64(query["lag"], CultureInfo.InvariantCulture);
            }
            if (lag == 0)
                return;
            Assert.True(DateTime.UtcNow < deadline, "the persistent queries did not catch up in 120 s");
            await Task.Delay(100);
        }
    }

    /// <summary>Rows of <paramref name="stream"/> with a unique k, one of <see cref="Groups"/> join values and a
    /// time within the first ten minutes (nothing is late: the grace is an hour).</summary>
    private static async Task InsertLoopAsync(int port, string stream, int writer,
        ConcurrentDictionary<string, bool> acknowledged)
    {
        await using var conn = await OpenAsync(port);
        var random = new Random(writer);
        for (var sequence = 0; ; sequence++)
        {
            var rows = 1 + (sequence % 10);
            var ids = new long[rows];
            var sql = new StringBuilder($"INSERT INTO {stream} (k, g, x, ROWTIME) VALUES ");
            for (var n = 0; n < rows; n++)
            {
                ids[n] = (writer * 1_000_000L) + (sequence * 100L) + n;
                sql.Append(CultureInfo.InvariantCulture, $"{(n > 0 ? ", " : "")}({ids[n]}, {random.Next(Groups)}, "
                    + $"{random.Next(1000)}, {random.NextInt64(TimeSpanMs)})");
            }
            await conn.ExecuteAsync(sql.ToString());
            foreach (var id in ids)
                acknowledged[$"{stream}:{id}"] = true;
        }
    }
}
