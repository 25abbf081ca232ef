using Query.Engine;
using Query.PgWire;

namespace Query.Server;

/// <summary>One engine session per authenticated wire connection.</summary>
internal sealed class EngineSessionFactory : IPgSessionFactory
{
    private readonly QueryEngine _engine;

    public EngineSessionFactory(QueryEngine engine) => _engine = engine;

    public ValueTask<IPgSession> OpenSessionAsync(PgSessionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IPgSession>(new WireSession(_engine,
            _engine.CreateSession(context.User, context.Database)));
}
