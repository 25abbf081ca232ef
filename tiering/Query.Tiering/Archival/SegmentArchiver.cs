using Query.Storage;
using Query.Tiering.Layout;
using Query.Tiering.Manifest;

namespace Query.Tiering.Archival;

/// <summary>
/// Moves sealed hot segments of a partition into cold Parquet files, oldest first. The order for each segment
/// is the whole of the crash-safety argument:
/// <list type="number">
/// <item>write each file under a temporary name (<c>.tmp-*</c>) in its final folder and fsync it;</item>
/// <item>rename it to its final name and fsync the folders;</item>
/// <item>commit the manifest naming the files and the new archived-through offset (temporary file, fsync,
/// rename, fsync folder) — this is the commit point;</item>
/// <item>only then delete the hot segments below the archived-through offset.</item>
/// </list>
/// A crash before the commit leaves the old manifest: the hot segment is still there, and the files it never
/// named are removed by <see cref="PartitionTier.Open"/>. A crash after it leaves the new manifest and, maybe,
/// hot segments below its end: readers take offsets below the hot start from cold and the rest from hot, so
/// both copies never yield a row twice, and the next run deletes the leftovers. A failure in process cleans
/// the same way at once and keeps the hot data; the job reports it and is retried.
/// </summary>
public sealed class SegmentArchiver
{
    private readonly ColdFileOptions _options;
    private readonly TimeProvider _time;

    public SegmentArchiver(ColdFileOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new ColdFileOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The retention floor holder under which archival keeps un-archived segments.</summary>
    public const string RetentionFloorHolder = "tiering";

    /// <summary>
    /// Holds <paramref name="log"/>'s retention floor at the tier's archived-through offset, so time and size
    /// retention of the hot log never delete a segment that is not yet cold. Call it when a stream becomes tiered;
    /// every archival run moves the floor up as it commits.
    /// </summary>
    public static void ProtectUnarchived(PartitionLog log, PartitionTier tier)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(tier);
        log.HoldRetentionFloor(RetentionFloorHolder, tier.Manifest.EndOffset);
    }

    /// <summary>Test hook called at each step; throwing there simulates a failure at that point.</summary>
    internal Action<ArchiveStep>? Fault { get; set; }

    /// <summary>
    /// Archives every sealed segment above the manifest's end for which <paramref name="shouldArchive"/> says yes,
    /// stopping at the first that says no (oldest first, so the cold tier stays contiguous).
    /// </summary>
    public async Task<ArchiveResult> ArchiveAsync(PartitionLog log, PartitionTier tier, IColumnLayout layout,
        Func<SegmentInfo, bool> shouldArchive, ArchiveProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(layout);
        var schema = Parquet.ColdFileSchema.Create(layout.Columns);
        await tier.MutationLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ProtectUnarchived(log, tier);
            ReleaseHot(log, tier.Manifest.EndOffset);
            var candidates = Candidates(log, tier.Manifest.EndOffset, shouldArchive);
            progress?.Plan(candidates.Count, candidates.Sum(s => s.SizeBytes));
            var result = ArchiveResult.None;
            foreach (var segment in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var one = await ArchiveSegmentAsync(log, tier, layout, schema, segment).ConfigureAwait(false);
                progress?.SegmentDone(segment.SizeBytes, one.Rows);
                result = result.Add(one);
            }
            return result;
        }
        finally
        {
            tier.MutationLock.Release();
        }
    }

    private static List<SegmentInfo> Candidates(PartitionLog log, long archivedThrough,
        Func<SegmentInfo, bool> shouldArchive)
    {
        var segments = log.GetSegments();
        var candidates = new List<SegmentInfo>();
        for (var i = 0; i < segments.Count - 1; i++)          // the last segment is active
        {
            var segment = segments[i];
            if (segment.EndOffset <= archivedThrough)
                continue;
            if (!shouldArchive(segment))
                break;
            candidates.Add(segment);
        }
        return candidates;
    }

    // One segment, atomically: the files and the manifest entry appear together at the commit or not at all.
    // Runs with CancellationToken.None: a step once started completes or fails, never half-cancels.
    private async Task<ArchiveResult> ArchiveSegmentAsync(PartitionLog log, PartitionTier tier, IColumnLayout layout,
        Parquet.ColdFileSchema schema, SegmentInfo segment)
    {
        var manifest = tier.Manifest;
        // Offsets between the manifest's end and this segment were removed by retention before archival; the
        // first file covers them (they exist nowhere), so the cold tier stays contiguous.
        var start = manifest.EndOffset == 0 && manifest.Files.IsEmpty ? segment.BaseOffset : manifest.EndOffset;
        var written = new List<WrittenFile>();
        try
        {
            await new SegmentFileWriter(log, tier, layout, schema, _options, Step).WriteAsync(start,
                segment.EndOffset, written).ConfigureAwait(false);
            Step(ArchiveStep.RenameFile);
            foreach (var file in written)
            {
                File.Move(file.TemporaryPath, file.FinalPath, overwrite: true);
                file.Renamed = true;
            }
            Step(ArchiveStep.SyncDirectory);
            SyncFolders(tier, written);
            Step(ArchiveStep.WriteManifest);
            var entries = written.ConvertAll(f => f.Entry);
            var next = manifest.Append(entries, segment.EndOffset);
            tier.BeforeManifestRename = () => Step(ArchiveStep.RenameManifest);
            tier.Commit(next);
        }
        catch when (tier.Manifest.Generation == manifest.Generation)
        {
            Discard(written);       // not committed: leave no file a reader of the folders could see twice
            throw;
        }
        finally
        {
            tier.BeforeManifestRename = null;
        }
        Step(ArchiveStep.ReleaseHot);
        log.HoldRetentionFloor(RetentionFloorHolder, segment.EndOffset);
        ReleaseHot(log, segment.EndOffset);
        long rows = 0, bytesOut = 0;
        foreach (var file in written)
        {
            rows += file.Entry.RowCount;
            bytesOut += file.Entry.SizeBytes;
        }
        return new ArchiveResult(1, rows, segment.SizeBytes, bytesOut, written.Count);
    }

    private void Step(ArchiveStep step) => Fault?.Invoke(step);

    private static void ReleaseHot(PartitionLog log, long archivedThrough)
    {
        if (archivedThrough > log.StartOffset)
            log.DeleteSegmentsBefore(archivedThrough);
    }

    private static void SyncFolders(PartitionTier tier, List<WrittenFile> written)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in written)
            folders.Add(Path.GetDirectoryName(file.FinalPath)!);
        foreach (var folder in folders)
            DirectorySync.Sync(folder);
        // New date, partition and stream folders are entries of their parents.
        var partitionFolder = tier.Directory;
        DirectorySync.Sync(partitionFolder);
        DirectorySync.Sync(Path.GetDirectoryName(partitionFolder)!);
        DirectorySync.Sync(Path.GetDirectoryName(Path.GetDirectoryName(partitionFolder)!)!);
    }

    private static void Discard(List<WrittenFile> written)
    {
        foreach (var file in written)
        {
            TryDelete(file.TemporaryPath);
            if (file.Renamed)
                TryDelete(file.FinalPath);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for PartitionTier.Open, which removes every file the manifest does not name.
        }
    }
}

/// <summary>A cold file written for a segment: where it is now, where it goes, and its manifest entry.</summary>
internal sealed class WrittenFile(string temporaryPath, string finalPath, ColdFileEntry entry)
{
    public string TemporaryPath { get; } = temporaryPath;
    public string FinalPath { get; } = finalPath;
    public ColdFileEntry Entry { get; } = entry;
    public bool Renamed { get; set; }
}
