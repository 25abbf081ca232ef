namespace Query.Engine.Errors;

/// <summary>
/// The one exception type the engine raises for anything a user did or asked for: it carries the SQLSTATE
/// and the PostgreSQL ErrorResponse fields, so the wire adapter maps it one to one.
/// </summary>
public sealed class SqlException : Exception
{
    public SqlException(string sqlState, string message, string? detail = null, string? hint = null,
        int? position = null, Exception? innerException = null)
        : base(message, innerException)
    {
        SqlState = sqlState;
        Detail = detail;
        Hint = hint;
        Position = position;
    }

    /// <summary>Five-character SQLSTATE code, e.g. 42P01.</summary>
    public string SqlState { get; }

    public string? Detail { get; }

    public string? Hint { get; }

    /// <summary>1-based character position in the statement text, when known.</summary>
    public int? Position { get; }

    public SqlException WithPosition(int? position) =>
        Position is not null || position is null
            ? this
            : new SqlException(SqlState, Message, Detail, Hint, position, InnerException);

    public static SqlException FeatureNotSupported(string feature, int? position = null) =>
        new(Errors.SqlState.FeatureNotSupported, $"{feature} is not supported", position: position);

    public static SqlException UndefinedTable(string name, string? hint = null, int? position = null) =>
        new(Errors.SqlState.UndefinedTable, $"stream or table \"{name}\" does not exist", hint: hint,
            position: position);

    public static SqlException UndefinedColumn(string name, string? hint = null, int? position = null) =>
        new(Errors.SqlState.UndefinedColumn, $"column \"{name}\" does not exist", hint: hint, position: position);

    public static SqlException DatatypeMismatch(string message, int? position = null) =>
        new(Errors.SqlState.DatatypeMismatch, message, position: position);

    public static SqlException InvalidText(string typeName, string text, int? position = null) =>
        new(Errors.SqlState.InvalidTextRepresentation,
            $"invalid input syntax for type {typeName}: \"{text}\"", position: position);

    public static SqlException OutOfRange(string typeName, int? position = null) =>
        new(Errors.SqlState.NumericValueOutOfRange, $"value out of range for type {typeName}", position: position);

    public static SqlException DivisionByZero() => new(Errors.SqlState.DivisionByZero, "division by zero");

    public static SqlException Canceled() =>
        new(Errors.SqlState.QueryCanceled, "canceling statement due to user request");
}
