using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using Npgsql;
using Query.Testing;
using static Query.Testing.CrashServer;

namespace Query.Tiering.Interop.Tests;

/// <summary>
/// The real server killed with SIGKILL 10 times while a client inserts into a tiered stream, the background job
/// archives it every 50 ms, and a second client runs COMPACT STREAM in a loop (which rewrites the whole cold
/// tier of each date folder into one file, so most of the server's time goes to compaction when it is killed).
/// Afterwards: every acknowledged row is there exactly once with its values, every offset once; no temporary
/// file is left and the files on disk are exactly those the manifests name; compaction did merge files; and
/// DuckDB, reading the cold folders as they lie, returns exactly the rows our server returns for those offsets.
/// </summary>
[Trait("Category", "interop")]
public sealed class CompactionServerCrashTests
{
    private const int Rounds = 10;
    private const string Stream = "comp";

    [Fact]
    public async Task Rows_survive_10_sigkills_during_compaction_exactly_once_and_duckdb_reads_the_same()
    {
        using var data = new TempDirectory("query-compaction-crash");
        var acknowledged = new ConcurrentDictionary<long, bool>();
        var random = new Random(20261208);
        long nextId = 0;
        var compactions = 0;
        var midCompaction = 0;
        // Ten rounds, and up to ten more until at least one kill is seen to land inside a merge.
        for (var round = 0; round < Rounds || (midCompaction == 0 && round < 2 * Rounds); round++)
        {
            using var server = StartServer(data.Path);
            var port = ParsePort(await server.WaitForLineAsync("listening on ", TimeSpan.FromSeconds(60)));
            if (round == 0)
            {
                await using var conn = await OpenAsync(port);
                await ExecuteAsync(conn, $"CREATE STREAM {Stream} (id BIGINT, note STRING) WITH (PARTITIONS = 2, "
                    + "SEGMENT_BYTES = 4096, TIERED = TRUE, LOCAL_RETENTION_MS = -1, LOCAL_RETENTION_BYTES = 8192)");
            }
            var first = Interlocked.Read(ref nextId);
            var writer = Task.Run(() => SwallowAsync(InsertLoopAsync(port, acknowledged,
                () => Interlocked.Add(ref nextId, 40) - 40)));
            var compactor = Task.Run(() => SwallowAsync(CompactLoopAsync(port, () => Interlocked.Increment(
                ref compactions))));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!acknowledged.Keys.Any(id => id >= first + 400))
            {
                Assert.True(DateTime.UtcNow < deadline, $"round {round}: 400 rows not acknowledged in 60 s");
                await Task.Delay(10);
            }
            await Task.Delay(random.Next(0, 500));
            server.Kill();
            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await writer.WaitAsync(TimeSpan.FromSeconds(60));
            await compactor.WaitAsync(TimeSpan.FromSeconds(60));
            if (KilledMidCompaction(Path.Combine(data.Path, "cold", Stream)))
                midCompaction++;
        }
        NpgsqlConnection.ClearAllPools();
        Assert.True(compactions > 0, "no COMPACT STREAM finished before a kill");
        Assert.True(midCompaction > 0, $"killed mid-compaction in {midCompaction} of {Rounds} rounds");
        await VerifyAsync(data.Path, acknowledged);
    }

    private static async Task VerifyAsync(string dataDirectory, ConcurrentDictionary<long, bool> acknowledged)
    {
        // The job waits an hour before its first pass, so the files checked below hold still; start-up has
        // already removed what the last kill left (temporaries, files no manifest names).
        using var server = StartServer(dataDirectory, archivalIntervalSeconds: "3600");
        var port = ParsePort(await server.WaitForLineAsync("listening on ", TimeSpan.FromSeconds(60)));
        var cold = Path.Combine(dataDirectory, "cold");
        Assert.Empty(Directory.EnumerateFiles(cold, ".tmp-*", SearchOption.AllDirectories));
        var coldEnds = AssertFilesMatchManifests(Path.Combine(cold, Stream));
        await using var conn = await OpenAsync(port);
        var rows = await QueryAsync(conn, $"SELECT ROWPARTITION, ROWOFFSET, id, note FROM {Stream}");
        Assert.Equal(rows.Count, rows.Select(r => (r.Partition, r.Offset)).Distinct().Count());
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
        foreach (var row in rows)
            Assert.Equal(Note(row.Id), row.Note);
        var present = rows.Select(r => r.Id).ToHashSet();
        foreach (var id in acknowledged.Keys)
            Assert.True(present.Contains(id), $"acknowledged row {id} is missing");

        var ours = rows.Where(r => r.Offset < coldEnds[r.Partition]).OrderBy(r => r.Partition).ThenBy(r => r.Offset)
            .ToList();
        var duck = DuckDbRows(Path.Combine(cold, Stream, "*", "*", "*.parquet"));
        Assert.True(ours.Count > 1000, $"only {ours.Count} rows are cold");
        Assert.Equal(ours, duck);
    }

    // Every .parquet file under a partition folder is named by its manifest, and every named file exists; some
    // file holds more rows than one 4 KiB segment can (a merge happened). Returns each partition's cold end.
    private static Dictionary<int, long> AssertFilesMatchManifests(string streamFolder)
    {
        var ends = new Dictionary<int, long>();
        var largest = 0L;
        foreach (var partition in Directory.EnumerateDirectories(streamFolder))
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(partition, "_tier_manifest.json")));
            var files = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
            var named = files.Select(f => Path.GetFullPath(Path.Combine(partition,
                f.GetProperty("relativePath").GetString()!))).Order(StringComparer.Ordinal).ToList();
            var onDisk = Directory.EnumerateFiles(partition, "*.parquet", SearchOption.AllDirectories)
                .Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(named, onDisk);
            largest = Math.Max(largest, files.Max(f => f.GetProperty("rowCount").GetInt64()));
            var number = int.Parse(Path.GetFileName(partition)["partition=".Length..], CultureInfo.InvariantCulture);
            ends[number] = manifest.RootElement.GetProperty("endOffset").GetInt64();
        }
        Assert.True(largest > 200, $"the largest cold file has {largest} rows: nothing was merged");
        return ends;
    }

    // What a kill in the middle of a merge leaves before start-up cleans it: a merged file being written, or a
    // merged file renamed but not committed, or replaced files committed away but not yet deleted (files below the
    // manifest's end that it does not name; archival's uncommitted files start at or after its end).
    private static bool KilledMidCompaction(string streamFolder)
    {
        if (!Directory.Exists(streamFolder))
            return false;
        foreach (var partition in Directory.EnumerateDirectories(streamFolder))
        {
            if (Directory.EnumerateFiles(partition, ".tmp-compact-*", SearchOption.AllDirectories).Any())
                return true;
            var manifestPath = Path.Combine(partition, "_tier_manifest.json");
            if (!File.Exists(manifestPath))
                continue;
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            var named = manifest.RootElement.GetProperty("files").EnumerateArray()
                .Select(f => Path.GetFullPath(Path.Combine(partition, f.GetProperty("relativePath").GetString()!)))
                .ToHashSet(StringComparer.Ordinal);
            var end = manifest.RootElement.GetProperty("endOffset").GetInt64();
            if (Directory.EnumerateFiles(partition, "*.parquet", SearchOption.AllDirectories).Any(f =>
                !named.Contains(Path.GetFullPath(f)) && FirstOffset(f) < end))
                return true;
        }
        return false;
    }

    private static long FirstOffset(string path) =>
        long.Parse(Path.GetFileName(path).AsSpan(0, 20), CultureInfo.InvariantCulture);

    private static List<Row> DuckDbRows(string glob)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowpartition, rowoffset, id, note FROM read_parquet('" + glob
            + "', hive_partitioning = true) ORDER BY rowpartition, rowoffset";
        using var reader = command.ExecuteReader();
        var rows = new List<Row>();
        while (reader.Read())
            rows.Add(new Row(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3)));
        return rows;
    }

    private static async Task<List<Row>> QueryAsync(NpgsqlConnection conn, string sql)
    {
        await using var command = new NpgsqlCommand(sql, conn);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetInt64(2),
                reader.GetString(3)));
        }
        return rows;
    }

    private sealed record Row(int Partition, long Offset, long Id, string Note);

    private static ChildProcess StartServer(string dataDirectory, string archivalIntervalSeconds = "0.05") =>
        ChildProcess.Start("Query.Server", "--data-dir", dataDirectory, "--port", "0", "--archival-interval-seconds",
            archivalIntervalSeconds, "--compaction-min-files", "2", "--compaction-target-file-bytes", "65536");

    private static async Task InsertLoopAsync(int port, ConcurrentDictionary<long, bool> acknowledged,
        Func<long> reserve)
    {
        await using var conn = await OpenAsync(port);
        while (true)
        {
            var first = reserve();
            var sql = new StringBuilder($"INSERT INTO {Stream} (id, note) VALUES ");
            for (var id = first; id < first + 40; id++)
                sql.Append(id > first ? ", " : "").Append('(').Append(id).Append(", '").Append(Note(id)).Append("')");
            await ExecuteAsync(conn, sql.ToString());
            for (var id = first; id < first + 40; id++)
                acknowledged[id] = true;
        }
    }

    private static async Task CompactLoopAsync(int port, Action compacted)
    {
        await using var conn = await OpenAsync(port);
        while (true)
        {
            await ExecuteAsync(conn, $"COMPACT STREAM {Stream}");
            compacted();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql)
    {
        await using var command = new NpgsqlCommand(sql, conn);
        await command.ExecuteNonQueryAsync();
    }

    private static string Note(long id) => "note " + id.ToString(CultureInfo.InvariantCulture) + " " + new string(
        (char)('a' + (id % 26)), (int)(id % 50));
}
