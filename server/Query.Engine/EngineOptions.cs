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
    /// The cold tier (Parquet files under its root): when set, queries read each stream's archived offsets from
    /// it and then the hot log, and <see cref="QueryEngine.ArchiveStreamAsync"/> moves sealed segments there.
    /// </summary>
    public Query.Tiering.ColdStore? ColdStore { get; init; }
}
