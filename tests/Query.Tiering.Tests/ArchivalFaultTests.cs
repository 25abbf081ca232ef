using Query.Storage;
using Query.Testing;
using Query.Tiering.Archival;

namespace Query.Tiering.Tests;

/// <summary>
/// Fault injection at every step of archiving a segment. A failure in process must keep the hot data, leave
/// no file behind and let the next run finish; a crash at the same point (simulated by copying the data and
/// cold folders as they are at that moment and opening the copies) must recover to the old or the new state.
/// Either way every offset reads back exactly once with identical bytes.
/// </summary>
public sealed class ArchivalFaultTests : IDisposable
{
    private readonly TempDirectory _directory = new("tiering");

    private string DataPath => Path.Combine(_directory.Path, "data");
    private string ColdPath => Path.Combine(_directory.Path, "cold");

    public void Dispose() => _directory.Dispose();

    public static TheoryData<ArchiveStep> Steps() => [.. Enum.GetValues<ArchiveStep>()];

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_failure_at_any_step_keeps_the_hot_data_leaves_no_files_and_the_retry_completes(
        ArchiveStep failAt)
    {
        await using var store = LogStore.Open(DataPath);
        var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
        await new RowGenerator(11).AppendAsync(partition, 2000);
        var before = ColdFileRoundTripTests.ReadHot(partition, 0, partition.EndOffset);
        var tier = PartitionTier.Open(ColdPath, "s", 0);
        var archiver = new SegmentArchiver();
        var segmentsSeen = 0;
        archiver.Fault = step =>
        {
            if (step == ArchiveStep.WriteFile)
                segmentsSeen++;
            if (step == failAt && segmentsSeen == 2)
                throw new IOException("injected at " + step);
        };

        await Assert.ThrowsAsync<IOException>(() =>
            archiver.ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true));

        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, tier));
        Assert.Empty(TierTestKit.StrayFiles(ColdPath));
        Assert.Equal(tier.Manifest.Files.Select(f => "s/partition=0/" + f.RelativePath).Order(),
            TierTestKit.ParquetFiles(ColdPath).Select(f => f.Replace('\\', '/')));
        var committed = failAt == ArchiveStep.ReleaseHot;
        Assert.Equal(committed ? 2 : 1, tier.Manifest.Generation);

        archiver.Fault = null;
        await archiver.ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true);
        Assert.Equal(tier.Manifest.EndOffset, partition.StartOffset);
        Assert.Equal(before, TierTestKit.ReadBothTiers(partition, tier));
        var reopened = PartitionTier.Open(ColdPath, "s", 0);
        Assert.Equal(string.Join("\n", tier.Manifest.Files), string.Join("\n", reopened.Manifest.Files));
        Assert.Equal(tier.Manifest with { Files = [] }, reopened.Manifest with { Files = [] });
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_crash_at_any_step_recovers_to_the_old_or_the_new_state(ArchiveStep crashAt)
    {
        var crashData = Path.Combine(_directory.Path, "crash-data");
        var crashCold = Path.Combine(_directory.Path, "crash-cold");
        List<RecordImage> before;
        await using (var store = LogStore.Open(DataPath))
        {
            var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
            await new RowGenerator(12).AppendAsync(partition, 2000);
            before = ColdFileRoundTripTests.ReadHot(partition, 0, partition.EndOffset);
            var tier = PartitionTier.Open(ColdPath, "s", 0);
            var archiver = new SegmentArchiver();
            var segmentsSeen = 0;
            archiver.Fault = step =>
            {
                if (step == ArchiveStep.WriteFile)
                    segmentsSeen++;
                if (step != crashAt || segmentsSeen != 2 || Directory.Exists(crashData))
                    return;
                // The machine stops here: what is on disk now is all a restart will find.
                TierTestKit.CopyDirectory(DataPath, crashData);
                TierTestKit.CopyDirectory(ColdPath, crashCold);
            };
            await archiver.ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true);
        }
        Assert.True(Directory.Exists(crashData));

        await using var recovered = LogStore.Open(crashData);
        Assert.True(recovered.TryGetLog("s", out var log));
        var hot = log.GetPartition(0);
        var recoveredTier = PartitionTier.Open(crashCold, "s", 0);
        Assert.Empty(TierTestKit.StrayFiles(crashCold));
        Assert.Equal(recoveredTier.Manifest.Files.Select(f => "s/partition=0/" + f.RelativePath).Order(),
            TierTestKit.ParquetFiles(crashCold).Select(f => f.Replace('\\', '/')));
        Assert.True(recoveredTier.Manifest.EndOffset >= hot.StartOffset, "a gap between cold and hot");
        Assert.Equal(before, TierTestKit.ReadBothTiers(hot, recoveredTier));

        await new SegmentArchiver().ArchiveAsync(hot, recoveredTier, TierTestKit.Layout, _ => true);
        Assert.Equal(recoveredTier.Manifest.EndOffset, hot.StartOffset);
        Assert.Equal(before, TierTestKit.ReadBothTiers(hot, recoveredTier));
    }
}
