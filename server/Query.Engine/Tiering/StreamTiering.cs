namespace Query.Engine.Tiering;

/// <summary>
/// A stream's tiering settings as given in WITH (...) or ALTER STREAM ... SET (...): null means "the server's
/// default" (<see cref="TieringDefaults"/>), so changing a server default changes every stream that did not say.
/// Local retention (Kafka's local.retention.*) is how long and how much of a partition stays in the hot log
/// before the archival job moves sealed segments to the cold tier; -1 means no limit of that kind.
/// </summary>
public sealed record StreamTiering(bool? Enabled, long? LocalRetentionMs, long? LocalRetentionBytes)
{
    public static StreamTiering Unset { get; } = new(null, null, null);
}

/// <summary>The server-wide defaults a stream's <see cref="StreamTiering"/> falls back to.</summary>
public sealed record TieringDefaults
{
    /// <summary>Whether streams that do not say TIERED are tiered.</summary>
    public bool Enabled { get; init; }

    /// <summary>Sealed segments whose newest row is older than this are archived; -1: not by age.</summary>
    public long LocalRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary>Oldest sealed segments are archived while a partition's hot log is larger; -1: not by size.</summary>
    public long LocalRetentionBytes { get; init; } = -1;

    /// <summary>Finished archival runs kept for SHOW ARCHIVALS (older ones are forgotten).</summary>
    public int HistoryRuns { get; init; } = 256;

    /// <summary>
    /// Partitions of a stream archived at once (by the job and ARCHIVE STREAM), each on its own thread with its
    /// own layout; each running partition buffers up to one row group (<see cref="Query.Tiering.ColdFileOptions"/>).
    /// </summary>
    public int ArchivalParallelism { get; init; } = 2;

    /// <summary>Which small cold files the job (and COMPACT STREAM) merge.</summary>
    public Query.Tiering.Compaction.CompactionOptions Compaction { get; init; } = new();

    /// <summary>How cold files are cut (row groups) and compressed, by archival and compaction alike.</summary>
    public Query.Tiering.ColdFileOptions ColdFiles { get; init; } = new();
}
