namespace Query.PgWire;

/// <summary>A malformed or illegal frontend message: always FATAL 08P01, the connection closes.</summary>
public sealed class PgProtocolException : PgException
{
    public PgProtocolException(string message) : base(PgSqlState.ProtocolViolation, message, fatal: true)
    {
    }
}
