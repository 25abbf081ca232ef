namespace Query.Engine.WindowFunctions;

/// <summary>What a window function computes for each row of its partition (PostgreSQL's window functions, plus
/// any aggregate used with OVER).</summary>
public enum WindowFunctionKind
{
    RowNumber,
    Rank,
    DenseRank,
    PercentRank,
    CumeDist,
    Ntile,
    Lag,
    Lead,
    FirstValue,
    LastValue,
    NthValue,

    /// <summary>An aggregate over the row's frame (<c>sum(x) OVER (...)</c>).</summary>
    Aggregate,
}

/// <summary>The window functions by name, with how many arguments each takes.</summary>
public static class WindowFunctionCatalog
{
    private static readonly Dictionary<string, (WindowFunctionKind Kind, int MinArguments, int MaxArguments)> ByName =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["row_number"] = (WindowFunctionKind.RowNumber, 0, 0),
            ["rank"] = (WindowFunctionKind.Rank, 0, 0),
            ["dense_rank"] = (WindowFunctionKind.DenseRank, 0, 0),
            ["percent_rank"] = (WindowFunctionKind.PercentRank, 0, 0),
            ["cume_dist"] = (WindowFunctionKind.CumeDist, 0, 0),
            ["ntile"] = (WindowFunctionKind.Ntile, 1, 1),
            ["lag"] = (WindowFunctionKind.Lag, 1, 3),
            ["lead"] = (WindowFunctionKind.Lead, 1, 3),
            ["first_value"] = (WindowFunctionKind.FirstValue, 1, 1),
            ["last_value"] = (WindowFunctionKind.LastValue, 1, 1),
            ["nth_value"] = (WindowFunctionKind.NthValue, 2, 2),
        };

    public static bool TryGet(string name, out WindowFunctionKind kind, out int minArguments, out int maxArguments)
    {
        var found = ByName.TryGetValue(name, out var entry);
        (kind, minArguments, maxArguments) = entry;
        return found;
    }

    /// <summary>Whether the function reads the frame (the others see the whole partition or only the peers).
    /// </summary>
    public static bool UsesFrame(WindowFunctionKind kind) =>
        kind is WindowFunctionKind.FirstValue or WindowFunctionKind.LastValue or WindowFunctionKind.NthValue
            or WindowFunctionKind.Aggregate;
}
