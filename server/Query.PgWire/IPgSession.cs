using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>Opens one <see cref="IPgSession"/> per authenticated client connection.</summary>
public interface IPgSessionFactory
{
    ValueTask<IPgSession> OpenSessionAsync(PgSessionContext context, CancellationToken cancellationToken);
}

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

    /// <summary>Streams and tables to list for psql's <c>\d</c>/<c>\dt</c> and pgjdbc metadata.</summary>
    IReadOnlyList<PgRelation> ListRelations();

    /// <summary>
    /// Starts a bulk append for <c>COPY relation [(columns)] FROM STDIN</c>. Rows are appended to the sink and
    /// become visible only on <see cref="IPgCopySink.CommitAsync"/>; disposing without commit discards them.
    /// </summary>
    IPgCopySink OpenCopyIn(string relation, IReadOnlyList<string>? columns);
}

/// <summary>One prepared statement: its parameter and result shapes, and how to run it.</summary>
public interface IPgStatement
{
    /// <summary>Type OID per parameter <c>$1..$n</c>, with undeclared ones inferred (text 25 as a last
    /// resort).</summary>
    IReadOnlyList<int> ParameterTypeOids { get; }

    /// <summary>Result columns, or null when the statement returns no rows (DDL, INSERT).</summary>
    IReadOnlyList<PgColumn>? Columns { get; }

    /// <summary>
    /// Starts the statement. Parameters are decoded lazily from <paramref name="parameters"/>, which is only valid
    /// during this call. <paramref name="cancellationToken"/> fires on cancel, disconnect and shutdown and stays
    /// live for the whole life of the returned result (a push query keeps running until then).
    /// </summary>
    ValueTask<IPgResult> ExecuteAsync(PgValues parameters, CancellationToken cancellationToken);
}

/// <summary>
/// A running statement's output. The connection alternates <see cref="WriteRows"/> (synchronous, writes what is
/// ready) and <see cref="WaitAsync"/> (waits for more); a push query's <see cref="WaitAsync"/> never returns false.
/// </summary>
public interface IPgResult : IAsyncDisposable
{
    /// <summary>
    /// Writes up to <paramref name="maxRows"/> rows that are ready now through
    /// <see cref="PgRowWriter.BeginRow"/> … <see cref="PgRowWriter.EndRow"/>, stopping early once
    /// <see cref="PgRowWriter.ShouldFlush"/> is true. Returns the number written; 0 when none is ready.
    /// </summary>
    int WriteRows(PgRowWriter writer, int maxRows);

    /// <summary>True when more rows are ready; false when the result has ended (then read <see
    /// cref="CommandTag"/>).</summary>
    ValueTask<bool> WaitAsync(CancellationToken cancellationToken);

    /// <summary>The CommandComplete tag once ended: <c>SELECT 3</c>, <c>INSERT 0 1</c>, <c>CREATE STREAM</c>.</summary>
    string CommandTag { get; }
}

/// <summary>A bulk append opened by COPY FROM STDIN (all or nothing).</summary>
public interface IPgCopySink : IAsyncDisposable
{
    /// <summary>The target columns in COPY order; their types decide how fields are parsed.</summary>
    IReadOnlyList<PgColumn> Columns { get; }

    /// <summary>Buffers one row; <paramref name="row"/> is only valid during the call. Throw PgException to
    /// reject.</summary>
    void Append(PgValues row);

    /// <summary>Makes every appended row visible at once and returns the row count.</summary>
    ValueTask<long> CommitAsync(CancellationToken cancellationToken);
}

/// <summary>One statement of a simple-protocol string and its character offset in that string (0-based).</summary>
public readonly record struct PgStatementText(string Sql, int Offset);

/// <summary>A result or relation column: name, PostgreSQL type OID and type modifier (-1 = none).</summary>
public sealed record PgColumn(string Name, int TypeOid, int TypeModifier = -1);

/// <summary>A stream or table as psql should list it; <paramref name="Kind"/> is shown as the "Type" (e.g.
/// stream).</summary>
public sealed record PgRelation(string Name, string Kind, IReadOnlyList<PgColumn> Columns);
