using System.Globalization;
using Query.Engine.Execution;

namespace Query.Engine.Tests;

/// <summary>
/// The scan cache (EngineOptions.ScanCacheBytes): pull queries that read kept chunks of the hot log answer exactly
/// what a scan of the log answers — on the first read and on later ones, with NULLs, mixed-type comparisons,
/// partial offset ranges, several workers, records that do not decode (skipped and counted on every scan, as
/// before), rows appended since, retention and truncation — and the cache stays within its bound.
/// </summary>
public sealed class ScanCacheTests : IAsyncLifetime
{
    private const int Rows = 3000;
    private readonly EngineFixture _cached = new(options => options with
    {
        BatchRows = 64,
        QueryScanWorkers = 2,
        QueryScanWorkerMinRecords = 1,
    });

    private readonly EngineFixture _plain = new(options => options with { BatchRows = 64, ScanCacheBytes = 0 });

    public async Task InitializeAsync()
    {
        foreach (var db in new[] { _cached, _plain })
        {
            await db.ExecAsync("CREATE STREAM s (k INT KEY, g STRING, x INT, d DOUBLE) "
                + "WITH (PARTITIONS = 3, DURABILITY = 'NONE')");
            await InsertAsync(db, 0, Rows);
        }
    }

    private static async Task InsertAsync(EngineFixture db, int from, int count)
    {
        var random = new Random(7 + from);
        await using var insert = db.Session.BeginBulkInsert("S");
        for (var i = from; i < from + count; i++)
        {
            var group = "g" + random.Next(30).ToString(CultureInfo.InvariantCulture);
            var d = i % 17 == 0 ? double.NaN : random.Next(1000) / 4.0;
            insert.AddRow([random.Next(200), i % 11 == 0 ? null : group, i % 13 == 0 ? null : random.Next(-1000, 1000),
                i % 19 == 0 ? null : d]);
        }
        await insert.CommitAsync();
    }

    public async Task DisposeAsync()
    {
        await _cached.DisposeAsync();
        await _plain.DisposeAsync();
    }

    [Theory]
    [InlineData("SELECT ROWPARTITION, ROWOFFSET, * FROM s")]
    [InlineData("SELECT k, x FROM s WHERE x > 500 AND g LIKE '%7%'")]
    [InlineData("SELECT k, g FROM s WHERE x IS NULL OR g IS NULL")]
    [InlineData("SELECT k FROM s WHERE CAST(x AS DOUBLE) > d AND d < 100")]
    [InlineData("SELECT k FROM s WHERE CAST(x AS STRING) = '42' OR g = 'g7'")]
    [InlineData("SELECT g, COUNT(*), SUM(x), MIN(d) FROM s GROUP BY g ORDER BY g")]
    [InlineData("SELECT x FROM s WHERE k = 7 ORDER BY x DESC LIMIT 10")]
    [InlineData("SELECT ROWOFFSET, k FROM s WHERE ROWOFFSET >= 100 AND ROWOFFSET < 230")]
    [InlineData("SELECT ROWOFFSET FROM s WHERE ROWOFFSET IN (3, 64, 700)")]
    [InlineData("SELECT COUNT(*), SUM(d) FROM s WHERE ROWPARTITION = 1")]
    [InlineData("SELECT k, x FROM s WHERE x > 0 LIMIT 5 OFFSET 700")]
    [InlineData("SELECT k, x FROM s WHERE x > 500 AND k = 7")]
    [InlineData("SELECT k FROM s WHERE 100 <= x AND x <> 300 AND d >= 100.5 AND g LIKE 'g1%'")]
    [InlineData("SELECT k, d FROM s WHERE d > 100 OR x = 5")]
    [InlineData("SELECT COUNT(*) FROM s WHERE d < 1e9 AND x = 17")]
    [InlineData("SELECT k FROM s WHERE d <> d OR d = 'NaN'::DOUBLE")]
    public async Task Kept_chunks_answer_what_the_log_answers(string sql)
    {
        var expected = await _plain.QueryAsync(sql);
        Assert.Equal(expected, await _cached.QueryAsync(sql));   // reads the log, keeps the chunks
        var (again, statistics) = await RunAsync(_cached, sql);  // reads the kept chunks
        Assert.Equal(expected, again);
        if (!sql.Contains("ROWOFFSET", StringComparison.Ordinal))
            Assert.True(statistics.RecordsFromCache > 0, "the second scan should read kept chunks");
    }

    [Fact]
    public async Task A_second_scan_reads_memory_not_the_log()
    {
        var (_, first) = await RunAsync(_cached, "SELECT COUNT(*) FROM s WHERE x > 0");
        var (_, second) = await RunAsync(_cached, "SELECT COUNT(*) FROM s WHERE x > 0");
        Assert.True(first.BatchesRead > 0);
        Assert.Equal(0, first.RecordsFromCache);
        // The chunks of whole offsets are kept; only each partition's last, unfinished chunk is read again.
        Assert.True(second.BatchesRead < first.BatchesRead, $"{second.BatchesRead} vs {first.BatchesRead}");
        Assert.True(second.RecordsFromCache > Rows * 0.9, $"{second.RecordsFromCache} of {Rows}");
        Assert.Equal(first.RecordsScanned, second.RecordsScanned);
        var cache = _cached.Engine.ScanCache;
        Assert.True(cache.Bytes > 0 && cache.ChunkCount > 0 && cache.Hits > 0);
    }

    [Fact]
    public async Task Rows_appended_after_a_scan_are_seen_by_the_next()
    {
        const string sql = "SELECT ROWPARTITION, ROWOFFSET, k, x FROM s WHERE x > 100";
        await _cached.QueryAsync(sql);
        foreach (var db in new[] { _cached, _plain })
            await InsertAsync(db, Rows, 500);
        Assert.Equal(await _plain.QueryAsync(sql), await _cached.QueryAsync(sql));
        Assert.Equal(await _plain.QueryAsync(sql), await _cached.QueryAsync(sql));
    }

    [Fact]
    public async Task Records_that_do_not_decode_are_skipped_and_counted_on_every_scan()
    {
        foreach (var db in new[] { _cached, _plain })
        {
            await db.ExecAsync("CREATE STREAM j (k STRING KEY, v INT) WITH (KAFKA_TOPIC = 'j', FORMAT = 'JSON')");
            for (var i = 0; i < 300; i++)
            {
                var value = (i % 10) switch
                {
                    3 => "{not json",
                    5 => "{\"v\": \"seven\"}",
                    _ => $"{{\"v\": {i}}}",
                };
                await db.Engine.ProduceAsync("j", 0, 1000 + i, System.Text.Encoding.UTF8.GetBytes($"\"k{i}\""),
                    System.Text.Encoding.UTF8.GetBytes(value));
            }
        }
        foreach (var run in new[] { 1, 2, 3 })
        {
            var expected = await _plain.QueryAsync("SELECT k, v FROM j WHERE v > 100");
            Assert.Equal(expected, await _cached.QueryAsync("SELECT k, v FROM j WHERE v > 100"));
            Assert.Equal(Skipped(_plain, "j"), Skipped(_cached, "j"));
            Assert.Equal(60L * run, Skipped(_cached, "j"));
        }
    }

    [Fact]
    public async Task A_null_row_time_is_skipped_and_counted_on_every_scan()
    {
        foreach (var db in new[] { _cached, _plain })
        {
            await db.ExecAsync("CREATE STREAM t (id INT, ts TIMESTAMP) WITH (TIMESTAMP = 'ts', PARTITIONS = 1)");
            await using var insert = db.Session.BeginBulkInsert("T");
            for (var i = 0; i < 400; i++)
                insert.AddRow([i, i % 7 == 0 ? null : DateTime.UnixEpoch.AddSeconds(1_700_000_000 + i)]);
            await insert.CommitAsync();
        }
        for (var run = 1; run <= 2; run++)
        {
            Assert.Equal(await _plain.QueryAsync("SELECT id, ROWTIME FROM t"),
                await _cached.QueryAsync("SELECT id, ROWTIME FROM t"));
            Assert.Equal(58L * run, Skipped(_cached, "t"));
            Assert.Equal(Skipped(_plain, "t"), Skipped(_cached, "t"));
        }
    }

    [Fact]
    public async Task Truncated_records_are_not_read_from_the_cache()
    {
        await _cached.ExecAsync("CREATE STREAM u (id INT) WITH (PARTITIONS = 1)");
        await FillAsync(_cached, "U", 0, 1000);
        Assert.Equal(1000, (await _cached.QueryAsync("SELECT id FROM u")).Count);
        Assert.True(_cached.Engine.TryGetStream("u", out var stream));
        await stream.Log.GetPartition(0).TruncateAfterAsync(99);
        await FillAsync(_cached, "U", 5000, 900);   // offsets 100..999 again, other values
        var ids = (await _cached.QueryAsync("SELECT id FROM u")).Select(r => (int)r[0]!).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Concat(Enumerable.Range(5000, 900)), ids);
    }

    [Fact]
    public async Task Records_removed_by_retention_are_not_read_from_the_cache()
    {
        await _cached.ExecAsync("CREATE STREAM r (id INT, pad STRING) WITH (PARTITIONS = 1, SEGMENT_BYTES = 65536, "
            + "RETENTION_BYTES = 200000, DURABILITY = 'NONE')");
        await FillAsync(_cached, "R", 0, 3000);
        Assert.Equal(3000, (await _cached.QueryAsync("SELECT id FROM r")).Count);
        Assert.True(_cached.Engine.TryGetStream("r", out var stream));
        var partition = stream.Log.GetPartition(0);
        await FillAsync(_cached, "R", 3000, 3000);
        partition.EnforceRetention();
        var start = partition.StartOffset;
        Assert.True(start > 0, "retention should have removed the oldest segments");
        var ids = (await _cached.QueryAsync("SELECT id FROM r")).Select(r => (int)r[0]!).ToList();
        Assert.Equal(Enumerable.Range((int)start, 6000 - (int)start), ids);
    }

    [Fact]
    public async Task The_cache_stays_within_its_bound_and_a_dropped_stream_leaves_it()
    {
        await using var small = new EngineFixture(options => options with { BatchRows = 64, ScanCacheBytes = 40_000 });
        await small.ExecAsync("CREATE STREAM s (k INT KEY, g STRING, x INT, d DOUBLE) WITH (PARTITIONS = 3)");
        await InsertAsync(small, 0, Rows);
        const string sql = "SELECT k, g, x FROM s WHERE x > 100 AND g LIKE '%3'";
        var expected = await _plain.QueryAsync(sql);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected, await small.QueryAsync(sql));
            Assert.InRange(small.Engine.ScanCache.Bytes, 1, 40_000);
        }
        await small.ExecAsync("DROP STREAM s");
        Assert.Equal(0, small.Engine.ScanCache.Bytes);
        Assert.Equal(0, small.Engine.ScanCache.ChunkCount);
    }

    private static async Task FillAsync(EngineFixture db, string stream, int from, int count)
    {
        await using var insert = db.Session.BeginBulkInsert(stream);
        var wide = stream == "R";
        for (var i = from; i < from + count; i++)
            insert.AddRow(wide ? [i, new string('p', 100)] : [i]);
        await insert.CommitAsync();
    }

    private static long Skipped(EngineFixture db, string stream) =>
        db.Engine.TryGetStream(stream, out var runtime) ? runtime.SkippedRecords : -1;

    private static async Task<(List<object?[]> Rows, ScanStatistics Statistics)> RunAsync(EngineFixture db,
        string sql)
    {
        await using var result = await db.Session.ExecuteAsync(sql);
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        return (rows, result.Rows!.Statistics);
    }
}
