using Query.PgWire;

namespace Query.Server;

/// <summary>
/// Server settings, bound from appsettings.json, then QUERY_* environment variables, then command-line flags
/// (later sources win). See README.md for every key.
/// </summary>
public sealed class ServerSettings
{
    /// <summary>Where the logs and the catalog live; created when missing.</summary>
    public string DataDirectory { get; set; } = "data";

    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (the chosen port is printed).</summary>
    public int Port { get; set; } = 5433;

    public int MaxMessageBytes { get; set; } = 64 * 1024 * 1024;

    public int MaxConnections { get; set; } = 1000;

    /// <summary>Largest message before authentication completes (startup packet, password, SASL).</summary>
    public int MaxUnauthenticatedMessageBytes { get; set; } = 10_000;

    /// <summary>Sockets allowed to be authenticating at once; more are refused with 53300.</summary>
    public int MaxUnauthenticatedConnections { get; set; } = 256;

    /// <summary>Connections served by a thread of their own (blocking receive); the rest share the thread pool.
    /// </summary>
    public int ConnectionThreads { get; set; } = 64;

    /// <summary>Chunks of a large text or CSV COPY parsed at once on threads of their own; 1: the connection's
    /// thread parses everything (default 2: see PgServerOptions.CopyParallelism).</summary>
    public int CopyParallelism { get; set; } = 2;

    /// <summary>Bytes of COPY input per parallel chunk (cut at a line end).</summary>
    public int CopyChunkBytes { get; set; } = 1 << 20;

    /// <summary>Seconds from connect to a ready session (PostgreSQL's authentication_timeout).</summary>
    public double AuthenticationTimeoutSeconds { get; set; } = 60;

    /// <summary>Slots of <see cref="MaxConnections"/> kept for <see cref="AdminUsers"/>.</summary>
    public int ReservedConnections { get; set; } = 3;

    /// <summary>Comma-separated users who may take the reserved slots.</summary>
    public string AdminUsers { get; set; } = "query";

    /// <summary>Lets <c>trust</c> authentication listen on an address other than loopback.</summary>
    public bool AllowTrustOnNetwork { get; set; }

    /// <summary>trust (default), scram-sha-256 or cleartext.</summary>
    public string Auth { get; set; } = "trust";

    /// <summary>User name to password, for scram-sha-256 and cleartext.</summary>
    public Dictionary<string, string> Users { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Deepest syntax tree of a statement (54001 past it).</summary>
    public int MaxStatementDepth { get; set; } = Grammar.SqlParser.DefaultMaxDepth;

    /// <summary>Largest string, bytes or array value a function may build (54000 past it).</summary>
    public long MaxValueBytes { get; set; } = Engine.Limits.ValueSizeLimits.DefaultMaxValueBytes;

    /// <summary>Most items in one IN list (54000 past it).</summary>
    public int MaxInListItems { get; set; } = 100_000;

    /// <summary>Memory one pull query may hold for groups, sorted rows and distinct values (53200 past it).</summary>
    public long QueryMemoryBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Memory the build side of one join of a pull query may hold (53200 past it).</summary>
    public long JoinBuildMaxBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Memory the rows of one window node (window functions) of a pull query may hold (53200 past it).
    /// </summary>
    public long WindowMaxBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Threads one pull GROUP BY over a stream may scan its partitions with (1: one thread).</summary>
    public int QueryScanWorkers { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Memory the scan cache may hold (the hot log's records as pull queries read them; 0: off).</summary>
    public long ScanCacheBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Durable appends of every partition share the store's journal (one write and one fdatasync for all of
    /// them) instead of each partition fsyncing its own segment.</summary>
    public bool StorageJournal { get; set; } = true;

    /// <summary>The journal file's largest size before it is recycled (every segment it covers synced).</summary>
    public long StorageJournalMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Memory all tables' state (latest row per key) may hold together (53200 past it).</summary>
    public long StateMemoryBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>State log records since the last snapshot before a persistent aggregate writes a new one.</summary>
    public int PersistentSnapshotMinRecords { get; set; } = 10_000;

    /// <summary>The cold tier's root folder (Parquet files); empty means <c>&lt;DataDirectory&gt;/cold</c>.</summary>
    public string ColdRoot { get; set; } = "";

    /// <summary>Whether streams that do not say TIERED in WITH (...) are tiered.</summary>
    public bool TieredByDefault { get; set; }

    /// <summary>Default LOCAL_RETENTION_MS: sealed segments older than this are archived (-1: not by age).</summary>
    public long LocalRetentionMs { get; set; } = 24L * 60 * 60 * 1000;

    /// <summary>Default LOCAL_RETENTION_BYTES per partition's hot log (-1: not by size).</summary>
    public long LocalRetentionBytes { get; set; } = -1;

    /// <summary>Seconds between passes of the archival job.</summary>
    public double ArchivalIntervalSeconds { get; set; } = 60;

    /// <summary>Finished archival runs SHOW ARCHIVALS keeps.</summary>
    public int ArchivalHistoryRuns { get; set; } = 256;

    /// <summary>Cold files kept open between queries (their parsed footers with them); 0 keeps none.</summary>
    public int ColdOpenFiles { get; set; } = Tiering.Parquet.ColdFileCache.DefaultCapacity;

    /// <summary>Partitions of a stream the archival job and ARCHIVE STREAM archive at once.</summary>
    public int ArchivalParallelism { get; set; } = 2;

    /// <summary>Compaction merges adjacent small cold files into files of at most this many bytes.</summary>
    public long CompactionTargetFileBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>The archival job merges a run of small cold files once it has at least this many.</summary>
    public int CompactionMinFiles { get; set; } = 4;

    public Engine.EngineOptions ToEngineOptions() => new()
    {
        DataDirectory = DataDirectory,
        StoreOptions = new Storage.LogStoreOptions
        {
            Journal = StorageJournal,
            JournalMaxBytes = AtLeast(StorageJournalMaxBytes, 4L << 20, nameof(StorageJournalMaxBytes)),
        },
        MaxStatementDepth = MaxStatementDepth,
        MaxValueBytes = MaxValueBytes,
        MaxInListItems = MaxInListItems,
        QueryMemoryBytes = QueryMemoryBytes,
        JoinBuildMaxBytes = JoinBuildMaxBytes,
        WindowMaxBytes = WindowMaxBytes,
        QueryScanWorkers = (int)AtLeast(QueryScanWorkers, 1, nameof(QueryScanWorkers)),
        ScanCacheBytes = AtLeast(ScanCacheBytes, 0, nameof(ScanCacheBytes)),
        StateMemoryBytes = StateMemoryBytes,
        PersistentSnapshotMinRecords =
            (int)AtLeast(PersistentSnapshotMinRecords, 1, nameof(PersistentSnapshotMinRecords)),
        ColdStore = new Tiering.ColdStore(ColdRoot.Length > 0 ? ColdRoot : Path.Combine(DataDirectory, "cold"),
            (int)AtMost(AtLeast(ColdOpenFiles, 0, nameof(ColdOpenFiles)), 1 << 16, nameof(ColdOpenFiles))),
        Tiering = new Engine.Tiering.TieringDefaults
        {
            Enabled = TieredByDefault,
            LocalRetentionMs = AtLeast(LocalRetentionMs, -1, nameof(LocalRetentionMs)),
            LocalRetentionBytes = AtLeast(LocalRetentionBytes, -1, nameof(LocalRetentionBytes)),
            HistoryRuns = (int)AtLeast(ArchivalHistoryRuns, 1, nameof(ArchivalHistoryRuns)),
            ArchivalParallelism = (int)AtMost(AtLeast(ArchivalParallelism, 1, nameof(ArchivalParallelism)),
                Tiering.Archival.PartitionParallelism.Max, nameof(ArchivalParallelism)),
            Compaction = new Tiering.Compaction.CompactionOptions
            {
                TargetFileBytes = AtLeast(CompactionTargetFileBytes, 1024, nameof(CompactionTargetFileBytes)),
                MinFilesToMerge = (int)AtLeast(CompactionMinFiles, 2, nameof(CompactionMinFiles)),
            },
        },
    };

    /// <summary>How often the archival job runs.</summary>
    public TimeSpan ArchivalInterval => TimeSpan.FromSeconds(Positive(ArchivalIntervalSeconds,
        nameof(ArchivalIntervalSeconds)));

    private static long AtLeast(long value, long min, string name) =>
        value >= min ? value : throw new InvalidOperationException($"{name} must be at least {min}, not {value}");

    private static long AtMost(long value, long max, string name) =>
        value <= max ? value : throw new InvalidOperationException($"{name} must be at most {max}, not {value}");

    /// <summary>Flags accepted on the command line, mapped to the keys above.</summary>
    public static IDictionary<string, string> CommandLineFlags { get; } = new Dictionary<string, string>
    {
        ["--data-dir"] = nameof(DataDirectory),
        ["--host"] = nameof(Host),
        ["--port"] = nameof(Port),
        ["--max-message-bytes"] = nameof(MaxMessageBytes),
        ["--max-connections"] = nameof(MaxConnections),
        ["--auth"] = nameof(Auth),
        ["--max-statement-depth"] = nameof(MaxStatementDepth),
        ["--max-value-bytes"] = nameof(MaxValueBytes),
        ["--max-in-list-items"] = nameof(MaxInListItems),
        ["--query-memory-bytes"] = nameof(QueryMemoryBytes),
        ["--join-build-max-bytes"] = nameof(JoinBuildMaxBytes),
        ["--window-max-bytes"] = nameof(WindowMaxBytes),
        ["--query-scan-workers"] = nameof(QueryScanWorkers),
        ["--scan-cache-bytes"] = nameof(ScanCacheBytes),
        ["--storage-journal"] = nameof(StorageJournal),
        ["--storage-journal-max-bytes"] = nameof(StorageJournalMaxBytes),
        ["--state-memory-bytes"] = nameof(StateMemoryBytes),
        ["--persistent-snapshot-min-records"] = nameof(PersistentSnapshotMinRecords),
        ["--max-unauthenticated-message-bytes"] = nameof(MaxUnauthenticatedMessageBytes),
        ["--max-unauthenticated-connections"] = nameof(MaxUnauthenticatedConnections),
        ["--authentication-timeout-seconds"] = nameof(AuthenticationTimeoutSeconds),
        ["--connection-threads"] = nameof(ConnectionThreads),
        ["--copy-parallelism"] = nameof(CopyParallelism),
        ["--copy-chunk-bytes"] = nameof(CopyChunkBytes),
        ["--reserved-connections"] = nameof(ReservedConnections),
        ["--admin-users"] = nameof(AdminUsers),
        ["--allow-trust-on-network"] = nameof(AllowTrustOnNetwork),
        ["--cold-root"] = nameof(ColdRoot),
        ["--tiered-by-default"] = nameof(TieredByDefault),
        ["--local-retention-ms"] = nameof(LocalRetentionMs),
        ["--local-retention-bytes"] = nameof(LocalRetentionBytes),
        ["--archival-interval-seconds"] = nameof(ArchivalIntervalSeconds),
        ["--archival-history-runs"] = nameof(ArchivalHistoryRuns),
        ["--archival-parallelism"] = nameof(ArchivalParallelism),
        ["--cold-open-files"] = nameof(ColdOpenFiles),
        ["--compaction-target-file-bytes"] = nameof(CompactionTargetFileBytes),
        ["--compaction-min-files"] = nameof(CompactionMinFiles),
    };

    /// <summary>Flags that take no value: given alone they mean <c>true</c>.</summary>
    private static readonly string[] Switches = ["--allow-trust-on-network", "--tiered-by-default"];

    /// <summary>
    /// Rewrites a bare switch as <c>--switch=true</c>: the command-line configuration source would otherwise take
    /// the next argument as its value.
    /// </summary>
    public static string[] ExpandSwitches(string[] args)
    {
        var expanded = new string[args.Length];
        for (var i = 0; i < args.Length; i++)
            expanded[i] = Array.IndexOf(Switches, args[i]) >= 0 ? args[i] + "=true" : args[i];
        return expanded;
    }

    /// <summary>
    /// <c>trust</c> lets anyone who reaches the port in as any user; on a non-loopback address that is refused
    /// unless <see cref="AllowTrustOnNetwork"/> says it is meant. Returns true when it is allowed but exposed (the
    /// caller logs a warning).
    /// </summary>
    public bool CheckTrustExposure(PgServerOptions options)
    {
        if (options.AuthMode != PgAuthMode.Trust || System.Net.IPAddress.IsLoopback(options.ListenAddress))
            return false;
        if (!AllowTrustOnNetwork)
            throw new InvalidOperationException(
                $"refusing to start: trust authentication on {Host} would let anyone on the network in as any " +
                "user; use --auth scram-sha-256 with QUERY_USERS__name=password, or pass --allow-trust-on-network");
        return true;
    }

    public PgServerOptions ToPgServerOptions()
    {
        if (!System.Net.IPAddress.TryParse(Host, out var address))
            throw new InvalidOperationException($"Host '{Host}' is not an IP address");
        return new PgServerOptions
        {
            ListenAddress = address,
            Port = Port,
            MaxMessageBytes = MaxMessageBytes,
            MaxConnections = MaxConnections,
            MaxUnauthenticatedMessageBytes =
                Positive(MaxUnauthenticatedMessageBytes, nameof(MaxUnauthenticatedMessageBytes)),
            MaxUnauthenticatedConnections =
                Positive(MaxUnauthenticatedConnections, nameof(MaxUnauthenticatedConnections)),
            CopyParallelism = Positive(CopyParallelism, nameof(CopyParallelism)),
            CopyChunkBytes = Positive(CopyChunkBytes, nameof(CopyChunkBytes)),
            ConnectionThreads = ConnectionThreads >= 0 ? ConnectionThreads
                : throw new InvalidOperationException($"ConnectionThreads ({ConnectionThreads}) must be at least 0"),
            AuthenticationTimeout = TimeSpan.FromSeconds(Positive(AuthenticationTimeoutSeconds,
                nameof(AuthenticationTimeoutSeconds))),
            ReservedConnections = ReservedConnections >= 0 && ReservedConnections < MaxConnections
                ? ReservedConnections
                : throw new InvalidOperationException($"ReservedConnections ({ReservedConnections}) must be at " +
                    $"least 0 and below MaxConnections ({MaxConnections})"),
            AdminUsers = new HashSet<string>(AdminUsers.Split(',', StringSplitOptions.RemoveEmptyEntries |
                StringSplitOptions.TrimEntries), StringComparer.Ordinal),
            AuthMode = ParseAuth(Auth),
            Users = Users,
        };
    }

    private static T Positive<T>(T value, string name) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new InvalidOperationException($"{name} must be positive, not {value}");

    private static PgAuthMode ParseAuth(string auth) => auth.ToLowerInvariant() switch
    {
        "trust" => PgAuthMode.Trust,
        "scram-sha-256" or "scram" => PgAuthMode.ScramSha256,
        "cleartext" or "password" => PgAuthMode.Cleartext,
        _ => throw new InvalidOperationException($"Auth '{auth}' is not one of trust, scram-sha-256, cleartext"),
    };
}
