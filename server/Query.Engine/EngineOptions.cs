using Query.Storage.Reading;

namespace Query.Engine;

/// <summary>Where the engine keeps its catalog and logs, and the clock it stamps rows with.</summary>
public sealed record EngineOptions
{
    /// <summary>Directory for <c>catalog.json</c> and the <c>logs/</c> folder; created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Clock for append times and UNIX_TIMESTAMP(); the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// How queries read a stream's partitions; the hot log only when null. A source that also reads cold files
    /// (or a remote broker) is substituted here, without the rest of the engine knowing.
    /// </summary>
    public IPartitionSourceFactory? PartitionSources { get; init; }

    /// <summary>
    /// Records per batch that query operators pass to each other (one virtual call per batch); at least 1.
    /// </summary>
    public int BatchRows
    {
        get => _batchRows;
        init => _batchRows = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchRows));
    }

    /// <summary>
    /// A batch also ends once its records' values reach this many bytes (a larger record travels alone).
    /// </summary>
    public int BatchBytes
    {
        get => _batchBytes;
        init => _batchBytes = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchBytes));
    }

    private readonly int _batchRows = 1024;
    private readonly int _batchBytes = 1 << 20;
}
