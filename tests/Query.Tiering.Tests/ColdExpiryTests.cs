using Query.Storage;
using Query.Testing;
using Query.Tiering.Archival;
using Query.Tiering.Reading;

namespace Query.Tiering.Tests;

/// <summary>Total retention of the cold tier: whole files, oldest first, the manifest committed before deletion.</summary>
public sealed class ColdExpiryTests : IDisposable
{
    private readonly TempDirectory _directory = new("tiering-expiry");

    private string DataPath => Path.Combine(_directory.Path, "data");
    private string ColdPath => Path.Combine(_directory.Path, "cold");

    public void Dispose() => _directory.Dispose();

    private async Task<(LogStore Store, PartitionLog Partition, PartitionTier Tier)> ArchivedAsync()
    {
        var store = LogStore.Open(DataPath);
        var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
        await new RowGenerator(11).AppendAsync(partition, 3000);
        var tier = PartitionTier.Open(ColdPath, "s", 0);
        await new SegmentArchiver().ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true);
        Assert.True(tier.Manifest.Files.Length >= 4, $"{tier.Manifest.Files.Length} files");
        return (store, partition, tier);
    }

    [Fact]
    public async Task Files_past_the_age_limit_expire_oldest_first_and_the_rest_read_as_before()
    {
        var (store, partition, tier) = await ArchivedAsync();
        await using var _ = store;
        var files = tier.Manifest.Files;
        var before = TierTestKit.ReadBothTiers(partition, tier);
        // "Now" is one hour after the third file's newest row, and retention is one hour: two files and a bit.
        var nowMs = files[2].MaxTimestampMs + 3_600_000;

        var result = await ColdExpiry.ExpireAsync(tier, nowMs, 3_600_000, -1, 0);

        Assert.Equal(2, result.Files);
        Assert.Equal(files[0].RowCount + files[1].RowCount, result.Rows);
        Assert.Equal(files[2].BaseOffset, tier.Manifest.StartOffset);
        Assert.Equal(files.Length - 2, TierTestKit.ParquetFiles(ColdPath).Count);
        var after = TierTestKit.ReadBothTiers(partition, tier);
        Assert.Equal(before.Skip(before.Count - after.Count), after);
        Assert.Equal(tier.Manifest.Files[0].BaseOffset, after[0].Offset);
        Assert.Equal(ExpiryResult.None, await ColdExpiry.ExpireAsync(tier, nowMs, 3_600_000, -1, 0));
    }

    [Fact]
    public async Task Oldest_files_expire_while_both_tiers_exceed_the_byte_limit()
    {
        var (store, _, tier) = await ArchivedAsync();
        await using var _ = store;
        var files = tier.Manifest.Files;
        var hotBytes = 1000L;
        var limit = tier.Manifest.SizeBytes + hotBytes - files[0].SizeBytes - 1;    // one file too many, by a byte

        var result = await ColdExpiry.ExpireAsync(tier, 0, -1, limit, hotBytes);

        Assert.Equal(2, result.Files);
        Assert.True(tier.Manifest.SizeBytes + hotBytes <= limit);
        Assert.Equal(files[2].BaseOffset, tier.Manifest.StartOffset);
    }

    [Fact]
    public async Task A_reader_that_took_the_old_manifest_steps_over_expired_files_and_counts_them()
    {
        var (store, _, tier) = await ArchivedAsync();
        await using var _ = store;
        var files = tier.Manifest.Files;
        using var reader = new ColdPartitionReader(tier, TierTestKit.Layout, new ColdScanRange(0));
        Assert.True(reader.TryRead(out var first));
        var firstOffset = first.Offset;
        Assert.Equal(files[0].BaseOffset, firstOffset);

        await ColdExpiry.ExpireAsync(tier, files[2].MaxTimestampMs + 1, 0, -1, 0);     // files 0..2 expire
        var offsets = new List<long>();
        while (reader.TryRead(out var record))
            offsets.Add(record.Offset);

        // File 0 was open (its rows still come); files 1 and 2 are gone: their offsets are skipped, not missing.
        var expected = Enumerable.Range((int)firstOffset + 1, (int)(files[0].EndOffset - firstOffset - 1))
            .Select(o => (long)o).Concat(Enumerable.Range((int)files[3].BaseOffset,
                (int)(tier.Manifest.EndOffset - files[3].BaseOffset)).Select(o => (long)o));
        Assert.Equal(expected, offsets);
        Assert.Equal(files[3].BaseOffset - files[1].BaseOffset, reader.OffsetsSkippedByRetention);
    }

    [Fact]
    public async Task Files_left_by_a_crash_between_commit_and_delete_are_removed_at_open()
    {
        var (store, _, tier) = await ArchivedAsync();
        await using var _ = store;
        var oldest = tier.FullPath(tier.Manifest.Files[0]);
        var copy = oldest + ".kept";
        File.Copy(oldest, copy);
        await ColdExpiry.ExpireAsync(tier, tier.Manifest.Files[0].MaxTimestampMs + 1, 0, -1, 0);
        File.Move(copy, oldest);                // as if the process died before deleting it

        var reopened = PartitionTier.Open(ColdPath, "s", 0);

        Assert.False(File.Exists(oldest));
        Assert.Equal(reopened.Manifest.Files.Length, TierTestKit.ParquetFiles(ColdPath).Count);
    }
}
