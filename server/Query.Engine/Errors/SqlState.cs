namespace Query.Engine.Errors;

/// <summary>The PostgreSQL SQLSTATE codes the engine raises (five characters each).</summary>
public static class SqlState
{
    public const string SyntaxError = "42601";
    public const string UndefinedTable = "42P01";
    public const string UndefinedColumn = "42703";
    public const string UndefinedObject = "42704";
    public const string DuplicateTable = "42P07";
    public const string WrongObjectType = "42809";
    public const string DuplicateColumn = "42701";
    public const string DatatypeMismatch = "42804";
    public const string UndefinedFunction = "42883";
    public const string AmbiguousColumn = "42702";
    public const string GroupingError = "42803";
    public const string WindowingError = "42P20";
    public const string InvalidParameterValue = "22023";
    public const string InvalidTextRepresentation = "22P02";
    public const string InvalidDatetimeFormat = "22007";
    public const string NumericValueOutOfRange = "22003";
    public const string DivisionByZero = "22012";
    public const string NotNullViolation = "23502";
    public const string StringDataRightTruncation = "22001";
    public const string InvalidParameterCount = "08P01";
    public const string FeatureNotSupported = "0A000";
    public const string DiskFull = "53100";
    public const string IoError = "58030";
    public const string QueryCanceled = "57014";
    public const string ObjectInUse = "55006";
    public const string DataCorrupted = "XX001";
    public const string InternalError = "XX000";
    public const string ProgramLimitExceeded = "54000";
    public const string StatementTooComplex = "54001";
    public const string OutOfMemory = "53200";
    public const string InvalidEscapeSequence = "22025";
    public const string InvalidName = "42602";
    public const string DependentObjectsStillExist = "2BP01";
}
