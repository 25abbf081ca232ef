namespace Query.Conformance;

/// <summary>Runs every case of a folder, applying the intended differences.</summary>
public static class ConformanceRun
{
    public const string FolderVariable = "QUERY_QTT_DIR";

    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, name);

    public static async Task<ConformanceReport> RunAsync(string folder)
    {
        var differences = IntendedDifferences.Load(DataFile("intended-differences.txt"));
        var outcomes = new List<CaseOutcome>();
        foreach (var c in QttLoader.Load(folder))
            outcomes.Add(differences.Apply(await CaseRunner.RunAsync(c)));
        return new ConformanceReport(outcomes);
    }
}
