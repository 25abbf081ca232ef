using Query.Storage;
using Query.Testing;
using Query.Tiering.Archival;
using Query.Tiering.Reading;

namespace Query.Tiering.Tests;

public sealed class TieredPartitionSourceTests : IDisposable
{
    private readonly TempDirectory _directory = new("tiering");

    private string DataPath => Path.Combine(_directory.Path, "data");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_half_archived_partition_reads_every_range_as_before_archival()
    {
        await using var store = LogStore.Open(DataPath);
        var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
        await new RowGenerator(21).AppendAsync(partition, 3000);
        var before = ColdFileRoundTripTests.ReadHot(partition, 0, partition.EndOffset);
        var timestamps = new[] { 0L, 1_000, 1_499_500, 2_999_000 }
            .Select(t => (t, partition.FindOffsetForTimestamp(RowGenerator.BaseTimestampMs + t))).ToList();
        var cold = new ColdStore(Path.Combine(_directory.Path, "cold"));
        var tier = cold.GetTier("s", 0);
        var half = partition.GetSegments()[partition.GetSegments().Count / 2].BaseOffset;
        await new SegmentArchiver(new ColdFileOptions { RowGroupMaxRows = 100 })
            .ArchiveAsync(partition, tier, TierTestKit.Layout, s => s.EndOffset <= half);
        Assert.Equal(half, partition.StartOffset);
        var source = new TieredPartitionSource(partition, tier, () => TierTestKit.Layout);

        Assert.Equal(0, source.StartOffset);
        Assert.Equal(before, Read(source, 0, long.MaxValue));
        foreach (var (start, end) in new[] { (0L, 10L), (half - 5, half + 5), (half, 3000L), (17L, half), (2999L, 3000L) })
            Assert.Equal(before.Where(r => r.Offset >= start && r.Offset < end), Read(source, start, end));
        foreach (var (t, offset) in timestamps)
            Assert.Equal(offset, source.FindOffsetForTimestamp(RowGenerator.BaseTimestampMs + t));
        var extents = source.DescribeExtents();
        Assert.Equal(TieredPartitionSource.FileKind, extents[0].Kind);
        Assert.Equal("segment", extents[^1].Kind);
        Assert.Equal(tier.Manifest.Files.Length + partition.GetSegments().Count, extents.Count);
    }

    [Fact]
    public async Task A_rowtime_range_on_cold_data_opens_one_file_and_one_row_group()
    {
        await using var store = LogStore.Open(DataPath);
        var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
        await new RowGenerator(22).AppendAsync(partition, 3000);
        var tier = new ColdStore(Path.Combine(_directory.Path, "cold")).GetTier("s", 0);
        await new SegmentArchiver(new ColdFileOptions { RowGroupMaxRows = 50 })
            .ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true);
        var source = new TieredPartitionSource(partition, tier, () => TierTestKit.Layout);
        var from = RowGenerator.BaseTimestampMs + 1_000_000;

        using var reader = (TieredRecordReader)source.OpenReader(0, long.MaxValue, from, from + 5_000);
        var offsets = new List<long>();
        while (reader.TryRead(out var record))
            offsets.Add(record.Offset);

        Assert.Contains(1_000L, offsets);
        Assert.Equal(1, reader.ColdStatistics.FilesOpened);
        Assert.Equal(1, reader.ColdStatistics.RowGroupsRead);
        Assert.True(reader.ColdStatistics.FilesSkipped >= 5);
    }

    [Fact]
    public async Task A_read_that_started_on_hot_segments_finishes_when_they_are_archived_meanwhile()
    {
        await using var store = LogStore.Open(DataPath);
        var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
        await new RowGenerator(23).AppendAsync(partition, 3000);
        var before = ColdFileRoundTripTests.ReadHot(partition, 0, partition.EndOffset);
        var tier = new ColdStore(Path.Combine(_directory.Path, "cold")).GetTier("s", 0);
        var source = new TieredPartitionSource(partition, tier, () => TierTestKit.Layout);

        var images = new List<RecordImage>();
        using (var reader = source.OpenReader(0))
        {
            for (var i = 0; i < 100 && reader.TryRead(out var record); i++)
                images.Add(RecordImage.Of(record));
            await new SegmentArchiver().ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true);
            Assert.True(partition.StartOffset > 1000);
            while (reader.TryRead(out var record))
                images.Add(RecordImage.Of(record));
            Assert.Equal(0, reader.Statistics.OffsetsSkippedByRetention);
        }

        Assert.Equal(before, images);
    }

    [Fact]
    public async Task Archival_running_beside_a_reader_never_loses_or_repeats_an_offset()
    {
        await using var store = LogStore.Open(DataPath);
        var partition = store.CreateLog("s", new LogOptions { SegmentMaxBytes = 8 * 1024 }).GetPartition(0);
        await new RowGenerator(24).AppendAsync(partition, 3000);
        var before = ColdFileRoundTripTests.ReadHot(partition, 0, partition.EndOffset);
        var tier = new ColdStore(Path.Combine(_directory.Path, "cold")).GetTier("s", 0);
        var source = new TieredPartitionSource(partition, tier, () => TierTestKit.Layout);
        var archiver = new SegmentArchiver();

        for (var round = 0; round < 5; round++)
        {
            var archival = Task.Run(() => archiver.ArchiveAsync(partition, tier, TierTestKit.Layout,
                s => s.EndOffset <= (round + 1) * 600));
            Assert.Equal(before, Read(source, 0, long.MaxValue));
            await archival;
        }
    }

    private static List<RecordImage> Read(TieredPartitionSource source, long start, long end)
    {
        var images = new List<RecordImage>();
        using var reader = source.OpenReader(start, end);
        while (reader.TryRead(out var record))
            images.Add(RecordImage.Of(record));
        return images;
    }
}
