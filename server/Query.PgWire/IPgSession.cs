namespace Query.PgWire;

/// <summary>
/// The engine side of one client connection. The wire layer handles the protocol itself: transactions
/// (BEGIN/COMMIT/ROLLBACK), SET/SHOW/RESET/DISCARD, DECLARE/FETCH/CLOSE cursors, the COPY sub-protocol and
/// the catalog questions of psql/Npgsql/pgjdbc. Everything else reaches the session as one statement's SQL.
/// Errors are thrown as <see cref="PgException"/> (any other exception becomes XX000 internal_error).
/// </summary>
public interface IPgSession : IAsyncDisposable
{
    /// <summary>
    /// Splits a simple-protocol query string into statements (the engine's own lexer knows its quoting rules;
    /// <c>PgSqlSplitter.Split</c> is a PostgreSQL-compatible default). Empty statements are dropped.
    /// </summary>
    IReadOnlyList<PgStatementText> SplitStatements(string sql);

    /// <summary>
    /// Parses and binds one statement. <paramref name="parameterTypeOids"/> holds what the client declared per
    /// <c>$n</c> (0 = infer); the returned statement reports the final (inferred) types.
    /// </summary>
    IPgStatement Prepare(string sql, ReadOnlySpan<int> parameterTypeOids);

    /// <summary>
    /// Starts a bulk append for <c>COPY relation [(columns)] FROM STDIN</c>. Rows are appended to the sink and
    /// become visible only on <see cref="IPgCopySink.CommitAsync"/>; disposing without commit discards them.
    /// </summary>
    IPgCopySink OpenCopyIn(string relation, IReadOnlyList<string>? columns);
}
