using Query.Engine;
using Query.PgWire;

namespace Query.Server;

/// <summary>One engine session per authenticated wire connection.</summary>
internal sealed class EngineSessionFactory : IPgSessionFactory
{
    private readonly QueryEngine _engine;

    public EngineSessionFactory(QueryEngine engine) => _engine = engine;

    public ValueTask<IPgSession> OpenSessionAsync(PgSessionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IPgSession>(new WireSession(_engine, OpenEngineSession(context)));

    private EngineSession OpenEngineSession(PgSessionContext context)
    {
        var session = _engine.CreateSession(context.User, context.Database);
        session.ClientSettings = context.Settings;
        session.ProcessId = context.ProcessId;
        return session;
    }
}
