using System.Collections.Immutable;

namespace Query.Tiering.Manifest;

/// <summary>
/// The single source of truth for which offsets of a partition are cold: files in offset order covering
/// [<see cref="StartOffset"/>, <see cref="EndOffset"/>) without gaps or overlaps (a range whose records were
/// all absent has no file). <see cref="EndOffset"/> is the archived-through offset: hot segments wholly below it
/// may go. <see cref="Generation"/> rises with every commit. Immutable: a commit publishes a new instance.
/// </summary>
public sealed record TierManifest(long Generation, long StartOffset, long EndOffset,
    ImmutableArray<ColdFileEntry> Files)
{
    public const int FormatVersion = 1;

    public static TierManifest Empty { get; } = new(0, 0, 0, []);

    public long SizeBytes
    {
        get
        {
            long total = 0;
            foreach (var file in Files)
                total += file.SizeBytes;
            return total;
        }
    }

    public long RowCount
    {
        get
        {
            long total = 0;
            foreach (var file in Files)
                total += file.RowCount;
            return total;
        }
    }

    /// <summary>Index of the first file whose range ends after <paramref name="offset"/> (or Files.Length).</summary>
    public int FindFile(long offset)
    {
        int lo = 0, hi = Files.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Files[mid].EndOffset <= offset)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    /// <summary>The manifest with <paramref name="added"/> appended, contiguous from <see cref="EndOffset"/>.</summary>
    public TierManifest Append(IReadOnlyList<ColdFileEntry> added, long newEndOffset)
    {
        // An empty tier starts wherever its first file does (older offsets may have expired from the hot log).
        var fresh = Files.IsEmpty && StartOffset == EndOffset && added.Count > 0;
        var expected = fresh ? added[0].BaseOffset : EndOffset;
        foreach (var file in added)
        {
            if (file.BaseOffset != expected || file.EndOffset <= file.BaseOffset)
                throw new InvalidOperationException(
                    $"cold file {file.RelativePath} covers [{file.BaseOffset}, {file.EndOffset}), expected it to " +
                    $"start at {expected}");
            expected = file.EndOffset;
        }
        if (newEndOffset < expected)
            throw new InvalidOperationException($"archived-through offset {newEndOffset} is below {expected}");
        var start = fresh ? added[0].BaseOffset : StartOffset;
        return new TierManifest(Generation + 1, start, newEndOffset, Files.AddRange(added));
    }

    /// <summary>The manifest without its first <paramref name="count"/> files (retention of the cold tier).</summary>
    public TierManifest RemoveOldest(int count)
    {
        var start = count < Files.Length ? Files[count].BaseOffset : EndOffset;
        return new TierManifest(Generation + 1, start, EndOffset, Files.RemoveRange(0, count));
    }

    /// <summary>Files [first, first + count) replaced by <paramref name="merged"/> (compaction).</summary>
    public TierManifest Replace(int first, int count, ColdFileEntry merged)
    {
        if (merged.BaseOffset != Files[first].BaseOffset || merged.EndOffset != Files[first + count - 1].EndOffset)
            throw new InvalidOperationException("a merged file must cover exactly the files it replaces");
        return this with { Generation = Generation + 1, Files = Files.RemoveRange(first, count).Insert(first, merged) };
    }
}
