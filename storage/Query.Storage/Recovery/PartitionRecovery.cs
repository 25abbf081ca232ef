using System.Globalization;
using Query.Storage.Index;
using Query.Storage.Log;
using Query.Storage.Native;

namespace Query.Storage.Recovery;

/// <summary>
/// Opens a partition directory after a clean or unclean shutdown:
/// <list type="number">
/// <item>finishes the renames of a staged append whose adoption a crash cut short (see AdoptionManifest), then a
/// truncation a crash cut short (see TruncationManifest);</item>
/// <item>removes leftovers: temporary files, index files without a segment, segments wholly before the
/// checkpoint's start offset (a retention delete cut short);</item>
/// <item>a sealed segment listed in the checkpoint with the same size is trusted: its index files are loaded,
/// or rebuilt by a CRC scan when missing or damaged;</item>
/// <item>every other segment is CRC-scanned; the active (last) one has a torn tail cut off, any other damage is
/// a <see cref="CorruptSegmentException"/>;</item>
/// <item>offsets must run on without gaps from one segment to the next;</item>
/// <item>the active segment's trailing batches of transactions that did not commit are cut: continued batches
/// whose completing batch is missing, and pending batches past the end the last commit record names.</item>
/// </list>
/// </summary>
internal static class PartitionRecovery
{
    public static Segment[] Recover(string directory, LogOptions options, long nowMs, long recordedEnd)
    {
        System.IO.Directory.CreateDirectory(directory);
        AdoptionManifest.RollForward(directory);
        TruncationManifest.RollForward(directory);
        var hasCheckpoint = PartitionCheckpoint.TryRead(directory, out var checkpointHeader, out var checkpoint);
        var startOffset = checkpointHeader.StartOffset;
        var baseOffsets = ListSegments(directory, hasCheckpoint ? startOffset : long.MinValue);
        if (baseOffsets.Count == 0)
            baseOffsets.Add(hasCheckpoint ? startOffset : 0);
        var segments = new Segment[baseOffsets.Count];
        try
        {
            for (var i = 0; i < baseOffsets.Count; i++)
            {
                var isLast = i == baseOffsets.Count - 1;
                // Under durability none a sealed segment was never synced, so a power loss can tear it too.
                var tornTailAllowed = isLast || options.Durability == DurabilityMode.None;
                segments[i] = OpenSegment(directory, baseOffsets[i], isLast, tornTailAllowed, checkpoint,
                    isLast ? recordedEnd : long.MaxValue, out var wasCut);
                if (i > 0 && segments[i - 1].EndOffset != segments[i].BaseOffset)
                    throw new CorruptSegmentException(segments[i].LogPath, 0,
                        $"offsets jump from {segments[i - 1].EndOffset} to {segments[i].BaseOffset}");
                if (wasCut && !isLast)
                {
                    // Offsets must stay dense: what follows a cut can no longer be attached (Kafka does the same).
                    DeleteSegmentsAfter(directory, baseOffsets, i);
                    Array.Resize(ref segments, i + 1);
                    break;
                }
                if (!isLast)
                    segments[i].Seal(syncToDisk: false);
            }
        }
        catch
        {
            foreach (var segment in segments)
                segment?.Close();
            throw;
        }
        var active = segments[^1];
        active.CreatedMs = ActiveCreatedMs(active, checkpointHeader, nowMs);
        active.OpenIndexFilesForAppend();
        if (options.Durability != DurabilityMode.None)
            FileSync.SyncDirectory(directory);
        return segments;
    }

    // The age of a non-empty active segment goes on from when it started taking appends, as the checkpoint
    // recorded it; an empty one (or one the checkpoint does not know) counts from now, its first append resets it.
    private static long ActiveCreatedMs(Segment active, PartitionCheckpoint.Header checkpoint, long nowMs) =>
        active.SizeBytes > 0 && checkpoint.ActiveBaseOffset == active.BaseOffset
            && checkpoint.ActiveCreatedMs != long.MinValue
            ? Math.Min(checkpoint.ActiveCreatedMs, nowMs)
            : nowMs;

    private static void DeleteSegmentsAfter(string directory, List<long> baseOffsets, int index)
    {
        for (var j = index + 1; j < baseOffsets.Count; j++)
        {
            foreach (var extension in new[] { ".log", ".index", ".timeindex" })
                File.Delete(Path.Combine(directory, Segment.FileName(baseOffsets[j], extension)));
        }
        PartitionCheckpoint.Delete(directory);
    }

    private static Segment OpenSegment(string directory, long baseOffset, bool isLast, bool tornTailAllowed,
        Dictionary<long, PartitionCheckpoint.Entry> checkpoint, long recordedEnd, out bool wasCut)
    {
        wasCut = false;
        var segment = Segment.Open(directory, baseOffset, new SegmentIndex());
        try
        {
            var fileBytes = RandomAccess.GetLength(segment.Handle);
            if (!isLast && checkpoint.TryGetValue(baseOffset, out var entry) && entry.SizeBytes == fileBytes)
            {
                segment.Restore(entry.SizeBytes, entry.EndOffset, entry.MinTimestampMs, entry.MaxTimestampMs);
                var index = SegmentIndex.TryLoad(segment.OffsetIndexPath, segment.TimeIndexPath, fileBytes,
                    entry.MaxTimestampMs);
                if (index is not null)
                {
                    segment.ReplaceIndex(index);
                    return segment;
                }
            }
            var result = SegmentScanner.Scan(segment.Handle, segment.LogPath, baseOffset, tornTailAllowed,
                recordedEnd);
            if (isLast && result.UncommittedFrom >= 0)
            {
                // Cut the unfinished transaction, then scan what is left for the index and time range.
                segment.Truncate(result.UncommittedFrom);
                segment.Sync();
                result = SegmentScanner.Scan(segment.Handle, segment.LogPath, baseOffset, tornTailAllowed,
                    long.MaxValue);
            }
            if (result.ValidBytes < result.FileBytes)
            {
                segment.Truncate(result.ValidBytes);
                segment.Sync();
                wasCut = true;
            }
            segment.Restore(result.ValidBytes, result.EndOffset, result.MinTimestampMs, result.MaxTimestampMs);
            segment.ReplaceIndex(result.Index);
            if (!isLast)
                segment.OpenIndexFilesForAppend(); // rewrites both index files; Seal then closes them
            return segment;
        }
        catch
        {
            segment.Close();
            throw;
        }
    }

    /// <summary>Base offsets of the segment files, ascending, after removing leftovers.</summary>
    private static List<long> ListSegments(string directory, long startOffset)
    {
        var baseOffsets = new List<long>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            var extension = Path.GetExtension(name);
            if (extension == ".tmp")
            {
                File.Delete(path);
                continue;
            }
            if (extension is not (".log" or ".index" or ".timeindex")
                || !long.TryParse(Path.GetFileNameWithoutExtension(name), NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out var baseOffset))
                continue;
            var logPath = Path.ChangeExtension(path, ".log");
            if (baseOffset < startOffset || !File.Exists(logPath))
                File.Delete(path);
            else if (extension == ".log")
                baseOffsets.Add(baseOffset);
        }
        baseOffsets.Sort();
        return baseOffsets;
    }
}
