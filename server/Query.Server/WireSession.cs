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

    public IPgCopySink OpenCopyIn(string relation, IReadOnlyList<string>? columns)
    {
        try
        {
            return new WireCopySink(_session.BeginBulkInsert(relation, columns));
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
