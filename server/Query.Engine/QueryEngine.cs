using Query.Engine.Catalog;
using Query.Engine.Tiering;
using Query.Tiering.Reading;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Execution.Operators;
using Query.Storage;
using Query.Storage.Reading;

namespace Query.Engine;

/// <summary>
/// The streaming SQL engine over one data directory: a durable catalog of streams (<c>catalog.json</c>) and their
/// partitioned logs (<c>logs/</c>). Thread-safe; create one <see cref="EngineSession"/> per client connection.
/// Error policy: everything a statement can get wrong surfaces as <see cref="SqlException"/> with a SQLSTATE;
/// syntax errors pass through as the grammar's <c>SqlSyntaxException</c>.
/// </summary>
public sealed partial class QueryEngine : IAsyncDisposable
{
    private readonly Dictionary<string, StreamRuntime> _streams = new(StringComparer.Ordinal);
    private TieredPartitionSourceFactory? _tieredSources;
    private readonly object _ddlLock = new();
    private long _catalogVersion;

    // Compiled SELECTs without parameters, keyed by their syntax (equality ignores positions). A thousand
    // identical push queries share one set of delegates; an entry is used only while its stream is current.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Grammar.Ast.SelectQuery,
        CompiledQuery> _compiled = new();

    private QueryEngine(EngineOptions options, CatalogStore catalog, LogStore logs)
    {
        Options = options;
        Catalog = catalog;
        Logs = logs;
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
        BatchLimits = new BatchLimits(options.BatchRows, options.BatchBytes);
        ScanCache = new ScanCache(options.ScanCacheBytes, options.BatchRows);
        StateBudget = new State.StateMemoryBudget(options.StateMemoryBytes);
        Archival = new ArchivalJobs(this);
    }

    public EngineOptions Options { get; }

    internal CatalogStore Catalog { get; }

    internal LogStore Logs { get; }

    internal TimeProvider TimeProvider { get; }

    /// <summary>How many records (and bytes of them) operators move per batch.</summary>
    internal BatchLimits BatchLimits { get; }

    /// <summary>The hot log's records as pull queries last read them (<see cref="EngineOptions.ScanCacheBytes"/>).
    /// </summary>
    public ScanCache ScanCache { get; }

    internal object DdlLock => _ddlLock;

    /// <summary>
    /// Bumped by every change to the set or shape of streams (create, alter, drop), so a caller caching prepared
    /// statements by their text can tell that a description may have gone stale.
    /// </summary>
    public long CatalogVersion => Interlocked.Read(ref _catalogVersion);

    /// <summary>Opens (or creates) the data directory and reattaches every stream in the catalog to its log.</summary>
    public static QueryEngine Open(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var catalog = CatalogStore.Open(options.DataDirectory);
        var logs = LogStore.Open(Path.Combine(options.DataDirectory, "logs"), options.StoreOptions,
            options.TimeProvider);
        Limits.ValueSizeLimits.MaxValueBytes = options.MaxValueBytes;
        Limits.ValueSizeLimits.MaxInListItems = options.MaxInListItems;
        var engine = new QueryEngine(options, catalog, logs);
        foreach (var definition in catalog.Streams)
        {
            if (!logs.TryGetLog(definition.LogName, out var log))
                log = logs.CreateLog(definition.LogName, new LogOptions
                {
                    Partitions = definition.Partitions,
                    RetentionMs = definition.RetentionMs,
                });
            engine._streams[definition.Name] = engine.NewStream(definition, log);
            engine.ApplyTiering(definition, log);
        }
        engine.Queries = Persistent.PersistentQueryRegistry.Open(engine);
        return engine;
    }

    public EngineSession CreateSession() => new(this);

    /// <summary>A session for an authenticated user of a database (what current_user and pg_roles show).</summary>
    public EngineSession CreateSession(string user, string database) =>
        new(this) { User = user, Database = database };

    /// <summary>A stream over <paramref name="log"/> whose reads go through the configured partition sources.
    /// </summary>
    internal StreamRuntime NewStream(StreamDefinition definition, PartitionedLog log)
    {
        var sources = SourceFactory.CreateSources(log);
        return new(definition, log, sources)
        {
            Table = definition.IsTable
                ? new State.TableState(definition.Name, sources, new State.MemoryStateStore(StateBudget),
                    definition.Window is { } window
                        ? new State.WindowedTableIndex(window, definition.WindowRetentionMs, sources.Count,
                            StateBudget)
                        : null)
                : null,
        };
    }

    /// <summary>The memory all state stores (tables, aggregates) share: <see cref="EngineOptions.StateMemoryBytes"/>.
    /// </summary>
    public State.StateMemoryBudget StateBudget { get; }

    // Explicit sources win; with a cold store every stream reads both tiers (a stream never archived reads
    // exactly as the hot log would).
    private IPartitionSourceFactory SourceFactory => Options.PartitionSources
        ?? (Options.ColdStore is { } cold
            ? _tieredSources ??= new TieredPartitionSourceFactory(cold, new EngineTieringCatalog(this))
            : HotPartitionSourceFactory.Instance);

    /// <summary>Every stream with its columns and settings (for clients' \d and information_schema).</summary>
    public IReadOnlyList<StreamDefinition> ListStreams() => Catalog.Streams;

    internal bool TryGetStream(string name, out StreamRuntime stream)
    {
        lock (_streams)
            return _streams.TryGetValue(name, out stream!);
    }

    internal StreamRuntime GetStream(string name, int? position)
    {
        if (TryGetStream(name, out var stream))
            return stream;
        string? hint = null;
        lock (_streams)
        {
            foreach (var candidate in _streams.Keys)
            {
                if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
                    hint = $"Names are case-sensitive when quoted. Did you mean \"{candidate}\"?";
            }
        }
        throw SqlException.UndefinedTable(name, hint, position);
    }

    internal void SetStream(StreamRuntime stream)
    {
        lock (_streams)
        {
            _streams[stream.Definition.Name] = stream;
            Interlocked.Increment(ref _catalogVersion);
        }
    }

    internal void RemoveStream(string name)
    {
        lock (_streams)
        {
            if (_streams.Remove(name, out var removed))
                ScanCache.Forget(removed.Sources);
            Interlocked.Increment(ref _catalogVersion);
        }
    }

    internal bool TryGetCompiled(Grammar.Ast.SelectQuery query, out CompiledQuery compiled)
    {
        if (!_compiled.TryGetValue(query, out compiled!))
            return false;
        foreach (var source in compiled.Query.Sources)
        {
            if (!TryGetStream(source.Definition.Name, out var current) || !ReferenceEquals(current, source))
                return false;
        }
        return true;
    }

    internal void AddCompiled(Grammar.Ast.SelectQuery query, CompiledQuery compiled)
    {
        if (_compiled.Count >= 1024)
            _compiled.Clear();
        _compiled[query] = compiled;
    }

    /// <summary>The persistent queries (CREATE STREAM / TABLE AS SELECT, INSERT INTO ... SELECT).</summary>
    internal Persistent.PersistentQueryRegistry Queries { get; private set; } = null!;

    /// <summary>Stops the persistent queries (each resumes from its last commit on the next open), then flushes and
    /// closes every log.</summary>
    public async ValueTask DisposeAsync()
    {
        await Queries.DisposeAsync();
        await Logs.DisposeAsync();
    }
}
