using Query.Testing;
using Query.Tiering.Compaction;

namespace Query.Tiering.Tests;

/// <summary>
/// Fault injection at every step of merging a run of cold files. A failure in process keeps the old files and
/// manifest (or, once the manifest is committed, the new ones), leaves no file the manifest does not name, and
/// the retry completes; a crash at the same point (the cold folder copied as it is at that moment, then opened)
/// recovers to the old or the new state. Either way every offset reads back exactly once with identical bytes.
/// </summary>
public sealed class CompactionFaultTests : IDisposable
{
    private readonly TempDirectory _directory = new("tiering-compaction-fault");

    private string DataPath => Path.Combine(_directory.Path, "data");
    private string ColdPath => Path.Combine(_directory.Path, "cold");

    public void Dispose() => _directory.Dispose();

    public static TheoryData<CompactionStep> Steps() => [.. Enum.GetValues<CompactionStep>()];

    private static ColdCompactor Compactor() => new(new CompactionOptions { TargetFileBytes = 1L << 30 });

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_failure_at_any_step_leaves_the_old_or_new_state_and_the_retry_completes(
        CompactionStep failAt)
    {
        var (store, partition, tier) = await CompactionTests.ArchivedAsync(DataPath, ColdPath);
        await using var _ = store;
        var before = TierTestKit.ReadBothTiers(partition, tier);
        var generation = tier.Manifest.Generation;
        var compactor = Compactor();
        compactor.Fault = step =>
        {
            if (step == failAt)
                throw new IOException("injected at " + step);
        };

        await Assert.ThrowsAsync<IOException>(() => compactor.CompactAsync(tier, TierTestKit.Layout, force: true));

        var committed = failAt == CompactionStep.DeleteReplaced;
        Assert.Equal(committed ? generation + 1 : generation, tier.Manifest.Generation);
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, tier));
        Assert.Empty(TierTestKit.StrayFiles(ColdPath));
        AssertFilesAreTheManifests(tier);

        compactor.Fault = null;
        await compactor.CompactAsync(tier, TierTestKit.Layout, force: true);
        Assert.Single(tier.Manifest.Files);
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, tier));
        AssertFilesAreTheManifests(tier);
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_crash_at_any_step_recovers_to_the_old_or_the_new_state(CompactionStep crashAt)
    {
        var crashCold = Path.Combine(_directory.Path, "crash-cold");
        var (store, partition, tier) = await CompactionTests.ArchivedAsync(DataPath, ColdPath);
        await using var _ = store;
        var before = TierTestKit.ReadBothTiers(partition, tier);
        var generation = tier.Manifest.Generation;
        var compactor = Compactor();
        compactor.Fault = step =>
        {
            // The machine stops here: what is on disk now is all a restart will find.
            if (step == crashAt && !Directory.Exists(crashCold))
                TierTestKit.CopyDirectory(ColdPath, crashCold);
        };
        await compactor.CompactAsync(tier, TierTestKit.Layout, force: true);
        Assert.True(Directory.Exists(crashCold));

        var recovered = PartitionTier.Open(crashCold, "s", 0);
        Assert.Empty(TierTestKit.StrayFiles(crashCold));
        AssertFilesAreTheManifests(recovered, crashCold);
        var newState = crashAt == CompactionStep.DeleteReplaced;
        Assert.Equal(newState ? generation + 1 : generation, recovered.Manifest.Generation);
        if (newState)
            Assert.Single(recovered.Manifest.Files);
        else
            Assert.True(recovered.Manifest.Files.Length > 1, "the old manifest has the small files");
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, recovered));

        await Compactor().CompactAsync(recovered, TierTestKit.Layout, force: true);
        Assert.Single(recovered.Manifest.Files);
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, recovered));
        AssertFilesAreTheManifests(recovered, crashCold);
    }

    private void AssertFilesAreTheManifests(PartitionTier tier, string? cold = null) =>
        Assert.Equal(tier.Manifest.Files.Select(f => "s/partition=0/" + f.RelativePath).Order(),
            TierTestKit.ParquetFiles(cold ?? ColdPath).Select(f => f.Replace('\\', '/')));
}
