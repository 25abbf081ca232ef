namespace Query.Engine.Functions;

/// <summary>Session and server information functions clients call on connect.</summary>
public static class SystemFunctions
{
    public const string VersionText = "PostgreSQL 15.0 (Query streaming SQL engine, ksqlDB dialect)";

    public static string Version() => VersionText;

    public static string CurrentSchema() => "public";

    public static string CurrentDatabase() => "query";

    public static string Uuid() => Guid.NewGuid().ToString();

    public static object AsValue(object value) => value;
}
