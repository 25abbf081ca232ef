using Query.Storage.Sealing;
using Query.Testing;

namespace Query.Storage.Tests;

public sealed class SealedSegmentTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_roll_posts_the_sealed_segment_with_its_offsets_and_time_range()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096, Partitions = 2 }).GetPartition(1);
        using var watch = partition.WatchSealedSegments();
        await StorageTestKit.AppendAsync(partition, 0, 200, batchSize: 5);
        var segments = partition.GetSegments();
        var notices = new List<SealedSegment>();
        while (watch.Reader.TryRead(out var notice))
            notices.Add(notice);
        Assert.Equal(segments.Count - 1, notices.Count);
        for (var i = 0; i < notices.Count; i++)
        {
            Assert.Equal("t", notices[i].LogName);
            Assert.Equal(1, notices[i].Partition);
            Assert.Equal(segments[i].BaseOffset, notices[i].BaseOffset);
            Assert.Equal(segments[i].EndOffset - 1, notices[i].LastOffset);
            Assert.Equal(1_000 + segments[i].BaseOffset, notices[i].MinTimestampMs);
            Assert.Equal(1_000 + notices[i].LastOffset, notices[i].MaxTimestampMs);
            Assert.Equal(segments[i].SizeBytes, notices[i].SizeBytes);
        }
        Assert.Equal(notices, partition.GetSealedSegments());
    }

    [Fact]
    public async Task A_staged_append_posts_the_segments_it_adopts()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 3);
        using var watch = partition.WatchSealedSegments();
        using (var staged = partition.BeginStagedAppend())
        {
            using var batch = new RecordBatchBuilder();
            for (var n = 3; n < 103; n++)
            {
                batch.Add(1_000 + n, StorageTestKit.ValueFor(n));
                if (batch.Count == 5)
                {
                    staged.Append(batch);
                    batch.Clear();
                }
            }
            await staged.CommitAsync();
        }
        var notices = new List<SealedSegment>();
        while (watch.Reader.TryRead(out var notice))
            notices.Add(notice);
        Assert.Equal(0, notices[0].BaseOffset);                 // the active segment it sealed
        Assert.Equal(2, notices[0].LastOffset);
        Assert.Equal(102, notices[^1].LastOffset);
        for (var i = 1; i < notices.Count; i++)
            Assert.Equal(notices[i - 1].EndOffset, notices[i].BaseOffset);
        Assert.Equal(partition.GetSealedSegments(), notices);
    }

    [Fact]
    public async Task Sealed_segments_are_enumerable_after_a_restart()
    {
        List<SealedSegment> before;
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 200, batchSize: 5);
            before = [.. partition.GetSealedSegments()];
        }
        Assert.True(before.Count >= 3);
        using (var store = LogStore.Open(_directory.Path))
        {
            Assert.True(store.TryGetLog("t", out var log));
            Assert.Equal(before, log.GetPartition(0).GetSealedSegments());
        }
    }

    [Fact]
    public async Task A_full_watch_ends_with_a_typed_error_instead_of_dropping_a_notice()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        using var watch = partition.WatchSealedSegments(capacity: 2);
        await StorageTestKit.AppendAsync(partition, 0, 200, batchSize: 5);
        Assert.True(partition.GetSealedSegments().Count > 3);
        Assert.True(watch.Reader.TryRead(out var first));
        Assert.Equal(0, first.BaseOffset);
        Assert.True(watch.Reader.TryRead(out _));
        await Assert.ThrowsAsync<SealedSegmentsMissedException>(() => watch.Reader.Completion);
    }

    [Fact]
    public async Task Deleting_the_log_ends_its_watches()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        using var watch = partition.WatchSealedSegments();
        store.DeleteLog("t");
        await Assert.ThrowsAsync<LogDeletedException>(() => watch.Reader.Completion);
    }
}
