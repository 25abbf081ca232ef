using Query.Conformance;

// dotnet run --project tests/Query.Conformance -- [folder] [--details]
// The folder holds QTT files (query-validation-tests/, rest-query-validation-tests/); without an argument it comes
// from QUERY_QTT_DIR. Prints the per-file table and the failure categories; exit code 1 below the floor.
var folder = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
    ?? Environment.GetEnvironmentVariable(ConformanceRun.FolderVariable);
if (folder is null || !Directory.Exists(folder))
{
    Console.Error.WriteLine($"usage: Query.Conformance FOLDER [--details] (or set {ConformanceRun.FolderVariable})");
    return 2;
}
var report = await ConformanceRun.RunAsync(folder);
Console.WriteLine(report.ToMarkdown());
if (args.Contains("--details"))
    Console.WriteLine(report.Details());
var below = Floor.Check(report, Floor.Load(ConformanceRun.DataFile("floor.txt")));
foreach (var line in below)
    Console.Error.WriteLine($"below the floor: {line}");
return below.Count == 0 ? 0 : 1;
