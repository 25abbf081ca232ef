using Query.Engine;

namespace Query.Server;

/// <summary>
/// A session's prepared statements by their exact SQL text, so a client that sends the same unprepared statement
/// again and again (Npgsql's Parse/Bind/Describe/Execute/Sync for every command) parses and describes it once.
/// Correct after DDL: every entry belongs to one <see cref="QueryEngine.CatalogVersion"/>, and any catalog change
/// empties the cache before the next lookup. (Execution re-binds the statement anyway; the cache only saves the
/// parse and the description, which is what a stale entry would get wrong.) Failed prepares are not cached.
/// </summary>
internal sealed class PreparedCache
{
    /// <summary>Bounds memory for a client that sends ever-different texts (literals inlined).</summary>
    private const int MaxEntries = 256;

    /// <summary>Longer texts (bulk INSERT ... VALUES) are rarely repeated and would pin memory.</summary>
    private const int MaxSqlLength = 4096;

    private readonly QueryEngine _engine;
    private readonly Dictionary<string, PreparedStatement> _entries = new(StringComparer.Ordinal);
    private long _version;

    public PreparedCache(QueryEngine engine)
    {
        _engine = engine;
        _version = engine.CatalogVersion;
    }

    public int Count => _entries.Count;

    public PreparedStatement GetOrPrepare(string sql, EngineSession session)
    {
        // Read the version before preparing: a DDL that lands during the prepare leaves this entry under the old
        // version, so the next lookup discards it rather than trusting a description that may predate the DDL.
        long version = _engine.CatalogVersion;
        if (version != _version)
        {
            _entries.Clear();
            _version = version;
        }
        if (sql.Length > MaxSqlLength)
            return session.Prepare(sql);   // never cached, so not worth hashing
        if (_entries.TryGetValue(sql, out var cached))
            return cached;
        var prepared = session.Prepare(sql);
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        _entries[sql] = prepared;
        return prepared;
    }
}
