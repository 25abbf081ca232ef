namespace Query.Storage;

/// <summary>A named log ("topic"): a fixed number of independent partitions sharing one set of options.</summary>
public sealed class PartitionedLog
{
    private readonly PartitionLog[] _partitions;

    internal PartitionedLog(string name, LogOptions options, string directory, PartitionLog[] partitions)
    {
        Name = name;
        Options = options;
        Directory = directory;
        _partitions = partitions;
    }

    public string Name { get; }
    public LogOptions Options { get; }
    public int PartitionCount => _partitions.Length;
    internal string Directory { get; }

    public PartitionLog GetPartition(int partition)
    {
        if ((uint)partition >= (uint)_partitions.Length)
            throw new ArgumentOutOfRangeException(nameof(partition), partition,
                $"log \"{Name}\" has partitions 0 to {_partitions.Length - 1}");
        return _partitions[partition];
    }

    internal async Task CloseAsync(bool delete)
    {
        foreach (var partition in _partitions)
            await partition.CloseAsync(delete).ConfigureAwait(false);
    }
}
