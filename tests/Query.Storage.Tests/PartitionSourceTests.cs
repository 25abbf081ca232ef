using Query.Storage.Reading;
using Query.Testing;

namespace Query.Storage.Tests;

public sealed class PartitionSourceTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Hot_source_reads_the_same_records_as_the_log_and_reports_its_offsets()
    {
        using var store = LogStore.Open(_directory.Path);
        var log = store.CreateLog("t", new LogOptions { Partitions = 2, SegmentMaxBytes = 4096 });
        var partition = log.GetPartition(1);
        await StorageTestKit.AppendAsync(partition, 0, 200, batchSize: 7);
        var source = Assert.IsType<HotPartitionSource>(HotPartitionSourceFactory.Instance.CreateSources(log)[1]);
        Assert.Equal(("t", 1), (source.LogName, source.Partition));
        Assert.Equal((0L, 200L, 200L), (source.StartOffset, source.EndOffset, source.LastStableOffset));

        using var reader = source.OpenReader(15, 150);
        Assert.Equal(15, reader.NextOffset);
        var expected = 15L;
        while (reader.TryRead(out var record))
        {
            Assert.Equal(expected, record.Offset);
            Assert.Equal(StorageTestKit.ValueFor(expected), record.Value.ToArray());
            expected++;
        }
        Assert.Equal(150, expected);
        Assert.Equal(150, reader.NextOffset);
        Assert.True(reader.Statistics.SegmentsOpened > 1);
        Assert.True(reader.Statistics.BytesRead > 0);
        Assert.Equal(0, reader.Statistics.OffsetsSkippedByRetention);
    }

    [Fact]
    public async Task A_start_below_the_retained_start_begins_at_it_and_counts_what_was_skipped()
    {
        using var store = LogStore.Open(_directory.Path);
        var log = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 });
        var partition = log.GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 100, batchSize: 5);
        partition.DeleteSegmentsBefore(partition.GetSegments()[2].BaseOffset);
        var source = new HotPartitionSource(partition);
        var start = source.StartOffset;
        Assert.True(start > 0);

        using var reader = source.OpenReader(3);
        Assert.Equal(start, reader.NextOffset);
        Assert.Equal(start - 3, reader.Statistics.OffsetsSkippedByRetention);
        Assert.True(reader.TryRead(out var first));
        Assert.Equal(start, first.Offset);

        using var belowZero = source.OpenReader(-10, start - 1);        // nothing asked for is still held
        Assert.Equal(start - 1, belowZero.Statistics.OffsetsSkippedByRetention);
        Assert.False(belowZero.TryRead(out _));
    }

    [Fact]
    public async Task Retention_overtaking_an_open_reader_moves_it_on_instead_of_failing()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 100, batchSize: 5);
        using var reader = new HotPartitionSource(partition).OpenReader(0, 1000);
        var firstSegmentEnd = partition.GetSegments()[0].EndOffset;
        while (reader.NextOffset < firstSegmentEnd - 1 && reader.TryRead(out _))
        {
        }
        var cut = partition.GetSegments()[2].BaseOffset;
        partition.DeleteSegmentsBefore(cut);
        Assert.True(reader.TryRead(out var last));                 // last record of the segment it holds
        Assert.Equal(firstSegmentEnd - 1, last.Offset);
        Assert.True(reader.TryRead(out var next));
        Assert.Equal(cut, next.Offset);
        Assert.Equal(cut - firstSegmentEnd, reader.Statistics.OffsetsSkippedByRetention);
    }

    [Fact]
    public async Task Timestamps_and_waiting_go_through_the_source()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 50, batchSize: 10, timestampOf: n => 10_000 + n * 10);
        var source = new HotPartitionSource(partition);
        Assert.Equal(20, source.FindOffsetForTimestamp(10_195));
        Assert.Equal(source.LastStableOffset, source.FindOffsetForTimestamp(99_999));

        var wait = source.WaitForDataAsync(50, CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);
        await StorageTestKit.AppendAsync(partition, 50, 1);
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        await source.WaitForDataAsync(50, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Extents_name_the_segments_a_range_touches()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 100, batchSize: 5);
        var source = new HotPartitionSource(partition);
        var segments = partition.GetSegments();
        var all = source.DescribeExtents();
        Assert.Equal(segments.Count, all.Count);
        for (var i = 0; i < all.Count; i++)
        {
            Assert.Equal(HotPartitionSource.SegmentKind, all[i].Kind);
            Assert.Equal(Path.GetFileName(segments[i].FilePath), all[i].Name);
            Assert.Equal((segments[i].BaseOffset, segments[i].EndOffset, segments[i].SizeBytes),
                (all[i].BaseOffset, all[i].EndOffset, all[i].SizeBytes));
        }
        var second = segments[1];
        var inside = source.DescribeExtents(second.BaseOffset, second.BaseOffset + 1);
        Assert.Equal(second.BaseOffset, Assert.Single(inside).BaseOffset);
        Assert.True(all[0].OverlapsTime(all[0].MinTimestampMs, all[0].MinTimestampMs));
        Assert.False(all[0].OverlapsTime(all[0].MaxTimestampMs + 1, long.MaxValue));
    }

    [Fact]
    public async Task A_dropped_log_makes_its_source_throw_LogDeleted()
    {
        using var store = LogStore.Open(_directory.Path);
        var log = store.CreateLog("t", new LogOptions());
        await StorageTestKit.AppendAsync(log.GetPartition(0), 0, 3);
        var source = HotPartitionSourceFactory.Instance.CreateSources(log)[0];
        var wait = source.WaitForDataAsync(3, CancellationToken.None).AsTask();
        store.DeleteLog("t");
        await Assert.ThrowsAsync<LogDeletedException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Throws<LogDeletedException>(() => source.OpenReader(0));
        Assert.Throws<LogDeletedException>(() => source.DescribeExtents());
    }
}
