namespace Query.PgWire;

/// <summary>
/// An error for the client as an ErrorResponse. ERROR keeps the connection; FATAL (protocol violations, auth,
/// shutdown) closes it. Sessions throw this with the SQLSTATE their layer knows.
/// </summary>
public class PgException : Exception
{
    public PgException(string sqlState, string message, string? detail = null, string? hint = null, int position = 0,
        bool fatal = false) : base(message)
    {
        SqlState = sqlState;
        Detail = detail;
        Hint = hint;
        Position = position;
        IsFatal = fatal;
    }

    public string SqlState { get; }
    public string? Detail { get; }
    public string? Hint { get; }

    /// <summary>1-based character position in the statement text, 0 when unknown.</summary>
    public int Position { get; }

    public bool IsFatal { get; }

    /// <summary>Context of the error (PostgreSQL's CONTEXT line), e.g. <c>COPY t, line 3</c>.</summary>
    public string? Where { get; init; }

    public static PgException FeatureNotSupported(string what) =>
        new(PgSqlState.FeatureNotSupported, $"{what} is not supported");

    public static PgException Syntax(string message, int position = 0) =>
        new(PgSqlState.SyntaxError, message, position: position);
}
