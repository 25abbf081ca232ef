using System.Globalization;

namespace Query.Engine.Tests;

/// <summary>
/// ROWTIME and ROWOFFSET ranges over a 4-partition stream loaded in bulk with out-of-order timestamps: the plan's
/// offsets come from the time index's blocks, the ranges are read through the scan cache once it holds them (the
/// ROWTIME comparisons run over the kept row times), and a lone COUNT(*) counts batches without positioning records.
/// Every answer equals the one computed from the generated data, with the cache on (cold and warm) and off; a warm
/// range reads nothing from the log, and without the cache a narrow range reads a few batches wherever it lies.
/// </summary>
public sealed class TimeRangeScanTests : IAsyncLifetime
{
    private const int Rows = 20_000;
    private const long BaseMs = 1_704_067_200_000;   // 2024-01-01T00:00:00Z
    private readonly EngineFixture _cached = new(options => options with { BatchRows = 256 });
    private readonly EngineFixture _plain = new(options => options with { BatchRows = 256, ScanCacheBytes = 0 });
    private readonly long[] _times = new long[Rows];

    public async Task InitializeAsync()
    {
        var random = new Random(17);
        for (var i = 0; i < Rows; i++)
        {
            // Mostly ordered (100 ms apart) with jitter; one row in 100 far from its neighbours.
            _times[i] = BaseMs + (100L * i) + random.Next(-2_000, 2_000);
            if (random.Next(100) == 0)
                _times[i] = BaseMs + random.NextInt64(0, 100L * Rows);
        }
        foreach (var db in new[] { _cached, _plain })
        {
            await db.ExecAsync("CREATE STREAM s (id INT KEY, ts BIGINT, page STRING) "
                + "WITH (PARTITIONS = 4, TIMESTAMP = 'ts', DURABILITY = 'NONE')");
            await using var insert = db.Session.BeginBulkInsert("s");
            for (var i = 0; i < Rows; i++)
                insert.AddRow([i, _times[i], "/page/" + (i % 7).ToString(CultureInfo.InvariantCulture)]);
            await insert.CommitAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await _cached.DisposeAsync();
        await _plain.DisposeAsync();
    }

    [Fact]
    public async Task Rowtime_ranges_answer_exactly_with_the_cache_cold_warm_and_off()
    {
        var windows = Windows();
        foreach (var pass in new[] { "cold", "warm" })
        {
            foreach (var (low, high) in windows)
            {
                var expected = Expected(low, high);
                foreach (var db in new[] { _cached, _plain })
                {
                    var label = $"{pass} {(db == _cached ? "cached" : "plain")} [{low}, {high})";
                    Assert.True(expected.Count == await CountAsync(db, $"ROWTIME >= {low} AND ROWTIME < {high}"),
                        label);
                    var ids = await db.QueryAsync($"SELECT id FROM s WHERE ROWTIME >= {low} AND ROWTIME < {high}");
                    Assert.Equal(expected, ids.Select(r => (int)r[0]!).Order().ToList());
                    var sevens = expected.Count(i => i % 7 == 3);
                    Assert.True(sevens == await CountAsync(db,
                        $"ROWTIME BETWEEN {low} AND {high - 1} AND page LIKE '%/3'"), label + " with LIKE");
                }
            }
            if (pass == "cold")
                await CountAsync(_cached, "TRUE");   // fills the cache with every chunk
        }
    }

    [Fact]
    public async Task Rowtime_in_lists_and_open_ranges_answer_exactly()
    {
        var probes = new[] { _times[5], _times[9_000], _times[Rows - 1] };
        foreach (var db in new[] { _cached, _plain })
        {
            var expected = _times.Count(t => probes.Contains(t));
            Assert.Equal(expected, await CountAsync(db, $"ROWTIME IN ({string.Join(", ", probes)})"));
            var cut = BaseMs + (100L * Rows / 2);
            Assert.Equal(_times.Count(t => t < cut), await CountAsync(db, $"ROWTIME < {cut}"));
            Assert.Equal(_times.Count(t => t > cut), await CountAsync(db, $"NOT (ROWTIME <= {cut})"));
            Assert.Equal(0, await CountAsync(db, $"ROWTIME < {BaseMs - 10_000}"));
            Assert.Equal(Rows, await CountAsync(db, "ROWTIME >= 0"));
        }
    }

    [Fact]
    public async Task Rowoffset_ranges_count_exactly()
    {
        var perPartition = await _plain.QueryAsync(
            "SELECT ROWPARTITION, COUNT(*) FROM s GROUP BY ROWPARTITION ORDER BY ROWPARTITION");
        Assert.Equal(4, perPartition.Count);
        await CountAsync(_cached, "TRUE");
        foreach (var (from, to) in new[] { (0L, 1L), (100L, 1_100L), (2_000L, 2_005L), (4_990L, 9_000L) })
        {
            var expected = perPartition.Sum(r => Math.Max(0, Math.Min((long)r[1]!, to) - Math.Min((long)r[1]!, from)));
            foreach (var db in new[] { _cached, _plain })
                Assert.Equal(expected, await CountAsync(db, $"ROWOFFSET >= {from} AND ROWOFFSET < {to}"));
        }
    }

    [Fact]
    public async Task A_warm_range_reads_nothing_from_the_log_and_a_cold_one_few_batches()
    {
        // Ordered with jitter, rows of about 240 bytes: a 64 KiB batch holds about 270 rows, a partition 37 batches.
        const int rows = 40_000;
        var padding = new string('x', 200);
        foreach (var db in new[] { _cached, _plain })
        {
            await db.ExecAsync("CREATE STREAM o (id INT KEY, ts BIGINT, page STRING) "
                + "WITH (PARTITIONS = 4, TIMESTAMP = 'ts', DURABILITY = 'NONE')");
            await using var insert = db.Session.BeginBulkInsert("o");
            var random = new Random(5);
            for (var i = 0; i < rows; i++)
                insert.AddRow([i, BaseMs + (100L * i) + random.Next(-2_000, 2_000), padding]);
            await insert.CommitAsync();
        }
        var (all, full) = await CountWithStatisticsAsync(_plain, "o", "TRUE");
        Assert.Equal(rows, all);
        await CountWithStatisticsAsync(_cached, "o", "TRUE");
        foreach (var fraction in new[] { 0.05, 0.5, 0.95 })
        {
            // 1% of the rows: about 100 a partition, one or two batches each.
            var low = BaseMs + (long)(100L * rows * fraction);
            var high = low + (100L * rows / 100);
            var where = $"ROWTIME >= {low} AND ROWTIME < {high}";
            var (expected, _) = await CountWithStatisticsAsync(_plain, "o", $"ts >= {low} AND ts < {high}");

            var (warm, warmStatistics) = await CountWithStatisticsAsync(_cached, "o", where);
            Assert.Equal(expected, warm);
            Assert.Equal(0, warmStatistics.BytesRead);
            Assert.True(warmStatistics.RecordsFromCache > 0);

            var (cold, coldStatistics) = await CountWithStatisticsAsync(_plain, "o", where);
            Assert.Equal(expected, cold);
            Assert.True(full.BatchesRead > 100, $"{full.BatchesRead} batches in all");
            Assert.InRange(coldStatistics.BatchesRead, 4, 12);
            Assert.Equal(0, coldStatistics.BatchesSkipped);
        }
    }

    [Fact]
    public async Task A_lone_count_star_counts_every_admitted_row()
    {
        foreach (var db in new[] { _cached, _plain })
        {
            var rows = await db.QueryAsync("SELECT COUNT(*), COUNT(*) AS again FROM s WHERE ROWTIME >= 0");
            Assert.Equal([(long)Rows, (long)Rows], rows.Single());
            Assert.Equal(0L, (await db.QueryAsync("SELECT COUNT(*) FROM s WHERE ROWOFFSET < 0")).Single()[0]);
            var filtered = await db.QueryAsync("SELECT COUNT(*) FROM s WHERE page = '/page/1'");
            Assert.Equal((long)Enumerable.Range(0, Rows).Count(i => i % 7 == 1), filtered.Single()[0]);
        }
    }

    private List<(long Low, long High)> Windows()
    {
        var random = new Random(23);
        var windows = new List<(long, long)> { (BaseMs - 5_000, BaseMs + 500), (BaseMs + (100L * Rows) - 300,
            BaseMs + (100L * Rows) + 5_000) };
        for (var i = 0; i < 12; i++)
        {
            var low = BaseMs + random.NextInt64(0, 100L * Rows);
            windows.Add((low, low + random.NextInt64(1, 20_000)));
        }
        return windows;
    }

    private List<int> Expected(long low, long high)
    {
        var ids = new List<int>();
        for (var i = 0; i < Rows; i++)
        {
            if (_times[i] >= low && _times[i] < high)
                ids.Add(i);
        }
        return ids;
    }

    private static async Task<long> CountAsync(EngineFixture db, string where) =>
        (await CountWithStatisticsAsync(db, "s", where)).Count;

    private static async Task<(long Count, Execution.ScanStatistics Statistics)> CountWithStatisticsAsync(
        EngineFixture db, string stream, string where)
    {
        await using var result = await db.Session.ExecuteAsync($"SELECT COUNT(*) FROM {stream} WHERE {where}");
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        return ((long)rows.Single()[0]!, result.Rows!.Statistics);
    }
}
