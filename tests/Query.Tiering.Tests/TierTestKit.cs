using Query.Storage;
using Query.Tiering.Archival;
using Query.Tiering.Layout;
using Query.Tiering.Reading;

namespace Query.Tiering.Tests;

/// <summary>Shared steps of the tiering tests: a small-segment log, and reading a partition across both tiers.</summary>
internal static class TierTestKit
{
    public static readonly LogOptions SmallSegments = new() { SegmentMaxBytes = 64 * 1024 };

    public static readonly IColumnLayout Layout = new TestLayout(TestLayout.AllTypes);

    /// <summary>Every record of the partition: offsets below the hot start from cold, the rest from hot.</summary>
    public static List<RecordImage> ReadBothTiers(PartitionLog partition, PartitionTier tier,
        ColdScanRange? range = null)
    {
        range ??= new ColdScanRange(0);
        var images = new List<RecordImage>();
        var hotStart = partition.StartOffset;
        using (var cold = new ColdPartitionReader(tier, Layout, range with
        {
            EndOffsetExclusive = Math.Min(range.EndOffsetExclusive, hotStart),
        }))
        {
            while (cold.TryRead(out var record))
                images.Add(RecordImage.Of(record));
        }
        using var hot = partition.OpenReader(Math.Max(range.StartOffset, hotStart), range.EndOffsetExclusive);
        while (hot.TryRead(out var record))
            images.Add(RecordImage.Of(record));
        return images;
    }

    /// <summary>Appends rows (row i's value at timestamp BaseTimestampMs + i) in batches of 50 (rows a multiple of
    /// 50), then archives every sealed segment into row groups of 100 rows, in the tier of "t" partition 0 under root.
    /// </summary>
    public static async Task<PartitionTier> AppendAndArchiveAsync(PartitionLog partition, string root,
        IColumnLayout layout, int rows, Func<int, byte[]> value)
    {
        Assert.Equal(0, rows % 50);
        using (var batch = new RecordBatchBuilder())
        {
            for (var i = 0; i < rows; i++)
            {
                batch.Add(RowGenerator.BaseTimestampMs + i, null, false, value(i), []);
                if (batch.Count == 50)
                {
                    await partition.AppendAsync(batch);
                    batch.Clear();
                }
            }
        }
        var tier = new ColdStore(root).GetTier("t", 0);
        await new SegmentArchiver(new ColdFileOptions { RowGroupMaxRows = 100 })
            .ArchiveAsync(partition, tier, layout, _ => true);
        return tier;
    }

    public static List<string> StrayFiles(string directory) =>
        !Directory.Exists(directory)
            ? []
            : [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f).StartsWith(ColdPaths.TemporaryPrefix, StringComparison.Ordinal))];

    public static List<string> ParquetFiles(string directory) =>
        !Directory.Exists(directory)
            ? []
            : [.. Directory.EnumerateFiles(directory, "*.parquet", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(directory, f)).Order()];

    public static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        foreach (var folder in Directory.EnumerateDirectories(source))
            CopyDirectory(folder, Path.Combine(destination, Path.GetFileName(folder)));
    }
}
