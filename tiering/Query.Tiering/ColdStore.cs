using System.Collections.Concurrent;
using Query.Tiering.Parquet;

namespace Query.Tiering;

/// <summary>
/// The cold root folder and one <see cref="PartitionTier"/> per stream partition, shared by the archival job
/// and every reader so that all of them see the same committed manifest. A tier is opened (and cleaned of what
/// a crash left) the first time anyone asks for it, before any archival of it can run.
/// </summary>
public sealed class ColdStore
{
    private readonly ConcurrentDictionary<(string Stream, int Partition), Lazy<PartitionTier>> _tiers = new();

    /// <param name="root">The cold root folder.</param>
    /// <param name="openFiles">Cold files kept open between reads (<see cref="ColdFileCache"/>); 0: none.</param>
    public ColdStore(string root, int openFiles = ColdFileCache.DefaultCapacity)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        FileCache = new ColdFileCache(openFiles);
    }

    public string Root { get; }

    /// <summary>The cold files kept open between reads, shared by every tier of the store.</summary>
    public ColdFileCache FileCache { get; }

    public PartitionTier GetTier(string stream, int partition) =>
        _tiers.GetOrAdd((stream, partition), key => new Lazy<PartitionTier>(() =>
            PartitionTier.Open(Root, key.Stream, key.Partition, FileCache))).Value;

    /// <summary>Forgets a dropped stream's tiers and deletes its cold folder.</summary>
    public void DeleteStream(string stream)
    {
        foreach (var key in _tiers.Keys)
        {
            if (key.Stream == stream)
                _tiers.TryRemove(key, out _);
        }
        var folder = ColdPaths.StreamDirectory(Root, stream);
        FileCache.EvictUnder(folder);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
