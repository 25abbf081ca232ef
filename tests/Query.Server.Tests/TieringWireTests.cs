using System.Text;
using Dapper;
using Npgsql;
using Query.Testing;

namespace Query.Server.Tests;

/// <summary>
/// Tiered storage through the wire with Npgsql: the statements, pull and push queries spanning cold and hot,
/// a restart, and the background job of a real server.
/// </summary>
public sealed class TieringWireTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("query-tiering-wire");
    private QueryServer? _server;

    private ServerSettings Settings => new()
    {
        DataDirectory = _directory.Path,
        Port = 0,
        ArchivalIntervalSeconds = 0.2,
    };

    public async Task InitializeAsync() => _server = await QueryServer.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Statements_pull_and_push_queries_read_cold_then_hot_and_survive_a_restart()
    {
        await using (var conn = await OpenAsync())
        {
            await conn.ExecuteAsync("CREATE STREAM ev (id BIGINT, note STRING) WITH (PARTITIONS = 2, "
                + "SEGMENT_BYTES = 4096, TIERED = FALSE)");
            for (var batch = 0; batch < 6; batch++)
                await conn.ExecuteAsync(Insert("ev", batch * 50, 50));
            var before = await SummaryAsync(conn);

            var archived = (await conn.QueryAsync<(string, long, long, long, long, long)>("ARCHIVE STREAM ev"))
                .Single();
            Assert.Equal("ev", archived.Item1);
            Assert.True(archived.Item2 >= 2 && archived.Item3 > 100 && archived.Item5 > 0, archived.ToString());
            Assert.Equal(before, await SummaryAsync(conn));

            var runs = await RowsAsync(conn, "SHOW ARCHIVALS");
            Assert.Equal(2, runs.Count);
            Assert.All(runs, r => Assert.Equal(["ev", "statement", "done"], [r[0], r[2], r[3]]));
            Assert.Equal(archived.Item3, runs.Sum(r => (long)r[8]!));
            await conn.ExecuteAsync(Insert("ev", 300, 10));
            await conn.ExecuteAsync("ALTER STREAM ev SET (LOCAL_RETENTION_MS = -1, LOCAL_RETENTION_BYTES = -1)");
        }
        await RestartAsync();
        await using (var conn = await OpenAsync())
        {
            Assert.Equal((310L, Sum(310)), await SummaryAsync(conn));
            var tiers = (await conn.QueryAsync<(string Field, string Type, string Detail)>("DESCRIBE EXTENDED ev"))
                .Where(r => r.Type == "TIERS").ToList();
            Assert.Equal(2, tiers.Count);
            Assert.All(tiers, t => Assert.Contains("cold offsets [0, ", t.Detail, StringComparison.Ordinal));
            var tiering = (await conn.QueryAsync<(string Field, string Type, string Detail)>("DESCRIBE EXTENDED ev"))
                .Single(r => r.Type == "TIERING").Detail;
            Assert.StartsWith("tiered false local_retention_ms -1 local_retention_bytes -1", tiering);

            // A push query replaying from the earliest offset reads the cold files, then hot, then live rows.
            await conn.ExecuteAsync("SET 'auto.offset.reset' = 'earliest'");
            await using var writer = await OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT id FROM ev WHERE id % 10 = 0 EMIT CHANGES LIMIT 33", conn);
            await using var rows = await cmd.ExecuteReaderAsync();
            var received = new List<long>();
            while (received.Count < 31 && await rows.ReadAsync())
                received.Add(rows.GetInt64(0));
            await writer.ExecuteAsync(Insert("ev", 1000, 30));
            while (await rows.ReadAsync())
                received.Add(rows.GetInt64(0));
            received.Sort();
            Assert.Equal(Enumerable.Range(0, 31).Select(i => i * 10L).Concat([1000L, 1010L]), received);
        }
    }

    [Fact]
    public async Task The_background_job_archives_a_tiered_stream_past_its_hot_limit_and_reports_it()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync("CREATE STREAM jobbed (id BIGINT, note STRING) WITH (SEGMENT_BYTES = 4096, "
            + "TIERED = TRUE, LOCAL_RETENTION_MS = -1, LOCAL_RETENTION_BYTES = 8192)");
        for (var batch = 0; batch < 8; batch++)
            await conn.ExecuteAsync(Insert("jobbed", batch * 50, 50));
        var deadline = DateTime.UtcNow + ClientTimeouts.Deadline;
        string tiers;
        do
        {
            await Task.Delay(100);
            tiers = (await conn.QueryAsync<(string Field, string Type, string Detail)>("DESCRIBE EXTENDED jobbed"))
                .Single(r => r.Type == "TIERS").Detail;
            Assert.True(DateTime.UtcNow < deadline, "the job did not archive in 30 s: " + tiers);
        }
        while (!tiers.Contains("cold offsets [0, ", StringComparison.Ordinal)
            || long.Parse(System.Text.RegularExpressions.Regex.Match(tiers, @"^hot .* bytes (\d+)").Groups[1].Value,
                System.Globalization.CultureInfo.InvariantCulture) > 8192 + 4096);
        Assert.Equal((400L, Sum(400)), await SummaryAsync(conn, "jobbed"));
        // The run that moved them may still be finishing (expiry comes after archival): wait for it to end.
        List<object?[]> runs;
        do
        {
            runs = (await RowsAsync(conn, "SHOW ARCHIVALS")).Where(r => (string)r[0]! == "jobbed").ToList();
            Assert.True(DateTime.UtcNow < deadline, "no finished job run in 30 s");
            Assert.DoesNotContain(runs, r => (string)r[3]! == "failed");
            await Task.Delay(50);
        }
        while (!runs.Any(r => (string)r[2]! == "job" && (string)r[3]! == "done" && (long)r[4]! > 0
            && (long)r[8]! > 0 && r[12] is DateTime));
    }

    private static async Task<List<object?[]>> RowsAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static long Sum(int n) => (long)n * (n - 1) / 2;

    private static async Task<(long Count, long Sum)> SummaryAsync(NpgsqlConnection conn, string stream = "ev") =>
        await conn.QuerySingleAsync<(long, long)>($"SELECT count(*), sum(id) FROM {stream}");

    private async Task RestartAsync()
    {
        await _server!.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        _server = await QueryServer.StartAsync(Settings);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection($"Host=127.0.0.1;Port={_server!.EndPoint.Port};Username=query;"
            + $"Database=query;{ClientTimeouts.Npgsql}");
        await conn.OpenAsync();
        return conn;
    }

    private static string Insert(string stream, int first, int count)
    {
        var sql = new StringBuilder($"INSERT INTO {stream} (id, note) VALUES ");
        for (var i = first; i < first + count; i++)
            sql.Append(i > first ? ", " : "").Append('(').Append(i).Append(", 'note number ").Append(i).Append("')");
        return sql.ToString();
    }
}
