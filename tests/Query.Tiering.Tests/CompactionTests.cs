using Query.Storage;
using Query.Testing;
using Query.Tiering.Archival;
using Query.Tiering.Compaction;
using Query.Tiering.Manifest;
using Query.Tiering.Reading;

namespace Query.Tiering.Tests;

/// <summary>
/// Compaction of small cold files: which runs are chosen, what a merge leaves on disk and in the manifest, that
/// every offset keeps its bytes, that row groups are re-cut, and that files a reader holds stay until it ends.
/// </summary>
public sealed class CompactionTests : IDisposable
{
    private readonly TempDirectory _directory = new("tiering-compaction");

    private string DataPath => Path.Combine(_directory.Path, "data");
    private string ColdPath => Path.Combine(_directory.Path, "cold");

    public void Dispose() => _directory.Dispose();

    internal static async Task<(LogStore Store, PartitionLog Partition, PartitionTier Tier)> ArchivedAsync(
        string data, string cold, int rows = 3000, long timestampStepMs = 1000)
    {
        var store = LogStore.Open(data);
        var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
        await new RowGenerator(21).AppendAsync(partition, rows, timestampStepMs: timestampStepMs);
        var tier = PartitionTier.Open(cold, "s", 0);
        await new SegmentArchiver(new ColdFileOptions { RowGroupMaxRows = 100 }).ArchiveAsync(partition, tier,
            TierTestKit.Layout, _ => true);
        return (store, partition, tier);
    }

    [Fact]
    public async Task Forced_compaction_merges_the_small_files_and_every_offset_reads_the_same()
    {
        var (store, partition, tier) = await ArchivedAsync(DataPath, ColdPath);
        await using var _ = store;
        var before = TierTestKit.ReadBothTiers(partition, tier);
        var filesBefore = tier.Manifest.Files;
        Assert.True(filesBefore.Length >= 5, $"{filesBefore.Length} files");

        var compactor = new ColdCompactor(new CompactionOptions { TargetFileBytes = 1L << 30 },
            new ColdFileOptions { RowGroupMaxRows = 1000 });
        var result = await compactor.CompactAsync(tier, TierTestKit.Layout, force: true);

        var files = tier.Manifest.Files;
        var merged = Assert.Single(files);
        Assert.Equal(1, result.Runs);
        Assert.Equal(filesBefore.Length, result.FilesIn);
        Assert.Equal(filesBefore.Sum(f => f.RowCount), merged.RowCount);
        Assert.Equal(filesBefore[0].BaseOffset, merged.BaseOffset);
        Assert.Equal(filesBefore[^1].EndOffset, merged.EndOffset);
        Assert.Equal(filesBefore.Min(f => f.MinTimestampMs), merged.MinTimestampMs);
        Assert.Equal(filesBefore.Max(f => f.MaxTimestampMs), merged.MaxTimestampMs);
        // Row groups of 100 rows were re-cut to at most 1000 (whole input row groups at a time).
        Assert.Equal((int)Math.Ceiling(merged.RowCount / 1000.0), merged.RowGroupCount);
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, tier));
        Assert.Equal(["s/partition=0/" + merged.RelativePath], TierTestKit.ParquetFiles(ColdPath)
            .Select(f => f.Replace('\\', '/')));
        Assert.Empty(TierTestKit.StrayFiles(ColdPath));
        var reopened = PartitionTier.Open(ColdPath, "s", 0);
        Assert.Equal(tier.Manifest.Generation, reopened.Manifest.Generation);
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, reopened));
    }

    [Fact]
    public async Task A_merged_file_never_crosses_a_date_folder()
    {
        // Ten minutes apart: about 144 rows a day, so the files fall in several date folders.
        var (store, partition, tier) = await ArchivedAsync(DataPath, ColdPath, rows: 1500, timestampStepMs: 600_000);
        await using var _ = store;
        var before = TierTestKit.ReadBothTiers(partition, tier);
        var folders = tier.Manifest.Files.Select(f => f.RelativePath[..15]).Distinct().ToList();

        await new ColdCompactor(new CompactionOptions { TargetFileBytes = 1L << 30 })
            .CompactAsync(tier, TierTestKit.Layout, force: true);

        var files = tier.Manifest.Files;
        Assert.Equal(folders, files.Select(f => f.RelativePath[..15]).ToList());
        foreach (var file in files)
        {
            var day = DateTimeOffset.FromUnixTimeMilliseconds(file.MinTimestampMs).UtcDateTime.ToString("yyyy-MM-dd");
            Assert.Equal(file.RelativePath.Substring(5, 10), day);
        }
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, tier));
    }

    [Fact]
    public void The_job_merges_only_runs_that_cannot_grow_and_respects_the_target_and_the_minimum()
    {
        // Five 10-byte files, then one larger than the target, in one folder; a file of each schema version in the
        // next; three small files at the end of the tier in a third.
        var files = new List<ColdFileEntry>();
        long offset = 0;
        void Add(string day, long bytes, int version = 1)
        {
            files.Add(new ColdFileEntry($"date={day}/{offset}", offset, offset + 10, 10, 0, 0, bytes, 1, version));
            offset += 10;
        }
        for (var i = 0; i < 5; i++)
            Add("2026-01-01", 10);
        Add("2026-01-01", 2000);
        Add("2026-01-02", 10);
        Add("2026-01-02", 10, version: 2);
        Add("2026-01-03", 10);
        Add("2026-01-03", 10);
        Add("2026-01-03", 10);
        var manifest = new TierManifest(1, 0, offset, [.. files]);
        var options = new CompactionOptions { TargetFileBytes = 1024, MinFilesToMerge = 3 };

        Assert.Equal([new CompactionRun(0, 5)], CompactionPlan.Choose(manifest, 1, options, force: false));
        Assert.Equal([new CompactionRun(0, 5), new CompactionRun(8, 3)],
            CompactionPlan.Choose(manifest, 1, options, force: true));
        Assert.Equal([new CompactionRun(0, 3), new CompactionRun(3, 2)], CompactionPlan.Choose(manifest, 1,
            options with { TargetFileBytes = 30, MinFilesToMerge = 2 }, force: false));
        Assert.Empty(CompactionPlan.Choose(manifest, 1, options with { MinFilesToMerge = 6 }, force: false));
    }

    [Fact]
    public async Task Files_a_reader_still_holds_are_deleted_only_when_it_is_done()
    {
        var (store, partition, tier) = await ArchivedAsync(DataPath, ColdPath);
        await using var _ = store;
        var expected = TierTestKit.ReadBothTiers(partition, tier).Where(r => r.Offset < tier.Manifest.EndOffset)
            .ToList();
        var oldPaths = tier.Manifest.Files.Select(tier.FullPath).ToList();
        var reader = new ColdPartitionReader(tier, TierTestKit.Layout, new ColdScanRange(0));
        var read = new List<RecordImage>();
        for (var i = 0; i < 10 && reader.TryRead(out var record); i++)
            read.Add(RecordImage.Of(record));

        await new ColdCompactor(new CompactionOptions { TargetFileBytes = 1L << 30 })
            .CompactAsync(tier, TierTestKit.Layout, force: true);

        Assert.Single(tier.Manifest.Files);
        Assert.Equal(oldPaths.Count, tier.FilesAwaitingReaders);
        Assert.All(oldPaths, p => Assert.True(File.Exists(p), p + " was deleted under a reader"));
        using (var fresh = new ColdPartitionReader(tier, TierTestKit.Layout, new ColdScanRange(0)))
            Assert.True(fresh.TryRead(out var first) && first.Offset == 0);
        Assert.All(oldPaths, p => Assert.True(File.Exists(p)));
        while (reader.TryRead(out var record))
            read.Add(RecordImage.Of(record));
        reader.Dispose();

        Assert.Equal(expected, read);
        Assert.Equal(0, tier.FilesAwaitingReaders);
        Assert.All(oldPaths, p => Assert.False(File.Exists(p), p + " outlived its readers"));
    }

    [Fact]
    public async Task Files_of_an_older_schema_version_are_left_as_they_are()
    {
        var (store, partition, tier) = await ArchivedAsync(DataPath, ColdPath);
        await using var _ = store;
        var before = tier.Manifest;

        var result = await new ColdCompactor().CompactAsync(tier, new TestLayout(TestLayout.AllTypes, 2),
            force: true);

        Assert.Equal(CompactionResult.None, result);
        Assert.Same(before, tier.Manifest);
    }
}
