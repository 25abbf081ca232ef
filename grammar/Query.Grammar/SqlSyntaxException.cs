namespace Query.Grammar;

/// <summary>
/// The one error the grammar raises: the statement text is not valid SQL for this dialect. Carries what the
/// wire needs for SQLSTATE 42601 with a position (<c>Offset + 1</c> is PostgreSQL's 1-based position).
/// </summary>
public sealed class SqlSyntaxException : Exception
{
    public SqlSyntaxException(
        string message, int line, int column, int offset, string offendingText, IReadOnlyList<string> expected)
        : base(message)
    {
        Line = line;
        Column = column;
        Offset = offset;
        OffendingText = offendingText;
        Expected = expected;
    }

    /// <summary>1-based line of the offending text.</summary>
    public int Line { get; }

    /// <summary>1-based column (in UTF-16 characters) of the offending text.</summary>
    public int Column { get; }

    /// <summary>0-based UTF-16 offset of the offending text in the statement string.</summary>
    public int Offset { get; }

    /// <summary>The token where parsing failed; empty at the end of the input.</summary>
    public string OffendingText { get; }

    /// <summary>What the parser would have accepted there (keywords and token names), sorted; may be empty.</summary>
    public IReadOnlyList<string> Expected { get; }

    /// <summary>Creates the exception for a problem at <paramref name="offset"/> that is not a parser error.</summary>
    public static SqlSyntaxException At(string sql, int offset, int length, string message)
    {
        var (line, column) = Ast.TextSpan.GetLineColumn(sql, offset);
        var text = sql.Substring(offset, Math.Min(length, sql.Length - offset));
        return new SqlSyntaxException(message, line, column, offset, text, []);
    }
}
