namespace Query.Conformance;

public enum Verdict
{
    /// <summary>The engine itself produced what the case expects.</summary>
    Pass,

    /// <summary>Listed in intended-differences.txt with a reason.</summary>
    IntendedDifference,

    /// <summary>Needs a schema registry (AVRO, PROTOBUF, JSON_SR) or a UDF of ksqlDB's test classpath, or is
    /// disabled in the file.</summary>
    NotApplicable,

    Fail,
}

/// <summary>What happened to one case, with a failure category and a detail for the report.</summary>
public sealed record CaseOutcome(QttCase Case, Verdict Verdict, string Category, string Detail)
{
    public static CaseOutcome Passed(QttCase c) => new(c, Verdict.Pass, "", "");

    public static CaseOutcome Failed(QttCase c, string category, string detail) =>
        new(c, Verdict.Fail, category, detail);
}

/// <summary>The failure categories of the README table.</summary>
public static class Categories
{
    public const string PersistentQueries = "needs persistent queries";
    public const string Tables = "needs tables";
    public const string Windows = "needs windows";
    public const string Joins = "needs joins";
    public const string FunctionMissing = "function missing";
    public const string Format = "format";
    public const string WrongValue = "wrong value";
    public const string ErrorNotRaised = "error expected, accepted";
    public const string Unsupported = "other unsupported feature";
    public const string UnexpectedError = "unexpected error";
    public const string SchemaRegistry = "schema registry format";
    public const string Disabled = "disabled in file";
    public const string TestOnlyUdf = "ksqlDB test-only UDF";
}
