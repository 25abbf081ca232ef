namespace Query.PgWire;

/// <summary>Opens one <see cref="IPgSession"/> per authenticated client connection.</summary>
public interface IPgSessionFactory
{
    ValueTask<IPgSession> OpenSessionAsync(PgSessionContext context, CancellationToken cancellationToken);
}
