using Query.Engine;
using Query.PgWire;

namespace Query.Server;

/// <summary>
/// <see cref="IPgSession"/> over an <see cref="EngineSession"/>: the one place where engine results become wire
/// results and engine exceptions become ErrorResponses (<see cref="WireErrors"/>).
/// </summary>
internal sealed class WireSession : IPgSession
{
    private readonly QueryEngine _engine;
    private readonly EngineSession _session;
    private readonly PreparedCache _prepared;

    public WireSession(QueryEngine engine, EngineSession session)
    {
        _engine = engine;
        _session = session;
        _prepared = new PreparedCache(engine);
    }

    public IReadOnlyList<PgStatementText> SplitStatements(string sql) => PgSqlSplitter.Split(sql);

    public IPgStatement Prepare(string sql, ReadOnlySpan<int> parameterTypeOids)
    {
        try
        {
            var prepared = _prepared.GetOrPrepare(sql, _session);
            return new WireStatement(_session, prepared, parameterTypeOids);
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
    }

    public IReadOnlyList<PgRelation> ListRelations()
    {
        var streams = _engine.ListStreams();
        var relations = new List<PgRelation>(streams.Count);
        foreach (var stream in streams)
        {
            var columns = new List<PgColumn>(stream.Columns.Count);
            foreach (var column in stream.Columns)
            {
                var pgColumn = PgTypeMapping.ToPgColumn(column);
                columns.Add(pgColumn with { Name = PostgresSpelling(pgColumn.Name) });
            }
            relations.Add(new PgRelation(PostgresSpelling(stream.Name), "stream", columns));
        }
        return relations;
    }

    public IPgCopySink OpenCopyIn(string relation, IReadOnlyList<string>? columns)
    {
        try
        {
            return new WireCopySink(_session.BeginBulkInsert(ResolveStreamName(relation), columns));
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// The engine folds unquoted names to upper case (ksqlDB); PostgreSQL clients fold them to lower case. So a
    /// name the engine holds in upper case is shown to psql's catalog queries in lower case, and a name psql sends
    /// (COPY orders) finds ORDERS. Names created quoted in mixed case are shown as they are.
    /// </summary>
    internal static string PostgresSpelling(string name) =>
        name.Any(char.IsLower) ? name : name.ToLowerInvariant();

    private string ResolveStreamName(string name)
    {
        string? folded = null;
        foreach (var stream in _engine.ListStreams())
        {
            if (stream.Name == name)
                return name;
            if (string.Equals(stream.Name, name.ToUpperInvariant(), StringComparison.Ordinal))
                folded = stream.Name;
        }
        return folded ?? name;
    }
}
