using Query.Tiering.Manifest;
using Query.Tiering.Parquet;

namespace Query.Tiering;

/// <summary>
/// The cold tier of one partition: its folder, its committed manifest (a snapshot readers take without locks),
/// and the lock that serializes archival, compaction and expiry. Opening cleans what a crash left behind:
/// temporary files, and Parquet files that no committed manifest names (written and renamed, but the manifest
/// commit never happened), so external readers never see a row twice.
/// </summary>
public sealed class PartitionTier
{
    private readonly ManifestPins _pins;
    private TierManifest _manifest;

    private PartitionTier(string stream, int partition, string directory, TierManifest manifest,
        ColdFileCache? fileCache)
    {
        FileCache = fileCache;
        _pins = new ManifestPins(fileCache is null ? null : fileCache.Evict);
        Stream = stream;
        Partition = partition;
        Directory = directory;
        _manifest = manifest;
    }

    public string Stream { get; }
    public int Partition { get; }
    public string Directory { get; }

    /// <summary>Cold files kept open between reads (shared by the store's tiers); null: every read opens its file.
    /// Whoever deletes one of this tier's files evicts it here first.</summary>
    public ColdFileCache? FileCache { get; }

    /// <summary>The committed manifest; immutable, safe to read from any thread.</summary>
    public TierManifest Manifest => Volatile.Read(ref _manifest);

    /// <summary>
    /// Takes the committed manifest and holds it: files it names stay on disk until the lease is disposed, even
    /// if compaction replaces them meanwhile. Every reader of cold files reads through one.
    /// </summary>
    public ManifestLease Lease() => new(_pins, _pins.Pin(() => Manifest));

    /// <summary>Cold files replaced at <paramref name="generation"/>, deleted once no older lease holds them.</summary>
    internal void Retire(long generation, string[] paths) => _pins.Retire(generation, paths);

    /// <summary>Replaced files not yet deleted because a reader still holds an older manifest.</summary>
    public int FilesAwaitingReaders => _pins.WaitingFiles;

    /// <summary>Held by whoever changes the manifest (archival, compaction, expiry); never by readers.</summary>
    internal SemaphoreSlim MutationLock { get; } = new(1, 1);

    /// <summary>Test hook run in a manifest commit, after the temporary file is synced, before the rename.</summary>
    internal Action? BeforeManifestRename { get; set; }

    public static PartitionTier Open(string coldRoot, string stream, int partition, ColdFileCache? fileCache = null)
    {
        var directory = ColdPaths.PartitionDirectory(coldRoot, stream, partition);
        var manifest = TierManifestFile.Read(directory);
        CleanDirectory(directory, manifest);
        return new PartitionTier(stream, partition, directory, manifest, fileCache);
    }

    public string FullPath(ColdFileEntry file) => Path.Combine(Directory, file.RelativePath);

    /// <summary>Commits and publishes <paramref name="next"/>; caller holds <see cref="MutationLock"/>.</summary>
    internal void Commit(TierManifest next)
    {
        TierManifestFile.Commit(Directory, next, BeforeManifestRename, () => Volatile.Write(ref _manifest, next));
    }

    private static void CleanDirectory(string directory, TierManifest manifest)
    {
        if (!System.IO.Directory.Exists(directory))
            return;
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
            named.Add(Path.GetFullPath(Path.Combine(directory, file.RelativePath)));
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(path);
            var stray = name.StartsWith(ColdPaths.TemporaryPrefix, StringComparison.Ordinal)
                || (name.EndsWith(".parquet", StringComparison.Ordinal) && !named.Contains(Path.GetFullPath(path)));
            if (stray)
                File.Delete(path);
        }
        foreach (var folder in System.IO.Directory.EnumerateDirectories(directory))
        {
            if (!System.IO.Directory.EnumerateFileSystemEntries(folder).Any())
                System.IO.Directory.Delete(folder);
        }
    }
}
