namespace Query.PgWire;

/// <summary>The SQLSTATE codes the wire layer itself raises (sessions may use any other).</summary>
public static class PgSqlState
{
    public const string SyntaxError = "42601";
    public const string UndefinedTable = "42P01";
    public const string UndefinedColumn = "42703";
    public const string UndefinedObject = "42704";
    public const string DatatypeMismatch = "42804";
    public const string InvalidTextRepresentation = "22P02";
    public const string InvalidBinaryRepresentation = "22P03";
    public const string NumericValueOutOfRange = "22003";
    public const string InvalidParameterValue = "22023";
    public const string BadCopyFileFormat = "22P04";
    public const string FeatureNotSupported = "0A000";
    public const string QueryCanceled = "57014";
    public const string AdminShutdown = "57P01";
    public const string InFailedSqlTransaction = "25P02";
    public const string NoActiveSqlTransaction = "25P01";
    public const string ActiveSqlTransaction = "25001";
    public const string InvalidSqlStatementName = "26000";
    public const string InvalidCursorName = "34000";
    public const string DuplicateCursor = "42P03";
    public const string DuplicatePreparedStatement = "42P05";
    public const string ProtocolViolation = "08P01";
    public const string InvalidPassword = "28P01";
    public const string InvalidAuthorization = "28000";
    public const string TooManyConnections = "53300";
    public const string ProgramLimitExceeded = "54000";
    public const string UndefinedParameter = "42704";
    public const string InternalError = "XX000";
}
