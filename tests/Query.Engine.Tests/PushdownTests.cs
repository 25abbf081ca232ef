using System.Globalization;
using System.Text;

namespace Query.Engine.Tests;

/// <summary>ROWTIME / ROWOFFSET / ROWPARTITION predicates decide what storage reads, proven by its counters.</summary>
public sealed class PushdownTests : IAsyncLifetime
{
    private const int Batches = 200;
    private const int RowsPerBatch = 50;
    private const long BaseMs = 1_704_067_200_000; // 2024-01-01T00:00:00Z
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync()
    {
        await _db.ExecAsync("CREATE STREAM ev (id BIGINT, ts TIMESTAMP) WITH (TIMESTAMP = 'ts', DURABILITY = 'NONE', "
            + "SEGMENT_BYTES = 65536)");
        // One INSERT per storage batch; row i has ROWTIME = base + i seconds.
        for (var b = 0; b < Batches; b++)
        {
            var sql = new StringBuilder("INSERT INTO ev VALUES ");
            for (var r = 0; r < RowsPerBatch; r++)
            {
                var i = (b * RowsPerBatch) + r;
                sql.Append(r == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({i}, {BaseMs + (i * 1000L)})");
            }
            await _db.ExecAsync(sql.ToString());
        }
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<(List<object?[]> Rows, Execution.ScanStatistics Statistics)> RunAsync(string sql)
    {
        await using var result = await _db.Session.ExecuteAsync(sql);
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        return (rows, result.Rows!.Statistics);
    }

    private static string Iso(long i) =>
        DateTime.UnixEpoch.AddMilliseconds(BaseMs + (i * 1000L)).ToString("yyyy-MM-ddTHH:mm:ss",
            CultureInfo.InvariantCulture);

    [Fact]
    public async Task Narrow_rowtime_range_reads_only_overlapping_batches()
    {
        var (all, full) = await RunAsync("SELECT id FROM ev WHERE ts >= TIMESTAMP '2024-01-01 01:00:00' AND ts < "
            + "TIMESTAMP '2024-01-01 01:00:10'");
        var (rows, narrow) = await RunAsync($"SELECT id FROM ev WHERE ROWTIME >= '{Iso(3600)}' AND ROWTIME < "
            + $"'{Iso(3610)}'");
        Assert.Equal(10, rows.Count);
        Assert.Equal(all.Select(r => r[0]), rows.Select(r => r[0]));
        Assert.Equal(Batches, full.BatchesRead);
        // The full scan filled the scan cache, so the range is read there: the records of the index blocks
        // (about 4 KiB each) that overlap it, no batch of the log.
        Assert.InRange(narrow.BatchesRead, 0, 2);
        Assert.True(narrow.BytesRead * 20 < full.BytesRead, $"{narrow.BytesRead} vs {full.BytesRead}");
        Assert.InRange(narrow.RecordsScanned, 10, 4 * RowsPerBatch);
    }

    [Fact]
    public async Task Rowoffset_range_becomes_start_and_stop_offsets()
    {
        var (rows, statistics) = await RunAsync("SELECT ROWOFFSET, id FROM ev WHERE ROWOFFSET >= 5000 AND ROWOFFSET < "
            + "5010");
        Assert.Equal(Enumerable.Range(5000, 10).Select(i => (long)i), rows.Select(r => (long)r[0]!));
        Assert.Equal(10, statistics.RecordsScanned);
        var (tail, _) = await RunAsync("SELECT id FROM ev WHERE NOT (ROWOFFSET < 9995)");
        Assert.Equal(5, tail.Count);
        var (points,
            pointStatistics) = await RunAsync("SELECT id FROM ev WHERE ROWOFFSET IN (7, 9000) OR ROWOFFSET = 42");
        Assert.Equal([7L, 42L, 9000L], points.Select(r => (long)r[0]!).Order());
        Assert.Equal(3, pointStatistics.RecordsScanned);
    }

    [Fact]
    public async Task Explain_shows_ranges_and_segments_per_partition()
    {
        var (plan, _) = await RunAsync(
            $"EXPLAIN SELECT id FROM ev WHERE ROWTIME BETWEEN '{Iso(100)}' AND '{Iso(200)}'");
        var text = string.Join("\n", plan.Select(r => (string)r[0]!));
        Assert.Contains("partition 0: offsets", text, StringComparison.Ordinal);
        Assert.Contains("rowtime [2024-01-01 00:01:40, 2024-01-01 00:03:20]", text, StringComparison.Ordinal);
        Assert.Contains("segment ", text, StringComparison.Ordinal);
    }
}

public sealed class PartitionPushdownTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync()
    {
        await _db.ExecAsync("CREATE STREAM p (k INT KEY, v INT) WITH (PARTITIONS = 4, DURABILITY = 'NONE')");
        var values = string.Join(", ", Enumerable.Range(0, 400).Select(i => $"({i}, {i})"));
        await _db.ExecAsync($"INSERT INTO p VALUES {values}");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Rowpartition_equality_and_in_prune_partitions()
    {
        await using (var result = await _db.Session.ExecuteAsync("SELECT ROWPARTITION FROM p WHERE ROWPARTITION = 2"))
        {
            var rows = await EngineFixture.ReadAllAsync(result.Rows!);
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal(2, r[0]));
            Assert.Equal(1, result.Rows!.Statistics.PartitionsScanned);
        }
        await using (var result = await _db.Session.ExecuteAsync("SELECT v FROM p WHERE ROWPARTITION IN (1, 3)"))
        {
            await EngineFixture.ReadAllAsync(result.Rows!);
            Assert.Equal(2, result.Rows!.Statistics.PartitionsScanned);
        }
    }

    [Fact]
    public async Task Per_partition_offset_predicates_resume_each_partition()
    {
        var counts = await _db.QueryAsync("SELECT ROWPARTITION, COUNT(*) FROM p GROUP BY ROWPARTITION ORDER BY "
            + "ROWPARTITION");
        Assert.Equal(400L, counts.Sum(r => (long)r[1]!));
        await using var result = await _db.Session.ExecuteAsync(
            "SELECT ROWPARTITION, ROWOFFSET FROM p WHERE (ROWPARTITION = 0 AND ROWOFFSET > 5) OR (ROWPARTITION = 1 AND "
                + "ROWOFFSET >= 90)");
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        var expected = ((long)counts[0][1]! - 6) + ((long)counts[1][1]! - 90);
        Assert.Equal(expected, rows.Count);
        Assert.Equal(expected, result.Rows!.Statistics.RecordsScanned);
        Assert.All(rows, r => Assert.True((int)r[0]! == 0 ? (long)r[1]! > 5 : (long)r[1]! >= 90));
    }
}

public sealed class OutOfOrderTimeTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAsync(
        "CREATE STREAM o (id INT, ts BIGINT) WITH (TIMESTAMP = 'ts', DURABILITY = 'NONE')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Rowtime_ranges_are_exact_when_timestamps_are_out_of_order()
    {
        var random = new Random(7);
        var times = new List<long>();
        for (var batch = 0; batch < 40; batch++)
        {
            var values = new List<string>();
            for (var r = 0; r < 25; r++)
            {
                var ts = 1_000_000L + (batch * 1000) + random.Next(-3000, 3000);
                times.Add(ts);
                values.Add($"({times.Count - 1}, {ts})");
            }
            await _db.ExecAsync($"INSERT INTO o VALUES {string.Join(", ", values)}");
        }
        foreach (var (low, high) in new[] { (1_010_000L, 1_012_000L), (990_000L, 1_001_000L), (1_039_000L,
            1_050_000L) })
        {
            var rows = await _db.QueryAsync($"SELECT id FROM o WHERE ROWTIME >= {low} AND ROWTIME < {high}");
            var expected = times.Select((t, i) => (t, i)).Where(x => x.t >= low && x.t < high).Select(x => x.i);
            Assert.Equal(expected.Order(), rows.Select(r => (int)r[0]!).Order());
        }
    }
}
