using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;
using Query.Testing;
using static Query.Testing.CrashServer;

namespace Query.Server.Tests;

/// <summary>
/// The real server killed with SIGKILL 10 times while a client inserts into a tiered stream and the background
/// job archives it every 50 ms (a hot limit of two segments, so archival runs all the time): afterwards every
/// acknowledged row is there exactly once with its own values, across cold and hot; no temporary file is left;
/// the cold files on disk are exactly the ones the manifests name.
/// </summary>
public sealed class ArchivalServerCrashTests
{
    private const int Rounds = 10;

    [Fact]
    public async Task Rows_survive_10_sigkills_during_archival_exactly_once()
    {
        using var data = new TempDirectory("query-archival-crash");
        var acknowledged = new ConcurrentDictionary<long, bool>();
        var random = new Random(20261207);
        long nextId = 0;
        for (var round = 0; round < Rounds; round++)
        {
            using var server = StartServer(data.Path);
            var port = ParsePort(await server.WaitForLineAsync("listening on ", ClientTimeouts.Deadline));
            if (round == 0)
            {
                await using var conn = await OpenAsync(port);
                await conn.ExecuteAsync("CREATE STREAM arch (id BIGINT, note STRING) WITH (PARTITIONS = 2, "
                    + "SEGMENT_BYTES = 4096, TIERED = TRUE, LOCAL_RETENTION_MS = -1, LOCAL_RETENTION_BYTES = 8192)");
            }
            var first = Interlocked.Read(ref nextId);
            var writer = Task.Run(() => SwallowAsync(InsertLoopAsync(port, acknowledged, () =>
                Interlocked.Add(ref nextId, 40) - 40)));
            var deadline = DateTime.UtcNow + ClientTimeouts.Deadline;
            while (!acknowledged.Keys.Any(id => id >= first + 400))
            {
                Assert.True(DateTime.UtcNow < deadline,
                    $"round {round}: 400 rows not acknowledged in {ClientTimeouts.Seconds} s");
                await Task.Delay(10);
            }
            await Task.Delay(random.Next(0, 700));
            server.Kill();
            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await writer.WaitAsync(TimeSpan.FromSeconds(60));
        }
        NpgsqlConnection.ClearAllPools();
        await VerifyAsync(data.Path, acknowledged);
    }

    private static async Task VerifyAsync(string dataDirectory, ConcurrentDictionary<long, bool> acknowledged)
    {
        // The job waits an hour before its first pass, so the files checked below hold still; start-up has
        // already removed what the last kill left (temporaries, files no manifest names).
        using var server = StartServer(dataDirectory, archivalIntervalSeconds: "3600");
        var port = ParsePort(await server.WaitForLineAsync("listening on ", ClientTimeouts.Deadline));
        var cold = Path.Combine(dataDirectory, "cold");
        Assert.Empty(Directory.EnumerateFiles(cold, ".tmp-*", SearchOption.AllDirectories));
        await using var conn = await OpenAsync(port);
        var rows = (await conn.QueryAsync<(long Id, string Note, long Count)>(
            "SELECT id, note, count(*) FROM arch GROUP BY id, note")).ToList();
        foreach (var (id, note, count) in rows)
        {
            Assert.True(count == 1, $"id {id} is there {count} times");
            Assert.Equal(Note(id), note);
        }
        var present = rows.Select(r => r.Id).ToHashSet();
        Assert.Equal(rows.Count, present.Count);
        foreach (var id in acknowledged.Keys)
            Assert.True(present.Contains(id), $"acknowledged row {id} is missing");
        var tiers = (await conn.QueryAsync<(string Field, string Type, string Detail)>("DESCRIBE EXTENDED arch"))
            .Where(r => r.Type == "TIERS").ToList();
        Assert.Contains(tiers, t => t.Detail.Contains("cold offsets [0, ", StringComparison.Ordinal));
        AssertFilesMatchManifests(cold);
    }

    // Every .parquet file under a partition folder is named by its manifest, and every named file exists.
    private static void AssertFilesMatchManifests(string cold)
    {
        foreach (var partition in Directory.EnumerateDirectories(Path.Combine(cold, "arch")))
        {
            using var manifest = System.Text.Json.JsonDocument.Parse(
                File.ReadAllBytes(Path.Combine(partition, "_tier_manifest.json")));
            var named = manifest.RootElement.GetProperty("files").EnumerateArray()
                .Select(f => Path.GetFullPath(Path.Combine(partition, f.GetProperty("relativePath").GetString()!)))
                .Order(StringComparer.Ordinal).ToList();
            var onDisk = Directory.EnumerateFiles(partition, "*.parquet", SearchOption.AllDirectories)
                .Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(named, onDisk);
        }
    }

    private static ChildProcess StartServer(string dataDirectory, string archivalIntervalSeconds = "0.05") =>
        ChildProcess.Start("Query.Server", "--data-dir", dataDirectory, "--port", "0", "--archival-interval-seconds",
            archivalIntervalSeconds);

    private static async Task InsertLoopAsync(int port, ConcurrentDictionary<long, bool> acknowledged,
        Func<long> reserve)
    {
        await using var conn = await OpenAsync(port);
        while (true)
        {
            var first = reserve();
            var sql = new StringBuilder("INSERT INTO arch (id, note) VALUES ");
            for (var id = first; id < first + 40; id++)
                sql.Append(id > first ? ", " : "").Append('(').Append(id).Append(", '").Append(Note(id)).Append("')");
            await conn.ExecuteAsync(sql.ToString());
            for (var id = first; id < first + 40; id++)
                acknowledged[id] = true;
        }
    }

    private static string Note(long id) => "note " + id.ToString(CultureInfo.InvariantCulture) + " " + new string(
        (char)('a' + (id % 26)), (int)(id % 50));
}
