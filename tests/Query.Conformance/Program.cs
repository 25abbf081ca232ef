using Query.Conformance;

// dotnet run --project tests/Query.Conformance -- [folder] [--details | --details-all] [--wire CONNECTION_STRING]
// The folder holds QTT files (query-validation-tests/, rest-query-validation-tests/); without an argument it comes
// from QUERY_QTT_DIR. --wire (or QUERY_QTT_WIRE) runs the cases against a running server over the PostgreSQL wire
// instead of the engine in process; the server must be a scratch one (each case drops every stream first).
// Prints the per-file table and the failure categories; exit code 1 below the floor (in-process only).
var wireAt = Array.IndexOf(args, "--wire");
var wire = wireAt >= 0 && wireAt + 1 < args.Length ? args[wireAt + 1]
    : Environment.GetEnvironmentVariable(ConformanceRun.WireVariable);
var folder = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (wireAt < 0 || i != wireAt + 1))
    .FirstOrDefault() ?? Environment.GetEnvironmentVariable(ConformanceRun.FolderVariable);
if (folder is null || !Directory.Exists(folder))
{
    Console.Error.WriteLine("usage: Query.Conformance FOLDER [--details] [--wire CONNECTION_STRING] "
        + $"(or set {ConformanceRun.FolderVariable}, {ConformanceRun.WireVariable})");
    return 2;
}
var report = await ConformanceRun.RunAsync(folder, wire);
Console.WriteLine(report.ToMarkdown());
if (args.Contains("--details") || args.Contains("--details-all"))
    Console.WriteLine(report.Details(withNotApplicable: args.Contains("--details-all")));
if (wire is not null)
    return 0;
var below = Floor.Check(report, Floor.Load(ConformanceRun.DataFile("floor.txt")));
foreach (var line in below)
    Console.Error.WriteLine($"below the floor: {line}");
return below.Count == 0 ? 0 : 1;
