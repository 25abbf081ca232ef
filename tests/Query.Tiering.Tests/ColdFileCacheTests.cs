using Query.Storage;
using Query.Testing;
using Query.Tiering.Archival;
using Query.Tiering.Compaction;
using Query.Tiering.Reading;

namespace Query.Tiering.Tests;

/// <summary>
/// Cold files kept open between reads: a second read of a file reuses it and reads exactly what a fresh open
/// reads; the cache never keeps more than its capacity; files that compaction replaces, that expire, or whose
/// stream is dropped are let go (no handle of a deleted file stays open); the manifest's time bound of a cold
/// range never lies above the exact first offset.
/// </summary>
public sealed class ColdFileCacheTests : IDisposable
{
    private readonly TempDirectory _directory = new("tiering-cache");

    public void Dispose() => _directory.Dispose();

    private string ColdPath => Path.Combine(_directory.Path, "cold");

    [Fact]
    public async Task A_second_read_reuses_the_open_files_and_reads_the_same_records()
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var (partition, tier) = await ArchivedAsync(store, new ColdStore(ColdPath), 23);
        var uncached = PartitionTier.Open(ColdPath, "s", 0, fileCache: null);
        var expected = TierTestKit.ReadBothTiers(partition, uncached);

        Assert.Equal(expected, TierTestKit.ReadBothTiers(partition, tier));
        var opened = tier.FileCache!.Count;
        Assert.Equal(tier.Manifest.Files.Length, opened);
        Assert.Equal(0, tier.FileCache.Hits);
        Assert.Equal(expected, TierTestKit.ReadBothTiers(partition, tier));
        Assert.Equal(opened, tier.FileCache.Hits);
        var middle = tier.Manifest.Files[1];
        var range = new ColdScanRange(middle.BaseOffset, middle.EndOffset);
        Assert.Equal(expected.Where(r => r.Offset >= middle.BaseOffset && r.Offset < middle.EndOffset),
            TierTestKit.ReadBothTiers(partition, tier, range));
    }

    [Fact]
    public async Task The_cache_keeps_at_most_its_capacity_and_none_with_capacity_zero()
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var (partition, tier) = await ArchivedAsync(store, new ColdStore(ColdPath, openFiles: 2), 24);
        Assert.True(tier.Manifest.Files.Length > 2);
        var expected = TierTestKit.ReadBothTiers(partition, tier);
        Assert.Equal(2, tier.FileCache!.Count);
        Assert.Equal(expected, TierTestKit.ReadBothTiers(partition, tier));
        Assert.Equal(2, tier.FileCache.Count);

        var none = new ColdStore(ColdPath, openFiles: 0).GetTier("s", 0);
        Assert.Equal(expected, TierTestKit.ReadBothTiers(partition, none));
        Assert.Equal(0, none.FileCache!.Count);
    }

    [Fact]
    public async Task Replaced_expired_and_dropped_files_are_let_go()
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var cold = new ColdStore(ColdPath);
        var (partition, tier) = await ArchivedAsync(store, cold, 25);
        var expected = TierTestKit.ReadBothTiers(partition, tier);
        Assert.Empty(DeletedColdFilesOpen());

        await new ColdCompactor(new CompactionOptions { TargetFileBytes = 1 << 30, MinFilesToMerge = 2 })
            .CompactAsync(tier, TierTestKit.Layout, force: true);
        Assert.Empty(DeletedColdFilesOpen());
        Assert.Equal(expected, TierTestKit.ReadBothTiers(partition, tier));
        Assert.True(tier.FileCache!.Count > 0);

        await ColdExpiry.ExpireAsync(tier, long.MaxValue / 2, retentionMs: 1, retentionBytes: -1, hotBytes: 0);
        Assert.Empty(tier.Manifest.Files);
        Assert.Empty(DeletedColdFilesOpen());
        Assert.Equal(0, tier.FileCache.Count);

        var (other, otherTier) = await ArchivedAsync(store, cold, 26, "t");
        TierTestKit.ReadBothTiers(other, otherTier);
        Assert.True(cold.FileCache.Count > 0);
        cold.DeleteStream("t");
        Assert.Equal(0, cold.FileCache.Count);
        Assert.Empty(DeletedColdFilesOpen());
    }

    [Fact]
    public async Task The_manifest_bound_of_a_cold_time_range_lies_at_or_below_the_exact_first_offset()
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var (partition, tier) = await ArchivedAsync(store, new ColdStore(ColdPath), 27);
        var source = new TieredPartitionSource(partition, tier, () => TierTestKit.Layout);
        foreach (var t in new[] { 0L, 1_000, 700_000, 1_500_500, 2_999_000, 10_000_000 })
        {
            var timestamp = RowGenerator.BaseTimestampMs + t;
            var exact = source.FindOffsetForTimestamp(timestamp);
            var bound = source.FindColdOffsetBoundForTimestamp(timestamp);
            Assert.True(bound <= exact, $"bound {bound} above the exact offset {exact} for {t}");
            var file = tier.Manifest.Files.FirstOrDefault(f => f.BaseOffset <= exact && exact < f.EndOffset);
            Assert.Equal(file?.BaseOffset ?? partition.StartOffset, bound);
        }
    }

    // 3,000 rows of which all sealed segments are archived in files of a few row groups each.
    private static async Task<(PartitionLog Partition, PartitionTier Tier)> ArchivedAsync(LogStore store,
        ColdStore cold, int seed, string name = "s")
    {
        var partition = store.CreateLog(name, TierTestKit.SmallSegments).GetPartition(0);
        await new RowGenerator(seed).AppendAsync(partition, 3000);
        var tier = cold.GetTier(name, 0);
        await new SegmentArchiver(new ColdFileOptions { RowGroupMaxRows = 100 })
            .ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true);
        Assert.True(tier.Manifest.Files.Length >= 3, $"{tier.Manifest.Files.Length} files");
        return (partition, tier);
    }

    // Files of this test's cold tier that the process holds open although they were deleted (/proc/self/fd).
    private List<string> DeletedColdFilesOpen()
    {
        var open = new List<string>();
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            var target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith(ColdPath, StringComparison.Ordinal)
                && target.EndsWith("(deleted)", StringComparison.Ordinal))
                open.Add(target);
        }
        return open;
    }
}
