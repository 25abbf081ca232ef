using Query.Testing;

namespace Query.Storage.Tests;

public sealed class SegmentTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Segments_roll_by_size_and_are_named_by_base_offset_with_both_indexes()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 200, batchSize: 5);
        var segments = partition.GetSegments();
        Assert.True(segments.Count >= 5);
        long expectedBase = 0;
        foreach (var segment in segments)
        {
            Assert.Equal(expectedBase, segment.BaseOffset);
            Assert.Equal($"{segment.BaseOffset:D20}.log", Path.GetFileName(segment.FilePath));
            Assert.True(File.Exists(Path.ChangeExtension(segment.FilePath, ".index")));
            Assert.True(File.Exists(Path.ChangeExtension(segment.FilePath, ".timeindex")));
            Assert.True(segment.SizeBytes <= 4096);
            Assert.Equal(1_000 + segment.BaseOffset, segment.MinTimestampMs);
            Assert.Equal(1_000 + segment.EndOffset - 1, segment.MaxTimestampMs);
            expectedBase = segment.EndOffset;
        }
        Assert.Equal(200, expectedBase);
        StorageTestKit.AssertRecords(partition, 0, 200);
        StorageTestKit.AssertRecords(partition, 137, 200);
    }

    [Fact]
    public async Task Segments_roll_by_age()
    {
        var clock = new StorageManualClock(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
        using var store = LogStore.Open(_directory.Path, clock);
        var partition = store.CreateLog("t",
            new LogOptions { SegmentMaxAge = TimeSpan.FromMinutes(1) }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 10);
        clock.Advance(TimeSpan.FromSeconds(59));
        await StorageTestKit.AppendAsync(partition, 10, 10);
        Assert.Single(partition.GetSegments());
        clock.Advance(TimeSpan.FromSeconds(2));
        await StorageTestKit.AppendAsync(partition, 20, 10);
        var segments = partition.GetSegments();
        Assert.Equal(2, segments.Count);
        Assert.Equal(20, segments[1].BaseOffset);
    }

    [Fact]
    public async Task Retention_by_bytes_deletes_oldest_whole_segments()
    {
        using var store = LogStore.Open(_directory.Path);
        var options = new LogOptions { SegmentMaxBytes = 4096, RetentionBytes = 10_000 };
        var partition = store.CreateLog("t", options).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 400, batchSize: 5);
        var segments = partition.GetSegments();
        Assert.True(segments.Sum(s => s.SizeBytes) <= 10_000 + 4096);
        Assert.Equal(segments[0].BaseOffset, partition.StartOffset);
        Assert.True(partition.StartOffset > 0);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(segments[0].FilePath)!, $"{0:D20}.log")));
        StorageTestKit.AssertRecords(partition, partition.StartOffset, 400);
        Assert.Throws<OffsetOutOfRangeException>(() => partition.OpenReader(0));
    }

    [Fact]
    public async Task Retention_by_time_deletes_segments_whose_newest_record_is_too_old()
    {
        var clock = new StorageManualClock(DateTimeOffset.FromUnixTimeMilliseconds(10_000_000));
        using var store = LogStore.Open(_directory.Path, clock);
        var options = new LogOptions { SegmentMaxBytes = 4096, RetentionMs = 60_000 };
        var partition = store.CreateLog("t", options).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 100, batchSize: 5, timestampOf: _ => 9_990_000);
        await StorageTestKit.AppendAsync(partition, 100, 100, batchSize: 5, timestampOf: _ => 10_000_000);
        Assert.Equal(0, partition.StartOffset);       // the cutoff is 9,940,000: nothing is old yet
        clock.Advance(TimeSpan.FromMinutes(1));       // cutoff 10,000,000: the first 100 records are old
        Assert.True(partition.EnforceRetention() > 0);
        Assert.Equal(partition.GetSegments()[0].BaseOffset, partition.StartOffset);
        Assert.True(partition.StartOffset is > 0 and <= 100);
        Assert.All(partition.GetSegments(), s => Assert.Equal(10_000_000, s.MaxTimestampMs));
        clock.Advance(TimeSpan.FromMinutes(2));
        partition.EnforceRetention();
        Assert.Single(partition.GetSegments());       // the active segment always stays
    }

    [Fact]
    public async Task Delete_segments_before_an_offset_removes_only_whole_sealed_segments_and_survives_reopen()
    {
        long start;
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 200, batchSize: 5);
            var segments = partition.GetSegments();
            var cut = segments[2].BaseOffset + 1;       // inside the third segment: it stays
            Assert.Equal(2, partition.DeleteSegmentsBefore(cut));
            start = partition.StartOffset;
            Assert.Equal(segments[2].BaseOffset, start);
            Assert.Throws<OffsetOutOfRangeException>(() => partition.OpenReader(start - 1));
            Assert.Equal(0, partition.DeleteSegmentsBefore(start));
            Assert.Equal(partition.GetSegments().Count - 1, partition.DeleteSegmentsBefore(long.MaxValue));
            Assert.Equal(partition.GetSegments()[0].BaseOffset, partition.StartOffset);
            start = partition.StartOffset;
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            Assert.True(store.TryGetLog("t", out var log));
            Assert.Equal(start, log.GetPartition(0).StartOffset);
            StorageTestKit.AssertRecords(log.GetPartition(0), start, 200);
        }
    }
}
