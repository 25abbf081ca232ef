using Query.Storage.Transactions;

namespace Query.Storage;

/// <summary>A named log ("topic"): a fixed number of independent partitions sharing one set of options.</summary>
public sealed class PartitionedLog
{
    private readonly PartitionLog[] _partitions;

    private readonly TransactionCoordinator _coordinator;

    internal PartitionedLog(string name, LogOptions options, string directory, PartitionLog[] partitions,
        TransactionCoordinator coordinator)
    {
        _coordinator = coordinator;
        Name = name;
        Options = options;
        Directory = directory;
        _partitions = partitions;
    }

    public string Name { get; }
    public LogOptions Options { get; }
    public int PartitionCount => _partitions.Length;
    internal string Directory { get; }

    /// <summary>Starts a transaction of the store this log belongs to: it may take shares of this log's
    /// partitions and of any other log of the store (see <see cref="LogTransaction"/>).</summary>
    public LogTransaction BeginTransaction() => new(_coordinator);

    public PartitionLog GetPartition(int partition)
    {
        if ((uint)partition >= (uint)_partitions.Length)
            throw new ArgumentOutOfRangeException(nameof(partition), partition,
                $"log \"{Name}\" has partitions 0 to {_partitions.Length - 1}");
        return _partitions[partition];
    }

    /// <summary>True when a partition failed (and so may not have synced what the journal holds for it).</summary>
    internal bool HasFailedPartition
    {
        get
        {
            foreach (var partition in _partitions)
            {
                if (partition.HasFailed)
                    return true;
            }
            return false;
        }
    }

    internal async Task CloseAsync(bool delete)
    {
        foreach (var partition in _partitions)
            await partition.CloseAsync(delete).ConfigureAwait(false);
    }
}
