using Query.Testing;
using Xunit.Abstractions;

namespace Query.Conformance.Tests;

/// <summary>
/// CI's conformance gate: ksqlDB's shared cases (<c>../shared/conformance/ksql-qtt/</c> beside the checkout, or
/// the folder in QUERY_QTT_DIR) must pass at least as often as floor.txt says, file by file.
/// </summary>
public sealed class SharedSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Passes_stay_at_or_above_the_floor()
    {
        var folder = Environment.GetEnvironmentVariable(ConformanceRun.FolderVariable)
            ?? Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "conformance", "ksql-qtt"));
        if (!Directory.Exists(folder))
        {
            output.WriteLine($"no QTT folder at {folder}: nothing to measure");
            return;
        }
        var report = await ConformanceRun.RunAsync(folder);
        output.WriteLine(report.ToMarkdown());
        output.WriteLine(report.Details());
        var floors = Floor.Load(ConformanceRun.DataFile("floor.txt"));
        Assert.NotEmpty(floors);
        Assert.Empty(Floor.Check(report, floors));
    }
}
