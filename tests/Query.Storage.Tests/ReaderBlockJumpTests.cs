using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>
/// Time-range reads jump over index blocks outside the range using each block's min and max timestamp: the
/// answer equals a full scan's for out-of-order data over several segments (also after a reopen, when the
/// blocks' bounds are unknown and the reader walks headers), and a range costs about the same wherever it lies.
/// </summary>
public sealed class ReaderBlockJumpTests : IDisposable
{
    private const int Records = 30_000;
    private const int BatchSize = 25;

    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Ranges_over_out_of_order_data_in_several_segments_match_a_full_scan()
    {
        var timestamps = TimedPartition.Jittered(Records, seed: 3);
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = await TimedPartition.CreateAsync(store, timestamps, BatchSize);
            Assert.True(partition.GetSegments().Count > 3, "the data should span several segments");
            AssertRangesMatchFullScan(partition);
        }
        using var reopened = LogStore.Open(_directory.Path);
        Assert.True(reopened.TryGetLog("t", out var log));
        AssertRangesMatchFullScan(log.GetPartition(0));
    }

    [Fact]
    public async Task A_range_costs_the_blocks_that_overlap_it_wherever_it_lies()
    {
        var timestamps = new long[Records];
        for (var i = 0; i < Records; i++)
            timestamps[i] = 10L * i;
        using var store = LogStore.Open(_directory.Path);
        var partition = await TimedPartition.CreateAsync(store, timestamps, BatchSize);

        foreach (var startRecord in new[] { 500, 15_000, 29_000 })
        {
            var min = 10L * startRecord;
            using var reader = partition.OpenReader(0, long.MaxValue, min, min + 10 * 100 - 1);
            var count = 0;
            while (reader.TryRead(out var record))
                count += record.TimestampMs >= min && record.TimestampMs < min + 1000 ? 1 : 0;

            Assert.Equal(100, count);
            Assert.Equal(Records, reader.NextOffset);
            // 100 records are 4 batches, plus the neighbours in their blocks and the active segment's last block.
            Assert.InRange(reader.Statistics.BatchesRead + reader.Statistics.BatchesSkipped, 4, 12);
        }
    }

    [Fact]
    public async Task After_a_reopen_sealed_segments_get_their_block_bounds_from_the_headers()
    {
        var timestamps = new long[Records];
        for (var i = 0; i < Records; i++)
            timestamps[i] = 10L * i;
        using (var store = LogStore.Open(_directory.Path))
            await TimedPartition.CreateAsync(store, timestamps, BatchSize);
        using var reopened = LogStore.Open(_directory.Path);
        Assert.True(reopened.TryGetLog("t", out var log));
        var partition = log.GetPartition(0);

        var found = ReadRange(partition, 5_000, 5_999, out var statistics);

        Assert.Equal(Expected(timestamps, 5_000, 5_999), found);
        // Without bounds every header after the range would be read (about 1,000 batches).
        Assert.InRange(statistics.BatchesRead + statistics.BatchesSkipped, 4, 12);
    }

    [Fact]
    public async Task A_record_far_out_of_order_at_the_end_is_found()
    {
        var timestamps = TimedPartition.Jittered(Records, seed: 5);
        timestamps[Records - 30] = 1_000;                   // in the last segment, within a range near the start
        using var store = LogStore.Open(_directory.Path);
        var partition = await TimedPartition.CreateAsync(store, timestamps, BatchSize);

        var found = ReadRange(partition, 900, 1_100, out _);

        Assert.Contains(Records - 30L, found);
        Assert.Equal(Expected(timestamps, 900, 1_100), found);
    }

    private static void AssertRangesMatchFullScan(PartitionLog partition)
    {
        var all = StorageTestKit.ReadAll(partition);
        var timestamps = all.Select(r => r.TimestampMs).ToArray();
        var random = new Random(11);
        for (var i = 0; i < 60; i++)
        {
            var min = random.NextInt64(-2_000, 10L * Records + 2_000);
            var max = min + random.NextInt64(0, 3_000);
            Assert.Equal(Expected(timestamps, min, max), ReadRange(partition, min, max, out _));
        }
    }

    private static List<long> ReadRange(PartitionLog partition, long min, long max, out ReadStatistics statistics)
    {
        var offsets = new List<long>();
        using var reader = partition.OpenReader(0, long.MaxValue, min, max);
        while (reader.TryRead(out var record))
        {
            if (record.TimestampMs >= min && record.TimestampMs <= max)
                offsets.Add(record.Offset);
        }
        Assert.Equal(Records, reader.NextOffset);
        statistics = reader.Statistics;
        return offsets;
    }

    private static List<long> Expected(long[] timestamps, long min, long max)
    {
        var expected = new List<long>();
        for (var i = 0; i < timestamps.Length; i++)
        {
            if (timestamps[i] >= min && timestamps[i] <= max)
                expected.Add(i);
        }
        return expected;
    }
}
