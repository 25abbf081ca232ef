using System.Text.Json;
using System.Text.Json.Serialization;
using Query.Storage;

namespace Query.Tiering.Manifest;

/// <summary>
/// Reads and commits <c>_tier_manifest.json</c>. A commit writes a temporary file, fsyncs it, renames it over
/// the manifest and fsyncs the folder, so after any crash the file holds either the old or the new manifest.
/// </summary>
internal static class TierManifestFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static TierManifest Read(string partitionDirectory)
    {
        var path = Path.Combine(partitionDirectory, ColdPaths.ManifestFileName);
        if (!File.Exists(path))
            return TierManifest.Empty;
        ManifestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ManifestDocument>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new TierManifestCorruptException(path, e.Message, e);
        }
        if (document is null || document.FormatVersion != TierManifest.FormatVersion || document.Files is null)
            throw new TierManifestCorruptException(path, "unknown format version or missing files", null);
        return new TierManifest(document.Generation, document.StartOffset, document.EndOffset, [.. document.Files]);
    }

    /// <summary>
    /// Writes <paramref name="manifest"/> atomically; <paramref name="beforeRename"/> is a test hook,
    /// <paramref name="afterRename"/> publishes it in memory once the rename made it the file's content.
    /// </summary>
    public static void Commit(string partitionDirectory, TierManifest manifest, Action? beforeRename,
        Action afterRename)
    {
        Directory.CreateDirectory(partitionDirectory);
        var path = Path.Combine(partitionDirectory, ColdPaths.ManifestFileName);
        var temporary = Path.Combine(partitionDirectory,
            ColdPaths.TemporaryPrefix + "manifest-" + Guid.NewGuid().ToString("N"));
        var document = new ManifestDocument(TierManifest.FormatVersion, manifest.Generation, manifest.StartOffset,
            manifest.EndOffset, [.. manifest.Files]);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                JsonSerializer.Serialize(stream, document, Json);
                stream.Flush(flushToDisk: true);
            }
            beforeRename?.Invoke();
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);     // the old manifest stands; a crash here leaves it for PartitionTier.Open
            throw;
        }
        afterRename();                  // the file now says the new manifest, whatever the folder sync does
        DirectorySync.Sync(partitionDirectory);
    }

    private sealed record ManifestDocument(int FormatVersion, long Generation, long StartOffset, long EndOffset,
        ColdFileEntry[]? Files);
}
