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
/// stream that a CREATE STREAM AS SELECT (filter + project) and a CREATE TABLE AS SELECT (GROUP BY with several
/// aggregates) read: after the last restart, once both queries have caught up, the stream's output is exactly
/// the filter applied to the source (no row missing, none twice) and the table equals a batch recomputation,
/// row for row. The writers also upsert into a table that a third query aggregates (retracting each key's previous
/// row), and the server snapshots aggregate state every few hundred state records, so restarts restore from
/// snapshots: that table equals a recomputation over the source table's rows too. A fourth query groups by two
/// expressions (a table of two key columns in a JSON key) and equals its recomputation as well.
/// </summary>
public sealed class PersistentQueryCrashTests
{
    private const int Rounds = 6;
    private static readonly string[] ServerFlags = ["--persistent-snapshot-min-records", "300"];
    private readonly ITestOutputHelper _output;

    public PersistentQueryCrashTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Csas_and_ctas_are_exactly_once_across_sigkills()
    {
        using var data = new TempDirectory("query-persistent-crash");
        var acknowledged = new ConcurrentDictionary<long, bool>();
        var random = new Random(20261207);
        await CrashRounds.RunAsync(data.Path, Rounds, random, () => acknowledged.Count, CreateAsync,
            (port, round) => Enumerable.Range(0, 2)
                .Select(w => Task.Run(() => SwallowAsync(InsertLoopAsync(port, (round * 2) + w, acknowledged)))),
            ServerFlags);
        await VerifyAsync(data.Path, acknowledged);
    }

    private static async Task CreateAsync(int port)
    {
        await using var conn = await OpenAsync(port);
        await conn.ExecuteAsync("CREATE STREAM src (id BIGINT KEY, g STRING, x INT) WITH (PARTITIONS = 4)");
        await conn.ExecuteAsync("CREATE STREAM filtered AS SELECT id, g, x * 10 AS x10 FROM src "
            + "WHERE x % 3 = 0 EMIT CHANGES");
        await conn.ExecuteAsync("CREATE TABLE agg AS SELECT g, COUNT(*) AS n, SUM(x) AS total, MIN(x) AS lo, "
            + "MAX(x) AS hi, AVG(x) AS mean, COUNT_DISTINCT(x) AS d FROM src GROUP BY g EMIT CHANGES");
        await conn.ExecuteAsync("CREATE TABLE agg2 WITH (KEY_FORMAT = 'JSON') AS SELECT g, x % 4 AS bucket, "
            + "COUNT(*) AS n, SUM(x) AS total FROM src GROUP BY g, x % 4 EMIT CHANGES");
        await conn.ExecuteAsync("CREATE TABLE users (id BIGINT PRIMARY KEY, g STRING, x INT) "
            + "WITH (PARTITIONS = 4)");
        await conn.ExecuteAsync("CREATE TABLE tagg AS SELECT g, COUNT(*) AS n, SUM(x) AS total FROM users "
            + "GROUP BY g EMIT CHANGES");
    }

    private async Task VerifyAsync(string dataDirectory, ConcurrentDictionary<long, bool> acknowledged)
    {
        using var server = StartServer(dataDirectory);
        var port = ParsePort(await server.WaitForLineAsync("listening on ", ClientTimeouts.Deadline));
        await using var conn = await OpenAsync(port);
        await WaitForCatchUpAsync(conn);
        await VerifyTableAggregateAsync(conn);
        await VerifyMultiKeyAggregateAsync(conn);
        var source = (await conn.QueryAsync<(long Id, string G, int X)>("SELECT id, g, x FROM src")).ToList();
        foreach (var id in acknowledged.Keys)
            Assert.True(source.Any(s => s.Id == id), $"acknowledged row {id} is missing from the source");
        var expected = source.Where(s => s.X % 3 == 0).Select(s => (s.Id, s.G, s.X * 10)).Order().ToList();
        var actual = (await conn.QueryAsync<(long Id, string G, int X10)>("SELECT id, g, x10 FROM filtered"))
            .Order().ToList();
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
        var recomputed = (await conn.QueryAsync<(string G, long N, long Total, int Lo, int Hi, double Mean, long D)>(
            "SELECT g, COUNT(*), SUM(x), MIN(x), MAX(x), AVG(x), COUNT_DISTINCT(x) FROM src GROUP BY g"))
            .OrderBy(e => e.G, StringComparer.Ordinal).ToList();
        var changelog = (await conn.QueryAsync<(string G, long N, long Total, int Lo, int Hi, double Mean, long D,
            long Offset)>("SELECT g, n, total, lo, hi, mean, d, ROWOFFSET FROM agg")).ToList();
        // The table's rows: the latest change per key (all of a key's changes are in its partition).
        var table = changelog.GroupBy(c => c.G).Select(g => g.MaxBy(c => c.Offset))
            .Select(c => (c.G, c.N, c.Total, c.Lo, c.Hi, c.Mean, c.D)).OrderBy(e => e.G, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(recomputed.Count, table.Count);
        for (var i = 0; i < table.Count; i++)
        {
            Assert.Equal(recomputed[i] with { Mean = 0 }, table[i] with { Mean = 0 });
            Assert.Equal(recomputed[i].Mean, table[i].Mean, 9);
        }
        _output.WriteLine($"{Rounds} SIGKILLs: {acknowledged.Count} rows acknowledged, {source.Count} in the source, "
            + $"{actual.Count} filtered rows, {table.Count} groups ({changelog.Count} changelog rows)");
        server.Terminate();
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static ChildProcess StartServer(string dataDirectory) =>
        CrashRounds.StartServer(dataDirectory, ServerFlags);

    /// <summary>The aggregate over the table equals a recomputation over the table's rows (groups emptied by
    /// updates stay with COUNT 0, as in ksqlDB).</summary>
    private async Task VerifyTableAggregateAsync(NpgsqlConnection conn)
    {
        var recomputed = (await conn.QueryAsync<(string G, long N, long Total)>(
            "SELECT g, COUNT(*), SUM(x) FROM users GROUP BY g")).Order().ToList();
        var table = (await conn.QueryAsync<(string G, long N, long? Total)>("SELECT g, n, total FROM tagg"))
            .Where(r => r.N > 0).Select(r => (r.G, r.N, r.Total ?? 0)).Order().ToList();
        Assert.NotEmpty(recomputed);
        Assert.Equal(recomputed, table);
        _output.WriteLine($"table aggregate: {table.Count} groups over {recomputed.Sum(r => r.N)} rows");
    }

    /// <summary>The aggregate keyed by two GROUP BY expressions (a JSON key of two columns) equals a recomputation.
    /// </summary>
    private async Task VerifyMultiKeyAggregateAsync(NpgsqlConnection conn)
    {
        var recomputed = (await conn.QueryAsync<(string G, int Bucket, long N, long Total)>(
            "SELECT g, x % 4, COUNT(*), SUM(x) FROM src GROUP BY g, x % 4")).Order().ToList();
        var table = (await conn.QueryAsync<(string G, int Bucket, long N, long Total)>(
            "SELECT g, bucket, n, total FROM agg2")).Order().ToList();
        Assert.NotEmpty(recomputed);
        Assert.Equal(recomputed, table);
        _output.WriteLine($"two-key aggregate: {table.Count} groups");
    }

    private static async Task WaitForCatchUpAsync(NpgsqlConnection conn)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var queries = (await conn.QueryAsync("SHOW QUERIES EXTENDED")).Cast<IDictionary<string, object>>()
                .ToList();
            Assert.Equal(4, queries.Count);
            foreach (var query in queries)
                Assert.True((string)query["STATUS"] == "RUNNING", $"{query["QUERY_ID"]}: {query["ERROR"]}");
            if (queries.All(q => Convert.ToInt64(q["LAG"], CultureInfo.InvariantCulture) == 0))
                return;
            Assert.True(DateTime.UtcNow < deadline, "the persistent queries did not catch up in 120 s");
            await Task.Delay(100);
        }
    }

    private static async Task InsertLoopAsync(int port, int writer, ConcurrentDictionary<long, bool> acknowledged)
    {
        await using var conn = await OpenAsync(port);
        var random = new Random(writer);
        for (var sequence = 0; ; sequence++)
        {
            var rows = 1 + (sequence % 20);
            var ids = new long[rows];
            var sql = new StringBuilder("INSERT INTO src (id, g, x) VALUES ");
            for (var n = 0; n < rows; n++)
            {
                ids[n] = (writer * 10_000_000L) + (sequence * 100L) + n;
                sql.Append(CultureInfo.InvariantCulture,
                    $"{(n > 0 ? ", " : "")}({ids[n]}, 'g{random.Next(50)}', {random.Next(1000)})");
            }
            await conn.ExecuteAsync(sql.ToString());
            foreach (var id in ids)
                acknowledged[id] = true;
            // Upserts of a few hundred keys: most move a row between groups.
            await conn.ExecuteAsync(string.Create(CultureInfo.InvariantCulture,
                $"INSERT INTO users VALUES ({random.Next(300)}, 'g{random.Next(20)}', {random.Next(1000)}), "
                + $"({random.Next(300)}, 'g{random.Next(20)}', {random.Next(1000)})"));
        }
    }

    // The loops end when the server is killed under them.
}
