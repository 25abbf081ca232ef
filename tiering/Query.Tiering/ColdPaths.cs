using System.Globalization;

namespace Query.Tiering;

/// <summary>
/// Where cold files live: <c>&lt;root&gt;/&lt;stream&gt;/partition=&lt;n&gt;/date=&lt;yyyy-MM-dd&gt;/
/// &lt;first:D20&gt;-&lt;last:D20&gt;.parquet</c> (Hive-style folders that DuckDB, Spark and Trino discover), the
/// partition's manifest <c>_tier_manifest.json</c> beside the date folders (readers skip names starting with
/// '_' or '.'), and temporaries named <c>.tmp-*</c>, which globs on <c>*.parquet</c> never match.
/// </summary>
public static class ColdPaths
{
    public const string PartitionKey = "partition";
    public const string DateKey = "date";
    public const string ManifestFileName = "_tier_manifest.json";
    public const string TemporaryPrefix = ".tmp-";

    public static string StreamDirectory(string root, string stream) => Path.Combine(root, stream);

    public static string PartitionDirectory(string root, string stream, int partition) =>
        Path.Combine(root, stream, PartitionKey + "=" + partition.ToString(CultureInfo.InvariantCulture));

    /// <summary>The file's path relative to its partition folder (what the manifest records).</summary>
    public static string RelativeFilePath(DateOnly date, long firstOffset, long lastOffset) =>
        DateKey + "=" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/"
        + FileName(firstOffset, lastOffset);

    /// <summary>A cold file's name: its first and last offsets, zero-padded so names sort by offset.</summary>
    public static string FileName(long firstOffset, long lastOffset) =>
        firstOffset.ToString("D20", CultureInfo.InvariantCulture) + "-"
        + lastOffset.ToString("D20", CultureInfo.InvariantCulture) + ".parquet";
}
