namespace Query.Storage.Reading;

/// <summary>Sources that read the hot segment log only.</summary>
public sealed class HotPartitionSourceFactory : IPartitionSourceFactory
{
    public static HotPartitionSourceFactory Instance { get; } = new();

    public IReadOnlyList<IPartitionSource> CreateSources(PartitionedLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var sources = new IPartitionSource[log.PartitionCount];
        for (var p = 0; p < sources.Length; p++)
            sources[p] = new HotPartitionSource(log.GetPartition(p));
        return sources;
    }
}
