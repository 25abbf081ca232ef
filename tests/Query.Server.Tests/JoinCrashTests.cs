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
/// stream that a CREATE STREAM AS SELECT joins with a table (INNER JOIN on its key): after the last restart, once
/// the query has caught up, the joined stream equals a batch recomputation of the join from the source and the
/// table, row for row (no row joined twice or lost).
/// </summary>
public sealed class JoinCrashTests
{
    private const int Rounds = 6;
    private const int Users = 50;
    private readonly ITestOutputHelper _output;

    public JoinCrashTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_stream_table_join_is_exactly_once_across_sigkills()
    {
        using var data = new TempDirectory("query-join-crash");
        var acknowledged = new ConcurrentDictionary<long, bool>();
        var random = new Random(20261207);
        await CrashRounds.RunAsync(data.Path, Rounds, random, () => acknowledged.Count, CreateAsync,
            (port, round) => Enumerable.Range(0, 2)
                .Select(w => Task.Run(() => SwallowAsync(InsertLoopAsync(port, (round * 2) + w, acknowledged)))));
        await VerifyAsync(data.Path, acknowledged);
    }

    private static async Task CreateAsync(int port)
    {
        await using var conn = await OpenAsync(port);
        await conn.ExecuteAsync("CREATE TABLE jusers (id BIGINT PRIMARY KEY, name STRING) WITH (PARTITIONS = 2)");
        await conn.ExecuteAsync("INSERT INTO jusers VALUES " + string.Join(", ",
            Enumerable.Range(0, Users).Select(i => $"({i}, 'user{i}')")));
        await conn.ExecuteAsync("CREATE STREAM jorders (k BIGINT KEY, user_id BIGINT, x INT) WITH (PARTITIONS = 4)");
        await conn.ExecuteAsync("CREATE STREAM jenriched AS SELECT o.k, o.x, u.name FROM jorders o "
            + "JOIN jusers u ON o.user_id = u.id EMIT CHANGES");
    }

    private async Task VerifyAsync(string dataDirectory, ConcurrentDictionary<long, bool> acknowledged)
    {
        using var server = ChildProcess.Start("Query.Server", "--data-dir", dataDirectory, "--port", "0");
        var port = ParsePort(await server.WaitForLineAsync("listening on ", ClientTimeouts.Deadline));
        await using var conn = await OpenAsync(port);
        await WaitForCatchUpAsync(conn);
        var source = (await conn.QueryAsync<(long K, long UserId, int X)>("SELECT k, user_id, x FROM jorders"))
            .ToList();
        var stored = source.Select(s => s.K).ToHashSet();
        foreach (var k in acknowledged.Keys)
            Assert.True(stored.Contains(k), $"acknowledged row {k} is missing from the source");
        var users = (await conn.QueryAsync<(long Id, string Name)>("SELECT id, name FROM jusers"))
            .ToDictionary(u => u.Id, u => u.Name);
        Assert.Equal(Users, users.Count);
        var expected = source.Where(s => users.ContainsKey(s.UserId)).Select(s => (s.K, s.X, users[s.UserId]))
            .Order().ToList();
        var joined = (await conn.QueryAsync<(long K, int X, string Name)>("SELECT k, x, name FROM jenriched"))
            .Order().ToList();
        Assert.Equal(expected.Count, joined.Count);
        Assert.Equal(expected, joined);
        // The same join as a pull query over the same data agrees.
        var pull = (await conn.QueryAsync<(long K, int X, string Name)>(
            "SELECT o.k, o.x, u.name FROM jorders o JOIN jusers u ON o.user_id = u.id")).Order().ToList();
        Assert.Equal(expected, pull);
        _output.WriteLine($"{Rounds} SIGKILLs: {acknowledged.Count} rows acknowledged, {source.Count} in the source, "
            + $"{joined.Count} joined");
        server.Terminate();
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task WaitForCatchUpAsync(NpgsqlConnection conn)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var row = (await conn.QueryAsync("SHOW QUERIES EXTENDED")).Cast<IDictionary<string, object>>().Single();
            var query = new Dictionary<string, object>(row, StringComparer.OrdinalIgnoreCase);
            Assert.True((string)query["status"] == "RUNNING", $"{query["query_id"]}: {query["error"]}");
            if (Convert.ToInt64(query["lag"], CultureInfo.InvariantCulture) == 0)
                return;
            Assert.True(DateTime.UtcNow < deadline, "the persistent query did not catch up in 120 s");
            await Task.Delay(100);
        }
    }

    /// <summary>Rows for 60 user ids (50 in the table, so some rows find no match); k is a unique row number.
    /// </summary>
    private static async Task InsertLoopAsync(int port, int writer, ConcurrentDictionary<long, bool> acknowledged)
    {
        await using var conn = await OpenAsync(port);
        var random = new Random(writer);
        for (var sequence = 0; ; sequence++)
        {
            var rows = 1 + (sequence % 20);
            var ids = new long[rows];
            var sql = new StringBuilder("INSERT INTO jorders (k, user_id, x) VALUES ");
            for (var n = 0; n < rows; n++)
            {
                ids[n] = (writer * 1_000_000L) + (sequence * 100L) + n;
                sql.Append(CultureInfo.InvariantCulture,
                    $"{(n > 0 ? ", " : "")}({ids[n]}, {random.Next(Users + 10)}, {random.Next(1000)})");
            }
            await conn.ExecuteAsync(sql.ToString());
            foreach (var id in ids)
                acknowledged[id] = true;
        }
    }

    // The loops end when the server is killed under them.
}
