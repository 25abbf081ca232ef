using Query.Storage;
using Query.Storage.Reading;

namespace Query.Tiering.Reading;

/// <summary>
/// Sources over both tiers for every log. A log with no cold files reads exactly as the hot source would (the
/// manifest is empty and every read goes to the hot log), so streams can be tiered or not without changing
/// their sources.
/// </summary>
public sealed class TieredPartitionSourceFactory(ColdStore store, ITieringCatalog catalog) : IPartitionSourceFactory
{
    public IReadOnlyList<IPartitionSource> CreateSources(PartitionedLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var folder = catalog.ColdFolderOf(log.Name);
        var sources = new IPartitionSource[log.PartitionCount];
        for (var p = 0; p < sources.Length; p++)
            sources[p] = new TieredPartitionSource(log.GetPartition(p), store.GetTier(folder, p),
                () => catalog.LayoutOf(log.Name));
        return sources;
    }
}
