namespace Query.Engine.Execution.Operators;

/// <summary>What one run of a compiled query needs that its compiled form does not hold.</summary>
/// <param name="Statistics">Where the scans count what they read.</param>
/// <param name="ReplayFromEarliest">'auto.offset.reset': where an unbounded scan without bounds starts.</param>
/// <param name="Limits">Batch sizes.</param>
/// <param name="Budget">The query's memory budget, charged by operators that keep rows (aggregate, sort).</param>
/// <param name="Hooks">A persistent query's resume offsets, commit and bad-row handling; null otherwise.</param>
public sealed record OperatorContext(ScanStatistics Statistics, bool ReplayFromEarliest, BatchLimits Limits,
    Limits.QueryMemoryBudget Budget, ContinuousQueryHooks? Hooks = null)
{
    /// <summary>The execution's parameter values, for a plan compiled once with parameters in it (a prepared key
    /// lookup: see <see cref="Planning.LookupTemplate"/>).</summary>
    public IReadOnlyList<object?> Parameters { get; init; } = [];

    /// <summary>Most bytes the build side of one join may hold (<see cref="EngineOptions.JoinBuildMaxBytes"/>).
    /// </summary>
    public long JoinBuildMaxBytes { get; init; } = long.MaxValue;

    /// <summary>Most bytes the rows of one window node may hold (<see cref="EngineOptions.WindowMaxBytes"/>; a
    /// subquery's run keeps the default).</summary>
    public long WindowMaxBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>Most iterations of a recursive WITH query (<see cref="EngineOptions.RecursionMaxIterations"/>).
    /// </summary>
    public int MaxRecursion { get; init; } = Binding.SubquerySettings.Default.MaxRecursion;

    /// <summary>Threads a pull aggregation may scan with, each over its own share of the partitions; 1: one.</summary>
    public int ScanWorkers { get; init; } = 1;

    /// <summary>Records each worker of a parallel aggregation should have at least.</summary>
    public long ScanWorkerMinRecords { get; init; } = 100_000;

    /// <summary>
    /// The scan one worker of a parallel aggregation reads (its share of a plan made once for all workers, so every
    /// worker reads the same snapshot); null: the scan plans itself.
    /// </summary>
    public Planning.ScanPlan? ScanSlice { get; init; }

    /// <summary>Where bounded scans of the hot log keep the records they read
    /// (<see cref="EngineOptions.ScanCacheBytes"/>); null: none.</summary>
    public ScanCache? ScanCache { get; init; }
}
