namespace Query.Conformance;

/// <summary>Runs every case of a folder, applying the intended differences.</summary>
public static class ConformanceRun
{
    public const string FolderVariable = "QUERY_QTT_DIR";

    /// <summary>A connection string: run the cases against that server over the wire instead of in process.
    /// </summary>
    public const string WireVariable = "QUERY_QTT_WIRE";

    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, name);

    /// <summary>Runs the folder in process, or over the wire when <paramref name="wireConnection"/> is set.</summary>
    public static async Task<ConformanceReport> RunAsync(string folder, string? wireConnection = null)
    {
        Func<Task<ICaseTarget>> open = wireConnection is null
            ? async () => await InProcessTarget.OpenAsync()
            : async () => await WireTarget.OpenAsync(wireConnection);
        var differences = IntendedDifferences.Load(DataFile("intended-differences.txt"));
        var outcomes = new List<CaseOutcome>();
        foreach (var c in QttLoader.Load(folder))
            outcomes.Add(differences.Apply(await CaseRunner.RunAsync(c, open)));
        return new ConformanceReport(outcomes);
    }
}
