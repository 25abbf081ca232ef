using Query.Engine.Errors;
using Query.Engine.Execution.Operators;
using Query.Storage;

namespace Query.Engine.Persistent;

/// <summary>
/// The engine's persistent queries: loaded from <c>queries.json</c> and started when the engine opens, stopped
/// when it is disposed (each resumes from its last commit on the next open). Creating a query writes its
/// internal logs and a first checkpoint (where it starts: the source's start for 'earliest', its end for
/// 'latest') before it is added to the catalog, so a crash at any point leaves either no query or one that
/// starts exactly there.
/// </summary>
internal sealed class PersistentQueryRegistry : IAsyncDisposable
{
    private readonly QueryEngine _engine;
    private readonly PersistentQueryCatalog _catalog;
    private readonly Dictionary<string, PersistentQuery> _queries = new(StringComparer.OrdinalIgnoreCase);

    private PersistentQueryRegistry(QueryEngine engine, PersistentQueryCatalog catalog)
    {
        _engine = engine;
        _catalog = catalog;
    }

    public static PersistentQueryRegistry Open(QueryEngine engine)
    {
        var registry = new PersistentQueryRegistry(engine, PersistentQueryCatalog.Open(engine.Options.DataDirectory));
        foreach (var definition in registry._catalog.Queries)
        {
            var query = new PersistentQuery(engine, definition);
            registry._queries[definition.Id] = query;
            if (engine.Options.StartPersistentQueries)
                query.Start();
        }
        return registry;
    }

    public string NextId(PersistentQueryKind kind, string sink) => _catalog.NextId(kind, sink);

    /// <summary>Every query, in id order.</summary>
    public List<PersistentQuery> List()
    {
        lock (_queries)
        {
            var list = new List<PersistentQuery>(_queries.Values);
            list.Sort((a, b) => string.CompareOrdinal(a.Definition.Id, b.Definition.Id));
            return list;
        }
    }

    public PersistentQuery Get(string id, int? position)
    {
        lock (_queries)
        {
            if (_queries.TryGetValue(id, out var query))
                return query;
        }
        throw new SqlException(SqlState.UndefinedObject, $"query \"{id}\" does not exist", position: position,
            hint: "SHOW QUERIES lists the running queries.");
    }

    /// <summary>The ids of queries that read or write <paramref name="source"/>.</summary>
    public List<string> QueriesUsing(string source)
    {
        var ids = new List<string>();
        foreach (var query in List())
        {
            if (query.Definition.Source == source || query.Definition.Sink == source || Joins(query, source))
                ids.Add(query.Definition.Id);
        }
        return ids;
    }

    /// <summary>Whether the query also reads <paramref name="source"/> (the table of a stream-table join).</summary>
    private static bool Joins(PersistentQuery query, string source)
    {
        PersistentQueryPlan plan;
        try
        {
            plan = query.CurrentPlan();
        }
        catch (SqlException)
        {
            return false;   // a query that no longer plans (its source is gone) holds nothing else
        }
        foreach (var read in plan.Bound.Sources)
        {
            if (read.Definition.Name == source)
                return true;
        }
        return false;
    }

    /// <summary>
    /// Creates the query's internal logs and first checkpoint, adds it to the catalog and starts it.
    /// <paramref name="starts"/> are the source offsets it begins at.
    /// </summary>
    public PersistentQuery Create(PersistentQueryDefinition definition, IReadOnlyList<PushStart> starts, bool withState)
    {
        var checkpointLog = RecreateLog(definition.CheckpointLogName, new LogOptions
        {
            Partitions = 1,
            SegmentMaxBytes = 1 << 20,
            RetentionBytes = 4 << 20,   // only the last record matters; old segments go
        });
        if (withState)
        {
            RecreateLog(definition.StateLogName, new LogOptions
            {
                Partitions = 1,
                MaxRecordBytes = 16 << 20,
                SegmentMaxBytes = 32 << 20,   // small enough that a snapshot lets the history before it go
            });
        }
        var offsets = new Dictionary<int, long>(starts.Count);
        foreach (var start in starts)
            offsets[start.Partition] = start.StartOffset;
        using (var batch = new RecordBatchBuilder(256))
        {
            batch.Add(RecordBatchBuilder.UseAppendTime, new QueryCheckpoint(offsets, 0, 0, 0).Encode());
            checkpointLog.GetPartition(0).AppendAsync(batch).AsTask().GetAwaiter().GetResult();
        }
        _catalog.Add(definition);
        var query = new PersistentQuery(_engine, definition);
        lock (_queries)
            _queries[definition.Id] = query;
        query.Start();
        return query;
    }

    /// <summary>A fresh internal log: one left by an id never committed to the catalog is replaced.</summary>
    private PartitionedLog RecreateLog(string name, LogOptions options)
    {
        if (_engine.Logs.TryGetLog(name, out _))
            _engine.Logs.DeleteLog(name);
        return _engine.Logs.CreateLog(name, options);
    }

    /// <summary>Stops the query, removes it from the catalog and deletes its internal logs (the sink stays).</summary>
    public async ValueTask TerminateAsync(PersistentQuery query)
    {
        lock (_queries)
            _queries.Remove(query.Definition.Id);
        await query.DisposeAsync();
        _catalog.Remove(query.Definition.Id);
        foreach (var name in new[] { query.Definition.CheckpointLogName, query.Definition.StateLogName })
        {
            if (_engine.Logs.TryGetLog(name, out _))
                _engine.Logs.DeleteLog(name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var query in List())
            await query.DisposeAsync();
    }
}
