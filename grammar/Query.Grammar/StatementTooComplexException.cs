namespace Query.Grammar;

/// <summary>
/// The statement is valid SQL but nested deeper than the parser accepts (PostgreSQL's 54001
/// statement_too_complex): more syntax-tree levels than the limit given to <see cref="SqlParser.Parse(string, int)"/>,
/// or more than the thread's stack can hold. Distinct from <see cref="SqlSyntaxException"/> because retrying the
/// same text can never succeed, and clients should not be told it is malformed.
/// </summary>
public sealed class StatementTooComplexException : Exception
{
    public StatementTooComplexException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>0-based UTF-16 offset where the limit was reached (0 when unknown).</summary>
    public int Offset { get; }
}
