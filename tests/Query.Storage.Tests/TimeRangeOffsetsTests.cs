using Query.Storage.Reading;
using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>
/// <see cref="HotPartitionSource.FindOffsetRangesForTime"/>: the offset ranges a ROWTIME window can need, from the
/// index blocks' timestamp bounds alone. Every record in the window lies inside them, for out-of-order data over
/// several segments, in the active segment, and after a reopen (bounds from the batch headers); they stay below the
/// end offset given; and for ordered data they are about the window's own records wherever it lies.
/// </summary>
public sealed class TimeRangeOffsetsTests : IDisposable
{
    private const int Records = 30_000;
    private const int BatchSize = 25;

    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_record_in_the_window_is_inside_the_ranges_with_out_of_order_data()
    {
        var timestamps = TimedPartition.Jittered(Records, seed: 3);
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = await TimedPartition.CreateAsync(store, timestamps, BatchSize);
            Assert.True(partition.GetSegments().Count > 3, "the data should span several segments");
            AssertRangesHoldTheWindow(partition, timestamps);
        }
        using var reopened = LogStore.Open(_directory.Path);
        Assert.True(reopened.TryGetLog("t", out var log));
        AssertRangesHoldTheWindow(log.GetPartition(0), timestamps);
    }

    [Fact]
    public async Task A_record_far_back_in_the_active_segment_is_inside_the_ranges()
    {
        var timestamps = TimedPartition.Jittered(Records, seed: 5);
        timestamps[Records - 3] = 1_000;                    // in the last batch of the active segment
        using var store = LogStore.Open(_directory.Path);
        var partition = await TimedPartition.CreateAsync(store, timestamps, BatchSize);

        var ranges = new HotPartitionSource(partition).FindOffsetRangesForTime(900, 1_100, partition.EndOffset);

        Assert.Contains(ranges, r => r.Start <= Records - 3 && Records - 3 < r.End);
        AssertCovers(ranges, timestamps, 900, 1_100, Records);
    }

    [Fact]
    public async Task Ordered_data_gives_about_the_window_wherever_it_lies()
    {
        var timestamps = new long[Records];
        for (var i = 0; i < Records; i++)
            timestamps[i] = 10L * i;
        using var store = LogStore.Open(_directory.Path);
        var partition = await TimedPartition.CreateAsync(store, timestamps, BatchSize);
        var source = new HotPartitionSource(partition);

        foreach (var first in new[] { 0, 500, 15_000, 29_000 })
        {
            var ranges = source.FindOffsetRangesForTime(10L * first, (10L * first) + 999, partition.EndOffset);

            var (start, end) = Assert.Single(ranges);
            Assert.True(start <= first && end >= Math.Min(Records, first + 100), $"[{start}, {end}) for {first}");
            // 100 records are 4 batches; with the index blocks around them (about 4 KiB each) well under 500.
            Assert.InRange(end - start, 100, 500);
        }
        Assert.Empty(source.FindOffsetRangesForTime(10L * Records, long.MaxValue, partition.EndOffset));
        Assert.Empty(source.FindOffsetRangesForTime(long.MinValue, -1, partition.EndOffset));
    }

    [Fact]
    public async Task Ranges_stay_below_the_end_offset_given()
    {
        var timestamps = TimedPartition.Jittered(Records, seed: 9);
        using var store = LogStore.Open(_directory.Path);
        var partition = await TimedPartition.CreateAsync(store, timestamps, BatchSize);
        var source = new HotPartitionSource(partition);

        foreach (var end in new long[] { 0, 1, 7_777, Records - 1 })
        {
            var ranges = source.FindOffsetRangesForTime(long.MinValue, long.MaxValue, end);
            Assert.All(ranges, r => Assert.True(r.End <= end && r.Start < r.End));
            AssertCovers(ranges, timestamps, long.MinValue, long.MaxValue, end);
        }
    }

    private static void AssertRangesHoldTheWindow(PartitionLog partition, long[] timestamps)
    {
        var source = new HotPartitionSource(partition);
        var random = new Random(11);
        for (var i = 0; i < 80; i++)
        {
            var min = random.NextInt64(-2_000, 10L * Records + 2_000);
            var max = min + random.NextInt64(0, 3_000);
            AssertCovers(source.FindOffsetRangesForTime(min, max, partition.EndOffset), timestamps, min, max,
                Records);
        }
    }

    // Sorted, disjoint, below the end, and holding every offset below the end whose timestamp is in [min, max].
    private static void AssertCovers(IReadOnlyList<(long Start, long End)> ranges, long[] timestamps, long min,
        long max, long end)
    {
        for (var r = 0; r < ranges.Count; r++)
        {
            Assert.True(ranges[r].Start < ranges[r].End && ranges[r].End <= end, $"range {ranges[r]}");
            Assert.True(r == 0 || ranges[r - 1].End < ranges[r].Start, "sorted, disjoint and not adjacent");
        }
        var next = 0;
        for (var offset = 0; offset < end; offset++)
        {
            if (timestamps[offset] < min || timestamps[offset] > max)
                continue;
            while (next < ranges.Count && ranges[next].End <= offset)
                next++;
            Assert.True(next < ranges.Count && ranges[next].Start <= offset,
                $"offset {offset} (timestamp {timestamps[offset]}) is outside the ranges for [{min}, {max}]");
        }
    }
}
