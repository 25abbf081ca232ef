using Query.Testing;

namespace Query.Storage.Tests;

public sealed class TimeIndexTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Seek_by_timestamp_lands_on_first_record_at_or_after_it()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 8192 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 1000, batchSize: 3, timestampOf: n => 10 * n);
        Assert.Equal(0, partition.FindOffsetForTimestamp(long.MinValue));
        Assert.Equal(0, partition.FindOffsetForTimestamp(0));
        Assert.Equal(1, partition.FindOffsetForTimestamp(1));
        Assert.Equal(500, partition.FindOffsetForTimestamp(5000));
        Assert.Equal(501, partition.FindOffsetForTimestamp(5001));
        Assert.Equal(999, partition.FindOffsetForTimestamp(9990));
        Assert.Equal(1000, partition.FindOffsetForTimestamp(9991));
    }

    [Fact]
    public async Task Seek_by_timestamp_is_correct_when_timestamps_go_back_and_forth()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 8192 }).GetPartition(0);
        var random = new Random(7);
        var timestamps = new long[3000];
        for (var i = 0; i < timestamps.Length; i++)
            timestamps[i] = random.Next(0, 100_000);
        await StorageTestKit.AppendAsync(partition, 0, timestamps.Length, batchSize: 4,
            timestampOf: n => timestamps[n]);
        Assert.True(partition.GetSegments().Count > 10);
        foreach (var target in new long[] { -5, 0, 1, 500, 50_000, 99_990, 99_999, 100_000, 200_000 })
        {
            var expected = Array.FindIndex(timestamps, t => t >= target);
            Assert.Equal(expected < 0 ? timestamps.Length : expected, partition.FindOffsetForTimestamp(target));
        }
    }

    [Fact]
    public async Task Readers_skip_segments_and_batches_outside_the_time_range()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 400, batchSize: 4, timestampOf: n => n);
        using var reader = partition.OpenReader(0, minTimestampMs: 300, maxTimestampMs: 309);
        var offsets = new List<long>();
        while (reader.TryRead(out var record))
            offsets.Add(record.Offset);
        // Whole batches are read: [300, 304), [304, 308), [308, 312); records inside are not filtered.
        Assert.Equal(Enumerable.Range(300, 12).Select(i => (long)i), offsets);
        Assert.Equal(3, reader.Statistics.BatchesRead);
        Assert.True(reader.Statistics.BatchesSkipped > 0);
        Assert.True(reader.Statistics.SegmentsOpened <= 3);
        Assert.Equal(400, reader.NextOffset);
    }
}
