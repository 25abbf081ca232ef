using System.Text.Json;
using Query.Engine.Errors;

namespace Query.Engine.Persistent;

/// <summary>
/// The persistent queries of a data directory, in <c>queries.json</c> beside the stream catalog, rewritten whole
/// through a temporary file, fsync, an atomic rename and a directory fsync (as <c>catalog.json</c>), so a crash
/// leaves the old or the new list. A query is added after its sink exists and removed by TERMINATE; the counter
/// of ids only grows, so an id is never reused.
/// </summary>
internal sealed class PersistentQueryCatalog
{
    private const string FileName = "queries.json";
    private readonly string _path;
    private readonly object _lock = new();
    private List<PersistentQueryDefinition> _queries;
    private long _nextNumber;

    private PersistentQueryCatalog(string path, List<PersistentQueryDefinition> queries, long nextNumber)
    {
        _path = path;
        _queries = queries;
        _nextNumber = nextNumber;
    }

    public static PersistentQueryCatalog Open(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return new PersistentQueryCatalog(path, [], 1);
        try
        {
            var file = JsonSerializer.Deserialize<QueryFile>(File.ReadAllBytes(path))
                ?? throw new JsonException("empty file");
            var catalog = new PersistentQueryCatalog(path, file.Queries, Math.Max(1, file.NextNumber));
            if (file.Version < Catalog.CatalogMigration.CurrentVersion)
            {
                // Sink and source names follow the stream catalog's migration; ids (and the logs named after
                // them) keep their spelling, and TERMINATE finds an id in any case.
                catalog._queries = file.Queries.ConvertAll(q => q with
                {
                    Sink = Catalog.CatalogMigration.FoldedName(q.Sink),
                    Source = Catalog.CatalogMigration.FoldedName(q.Source),
                });
                catalog.Persist(catalog._queries);
            }
            return catalog;
        }
        catch (JsonException e)
        {
            throw new SqlException(SqlState.DataCorrupted, $"query catalog {path} is unreadable: {e.Message}");
        }
    }

    public IReadOnlyList<PersistentQueryDefinition> Queries
    {
        get
        {
            lock (_lock)
                return [.. _queries];
        }
    }

    /// <summary>The next id for a query of <paramref name="kind"/> writing <paramref name="sink"/>.</summary>
    public string NextId(PersistentQueryKind kind, string sink)
    {
        lock (_lock)
        {
            var number = _nextNumber++;
            return kind switch
            {
                PersistentQueryKind.Csas => $"CSAS_{sink.ToUpperInvariant()}_{number}",
                PersistentQueryKind.Ctas => $"CTAS_{sink.ToUpperInvariant()}_{number}",
                _ => $"INSERTQUERY_{number}",
            };
        }
    }

    public void Add(PersistentQueryDefinition query)
    {
        lock (_lock)
        {
            List<PersistentQueryDefinition> next = [.. _queries, query];
            Persist(next);
            _queries = next;
        }
    }

    public void Remove(string id)
    {
        lock (_lock)
        {
            var next = _queries.FindAll(q => q.Id != id);
            Persist(next);
            _queries = next;
        }
    }

    private void Persist(List<PersistentQueryDefinition> queries)
    {
        var temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var file = new QueryFile
            {
                Version = Catalog.CatalogMigration.CurrentVersion,
                NextNumber = _nextNumber,
                Queries = queries,
            };
            JsonSerializer.Serialize(stream, file,
                new JsonSerializerOptions { WriteIndented = true });
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
        Query.Storage.DirectorySync.Sync(Path.GetDirectoryName(_path)!);
    }

    private sealed class QueryFile
    {
        public int Version { get; set; } = 1;

        public long NextNumber { get; set; } = 1;

        public List<PersistentQueryDefinition> Queries { get; set; } = [];
    }
}
