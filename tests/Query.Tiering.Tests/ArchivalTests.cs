using Query.Storage;
using Query.Testing;
using Query.Tiering.Archival;

namespace Query.Tiering.Tests;

public sealed class ArchivalTests : IDisposable
{
    private readonly TempDirectory _directory = new("tiering");

    private string DataPath => Path.Combine(_directory.Path, "data");
    private string ColdPath => Path.Combine(_directory.Path, "cold");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Archival_moves_every_sealed_segment_and_the_stream_reads_the_same_across_both_tiers()
    {
        await using var store = LogStore.Open(DataPath);
        var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
        await new RowGenerator(5).AppendAsync(partition, 3000);
        var before = ColdFileRoundTripTests.ReadHot(partition, 0, partition.EndOffset);
        var sealedSegments = partition.GetSegments().Count - 1;
        Assert.True(sealedSegments >= 5, $"only {sealedSegments} sealed segments");
        var tier = PartitionTier.Open(ColdPath, "s", 0);

        var result = await new SegmentArchiver().ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true);

        Assert.Equal(sealedSegments, result.Segments);
        Assert.Equal(tier.Manifest.EndOffset, partition.StartOffset);
        Assert.Single(partition.GetSegments());
        Assert.Equal(result.Rows, tier.Manifest.RowCount);
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, tier));
        Assert.Empty(TierTestKit.StrayFiles(ColdPath));
        Assert.All(TierTestKit.ParquetFiles(ColdPath), f => Assert.Matches(
            @"^s/partition=0/date=\d{4}-\d{2}-\d{2}/\d{20}-\d{20}\.parquet$", f.Replace('\\', '/')));
    }

    [Fact]
    public async Task Segments_past_the_hot_limit_are_archived_oldest_first_and_the_rest_stay_hot()
    {
        await using var store = LogStore.Open(DataPath);
        var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
        await new RowGenerator(6).AppendAsync(partition, 3000);
        var before = ColdFileRoundTripTests.ReadHot(partition, 0, partition.EndOffset);
        var tier = PartitionTier.Open(ColdPath, "s", 0);
        var cutoff = partition.GetSegments()[3].BaseOffset;

        var result = await new SegmentArchiver().ArchiveAsync(partition, tier, TierTestKit.Layout,
            s => s.EndOffset <= cutoff);

        Assert.Equal(3, result.Segments);
        Assert.Equal(cutoff, tier.Manifest.EndOffset);
        Assert.Equal(cutoff, partition.StartOffset);
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, tier));
    }

    [Fact]
    public async Task Rows_spanning_midnight_go_to_one_file_per_utc_date()
    {
        await using var store = LogStore.Open(DataPath);
        var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
        await new RowGenerator(7).AppendAsync(partition, 1500, timestampStepMs: 600_000);   // 10 minutes apart
        var before = ColdFileRoundTripTests.ReadHot(partition, 0, partition.EndOffset);
        var tier = PartitionTier.Open(ColdPath, "s", 0);

        await new SegmentArchiver().ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true);

        var files = tier.Manifest.Files;
        Assert.True(files.Select(f => f.RelativePath[..15]).Distinct().Count() >= 9);
        foreach (var file in files)
        {
            var folderDate = file.RelativePath.Substring(5, 10);
            var first = DateTimeOffset.FromUnixTimeMilliseconds(file.MinTimestampMs).UtcDateTime.ToString("yyyy-MM-dd");
            var last = DateTimeOffset.FromUnixTimeMilliseconds(file.MaxTimestampMs).UtcDateTime.ToString("yyyy-MM-dd");
            Assert.Equal(folderDate, first);
            Assert.Equal(folderDate, last);
        }
        for (var i = 1; i < files.Length; i++)
            Assert.Equal(files[i - 1].EndOffset, files[i].BaseOffset);
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, tier));
    }

    [Fact]
    public async Task Hot_retention_never_deletes_a_segment_that_is_not_archived_yet()
    {
        await using var store = LogStore.Open(DataPath);
        var partition = store.CreateLog("s", TierTestKit.SmallSegments with { RetentionBytes = 1 }).GetPartition(0);
        var tier = PartitionTier.Open(ColdPath, "s", 0);
        SegmentArchiver.ProtectUnarchived(partition, tier);
        await new RowGenerator(9).AppendAsync(partition, 2000);
        partition.EnforceRetention();
        Assert.Equal(0, partition.StartOffset);
        var before = ColdFileRoundTripTests.ReadHot(partition, 0, partition.EndOffset);

        await new SegmentArchiver().ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true);
        partition.EnforceRetention();

        Assert.Equal(tier.Manifest.EndOffset, partition.RetentionFloor);
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, tier));
    }
}
