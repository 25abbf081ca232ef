using Query.Storage.Reading;

namespace Query.Engine;

/// <summary>Where the engine keeps its catalog and logs, the clock it stamps rows with, and its limits.</summary>
public sealed record EngineOptions
{
    /// <summary>Directory for <c>catalog.json</c> and the <c>logs/</c> folder; created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Clock for append times and UNIX_TIMESTAMP(); the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Store-wide storage settings of the <c>logs/</c> folder (the shared durable journal).</summary>
    public Storage.LogStoreOptions StoreOptions { get; init; } = new();

    /// <summary>
    /// Deepest syntax tree a statement may have (54001 past it); see <see cref="Limits.DepthGuard"/>.
    /// </summary>
    public int MaxStatementDepth { get; init; } = Grammar.SqlParser.DefaultMaxDepth;

    /// <summary>
    /// Largest STRING (in UTF-16 code units), BYTES (in bytes) or ARRAY (in elements times 8) a function or operator
    /// may produce; 54000 past it, raised before the value is allocated. 1 GiB by default, as PostgreSQL.
    /// </summary>
    public long MaxValueBytes { get; init; } = Limits.ValueSizeLimits.DefaultMaxValueBytes;

    /// <summary>Most items in one <c>IN (...)</c> list (54000 past it).</summary>
    public int MaxInListItems { get; init; } = 100_000;

    /// <summary>How many times one query may run a correlated subquery (once per enclosing row it is evaluated
    /// for); past it the query fails with 54000.</summary>
    public long SubqueryMaxRuns { get; init; } = 1_000_000;

    /// <summary>Iterations of a recursive WITH query; past them the query fails with 54001.</summary>
    public int RecursionMaxIterations { get; init; } = 10_000;

    /// <summary>
    /// Memory one pull query may hold for its groups, sorted rows and distinct values (PostgreSQL's work_mem, but
    /// per query and without spilling): past it the query fails with 53200 and the server goes on.
    /// </summary>
    public long QueryMemoryBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Memory the build side of one join of a pull query may hold (its right input's rows and hash table; setting
    /// <c>join_build_max_bytes</c>): past it the query fails with 53200 and the server goes on. The build side is
    /// also charged to <see cref="QueryMemoryBytes"/>. 128 MiB by default.
    /// </summary>
    public long JoinBuildMaxBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>
    /// Memory the rows of one window node of a pull query may hold (<c>row_number() OVER (...)</c> keeps every row
    /// with its results; setting <c>window_max_bytes</c>): past it the query fails with 53200 and the server goes
    /// on. Also charged to <see cref="QueryMemoryBytes"/>. 128 MiB by default.
    /// </summary>
    public long WindowMaxBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>
    /// Memory every state store together may hold (setting <c>state_memory_bytes</c>): tables' latest row per key
    /// and persistent aggregates. Past it the write to state fails with 53200 naming this setting; the server goes
    /// on. 2 GiB by default.
    /// </summary>
    public long StateMemoryBytes { get; init; } = 2L * 1024 * 1024 * 1024;

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

    /// <summary>Server-wide tiering defaults for streams that do not set TIERED / LOCAL_RETENTION_*.</summary>
    public Tiering.TieringDefaults Tiering { get; init; } = new();

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

    /// <summary>
    /// Threads one pull query's GROUP BY (or aggregate) over a stream may use: each scans and aggregates its own share
    /// of the partitions, and the partial groups are merged at the end (same rows, same order as one thread).
    /// Default: the processor count, at most 4; 1 turns it off.
    /// </summary>
    public int QueryScanWorkers
    {
        get => _queryScanWorkers;
        init => _queryScanWorkers = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(QueryScanWorkers));
    }

    /// <summary>
    /// A persistent query commits (output rows, state changes and consumed offsets, in one storage transaction) at
    /// least this often while input keeps arriving, and at once whenever it has caught up with its source.
    /// </summary>
    public int PersistentCommitIntervalMs { get; init; } = 100;

    /// <summary>A persistent query also commits once this many input records are pending (a bounded commit).</summary>
    public int PersistentCommitMaxRecords { get; init; } = 100_000;

    /// <summary>
    /// An aggregate query (CREATE TABLE AS SELECT ... GROUP BY) commits at least this often while it is behind its
    /// source, and at once whenever it has caught up. Longer than <see cref="PersistentCommitIntervalMs"/> because
    /// a commit writes each changed group once: over a backlog, a longer window writes far fewer rows (100 k keys:
    /// 100 ms of input at 1 M events/s changes 63 k groups, a second's changes 100 k), while a query that keeps up
    /// still commits as soon as it has read everything.
    /// </summary>
    public int PersistentAggregateCommitIntervalMs { get; init; } = 1000;

    /// <summary>
    /// An aggregate query also commits once this many input records are pending. Its commit holds one row per
    /// changed group (bounded by <see cref="PersistentStateBytes"/>), not per record, so this bound is about the
    /// input a crash makes it read again.
    /// </summary>
    public int PersistentAggregateCommitMaxRecords { get; init; } = 5_000_000;

    /// <summary>
    /// Memory one persistent or push aggregate may hold for its groups; past it the query fails (ERROR in SHOW
    /// QUERIES, 53200), never the server.
    /// </summary>
    public long PersistentStateBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// A persistent aggregate writes a snapshot of its whole state (every group, every source row it keeps) into
    /// its state log once the log's records since the last snapshot pass both this many and twice its live
    /// entries; a restart replays only from the last snapshot, and the segments before it are deleted. So restart
    /// work and disk are bounded by the state's size, not by its history, at most doubling what the log writes.
    /// </summary>
    public int PersistentSnapshotMinRecords { get; init; } = 10_000;

    /// <summary>
    /// ksqlDB's processing log: each row a persistent query skips (an expression failed on it) is described here,
    /// with the query, the source partition and offset, and the error. Null: only counted and kept in SHOW QUERIES
    /// EXTENDED.
    /// </summary>
    public Action<string>? ProcessingLog { get; init; }

    /// <summary>Whether persistent queries in the catalog start when the engine opens (tools may say no).</summary>
    public bool StartPersistentQueries { get; init; } = true;

    /// <summary>
    /// A pull aggregation takes a second worker only for at least this many records per worker (below it, the
    /// thread hop and the merge cost more than the second core saves).
    /// </summary>
    public long QueryScanWorkerMinRecords { get; init; } = 100_000;

    /// <summary>
    /// Memory the scan cache may hold: the hot log's records as pull queries last read them, kept so that the next
    /// pull query over them reads memory instead of the log (see <see cref="Execution.ScanCache"/>). 0 turns it off.
    /// </summary>
    public long ScanCacheBytes
    {
        get => _scanCacheBytes;
        init => _scanCacheBytes = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(ScanCacheBytes));
    }

    private readonly long _scanCacheBytes = 512L * 1024 * 1024;

    private readonly int _queryScanWorkers = Math.Clamp(Environment.ProcessorCount, 1, 4);
    private readonly int _batchRows = 1024;
    private readonly int _batchBytes = 1 << 20;
}
