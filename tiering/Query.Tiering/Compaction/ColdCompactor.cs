using Query.Storage;
using Query.Tiering.Archival;
using Query.Tiering.Layout;
using Query.Tiering.Manifest;

namespace Query.Tiering.Compaction;

/// <summary>
/// Merges runs of adjacent small cold files of a partition into one file each (<see cref="CompactionPlan"/>
/// says which). The order for each run is the archiver's, and so is the crash-safety argument:
/// <list type="number">
/// <item>write the merged file under a temporary name (<c>.tmp-*</c>) in the run's <c>date=</c> folder, fsync
/// it, rename it to its final name and fsync the folder;</item>
/// <item>commit the manifest with the run replaced by the merged file (temporary file, fsync, rename, fsync
/// folder): the commit point;</item>
/// <item>only then hand the replaced files over for deletion, which waits until no reader holds a manifest that
/// names them (<see cref="PartitionTier.Lease"/>), so reads never race deletion.</item>
/// </list>
/// A crash before the commit leaves the old manifest, and the merged file that no manifest names is removed by
/// <see cref="PartitionTier.Open"/>; a crash after it leaves the replaced files unnamed, removed the same way.
/// Row groups are copied column by column, never re-encoded, so every offset keeps exactly its values; the
/// merged file is checked to hold exactly the rows of the files it replaces before it is committed.
/// </summary>
public sealed class ColdCompactor
{
    private readonly CompactionOptions _options;
    private readonly ColdFileOptions _fileOptions;

    public ColdCompactor(CompactionOptions? options = null, ColdFileOptions? fileOptions = null)
    {
        _options = options ?? new CompactionOptions();
        _options.Validate();
        _fileOptions = fileOptions ?? new ColdFileOptions();
        _fileOptions.Validate();
    }

    /// <summary>Test hook called at each step; throwing there simulates a failure at that point.</summary>
    internal Action<CompactionStep>? Fault { get; set; }

    /// <summary>
    /// Merges the partition's runs one at a time, each under the tier's lock (archival and expiry may run
    /// between two runs). <paramref name="force"/>: every run of two files or more, whether or not it can grow.
    /// </summary>
    public async Task<CompactionResult> CompactAsync(PartitionTier tier, IColumnLayout layout, bool force = false,
        ArchiveProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(layout);
        var planned = CompactionPlan.Choose(tier.Manifest, layout.SchemaVersion, _options, force);
        Plan(tier.Manifest, planned, progress);
        var result = CompactionResult.None;
        for (var k = 0; k < planned.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await tier.MutationLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Chosen again under the lock: expiry or archival may have changed the manifest since.
                var runs = CompactionPlan.Choose(tier.Manifest, layout.SchemaVersion, _options, force);
                if (runs.Count == 0)
                    break;
                var one = await MergeAsync(tier, layout, runs[0], progress).ConfigureAwait(false);
                result = result.Add(one);
            }
            finally
            {
                tier.MutationLock.Release();
            }
        }
        return result;
    }

    private static void Plan(TierManifest manifest, List<CompactionRun> runs, ArchiveProgress? progress)
    {
        long files = 0, bytes = 0;
        foreach (var run in runs)
        {
            files += run.Count;
            for (var i = run.First; i < run.First + run.Count; i++)
                bytes += manifest.Files[i].SizeBytes;
        }
        progress?.Plan(files, bytes);
    }

    // One run, atomically. Runs with CancellationToken.None: a merge once started completes or fails.
    private async Task<CompactionResult> MergeAsync(PartitionTier tier, IColumnLayout layout, CompactionRun run,
        ArchiveProgress? progress)
    {
        var manifest = tier.Manifest;
        var inputs = manifest.Files.Slice(run.First, run.Count);
        var merge = new RunMerger(tier, layout, _fileOptions, Step, progress);
        MergedFile? merged = null;
        TierManifest next;
        try
        {
            merged = await merge.WriteAsync(inputs).ConfigureAwait(false);
            Step(CompactionStep.RenameFile);
            File.Move(merged.TemporaryPath, merged.FinalPath, overwrite: true);
            merged.Renamed = true;
            Step(CompactionStep.SyncDirectory);
            DirectorySync.Sync(Path.GetDirectoryName(merged.FinalPath)!);
            Step(CompactionStep.WriteManifest);
            next = manifest.Replace(run.First, run.Count, merged.Entry);
            tier.BeforeManifestRename = () => Step(CompactionStep.RenameManifest);
            tier.Commit(next);
        }
        catch when (tier.Manifest.Generation == manifest.Generation)
        {
            merged?.Discard();      // not committed: leave no file a reader of the folders could see twice
            throw;
        }
        finally
        {
            tier.BeforeManifestRename = null;
        }
        var replaced = new string[inputs.Length];
        long rows = 0, bytesIn = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            replaced[i] = tier.FullPath(inputs[i]);
            rows += inputs[i].RowCount;
            bytesIn += inputs[i].SizeBytes;
        }
        try
        {
            Step(CompactionStep.DeleteReplaced);
        }
        finally
        {
            tier.Retire(next.Generation, replaced);
        }
        return new CompactionResult(1, inputs.Length, rows, bytesIn, merged.Entry.SizeBytes);
    }

    private void Step(CompactionStep step) => Fault?.Invoke(step);
}
