using Query.Tiering.Manifest;

namespace Query.Tiering.Compaction;

/// <summary>
/// Chooses the runs of a manifest to merge. A run is a sequence of adjacent files that share a <c>date=</c>
/// folder (a merged file never crosses one, so the Hive layout keeps meaning what it says) and the current
/// schema version (files written before ADD COLUMN are left as they are), taken while their bytes add up to at
/// most <see cref="CompactionOptions.TargetFileBytes"/>. The job merges a run of at least
/// <see cref="CompactionOptions.MinFilesToMerge"/> files once it cannot grow any more: a file follows it that
/// cannot join (too big for the target, another folder or schema). The run at the end of the tier is left to
/// grow as archival adds files, so each file is rewritten about once rather than at every pass. A forced
/// compaction (COMPACT STREAM) merges every run of two files or more, at the end too.
/// </summary>
public static class CompactionPlan
{
    public static List<CompactionRun> Choose(TierManifest manifest, int schemaVersion, CompactionOptions options,
        bool force)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        var files = manifest.Files;
        var minFiles = force ? 2 : options.MinFilesToMerge;
        var runs = new List<CompactionRun>();
        var i = 0;
        while (i < files.Length)
        {
            var end = RunEnd(manifest, i, schemaVersion, options.TargetFileBytes);
            if (end == i)
            {
                i++;
                continue;
            }
            var closed = end < files.Length;
            if (end - i >= minFiles && (closed || force))
                runs.Add(new CompactionRun(i, end - i));
            i = end;
        }
        return runs;
    }

    // One past the last file of the run that starts at first (first itself when it cannot start one).
    private static int RunEnd(TierManifest manifest, int first, int schemaVersion, long targetBytes)
    {
        var files = manifest.Files;
        var folder = Folder(files[first].RelativePath);
        long bytes = 0;
        var end = first;
        while (end < files.Length)
        {
            var file = files[end];
            if (file.SchemaVersion != schemaVersion || bytes + file.SizeBytes > targetBytes
                || !Folder(file.RelativePath).SequenceEqual(folder))
                break;
            bytes += file.SizeBytes;
            end++;
        }
        return end;
    }

    /// <summary>The <c>date=</c> folder of a manifest path (what precedes its last '/').</summary>
    public static ReadOnlySpan<char> Folder(string relativePath)
    {
        var slash = relativePath.LastIndexOf('/');
        return slash < 0 ? [] : relativePath.AsSpan(0, slash);
    }
}
