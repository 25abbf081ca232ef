using Query.Engine.Planning;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// A pull query's GROUP BY over a stream, on several threads: the scan is planned once (one snapshot of every
/// partition's end), its partitions are cut into contiguous shares of about equal record counts, and each worker
/// scans, filters and aggregates its share into its own groups (<see cref="HashAggregateOperator"/>, so nothing is
/// shared per row). The partial groups are then merged in share order, which gives the same groups, results and
/// row order as one thread reading the partitions in order (except that a sum of doubles adds its partial sums, so
/// its last bits may differ, as with PostgreSQL's parallel aggregates). Compiled expressions are pure functions of
/// their row, and the memory budget is thread-safe, so workers share both.
/// <para>Errors: the first worker to fail cancels the others, and its error is the query's (a user's cancel
/// stays 57014).</para>
/// </summary>
public sealed class ParallelHashAggregateOperator : RowOperator
{
    private readonly HashAggregateOperator[] _workers;
    private readonly ScanStatistics[] _workerStatistics;
    private readonly ScanStatistics _statistics;
    private bool _merged;

    private ParallelHashAggregateOperator(HashAggregateOperator[] workers, ScanStatistics[] workerStatistics,
        ScanStatistics statistics)
    {
        _workers = workers;
        _workerStatistics = workerStatistics;
        _statistics = statistics;
    }

    /// <summary>
    /// The stream scan under <paramref name="input"/> when nothing but filters stands between it and the
    /// aggregate (then the partitions can be aggregated apart); otherwise null.
    /// </summary>
    public static LogicalScan? ScanOf(LogicalPlan input) => input switch
    {
        LogicalScan { Unbounded: false } scan => scan,
        LogicalFilter filter => ScanOf(filter.Input),
        _ => null,
    };

    /// <summary>
    /// The aggregate for one run: parallel when the context allows more than one worker and the plan has more than
    /// one partition to read, otherwise one <see cref="HashAggregateOperator"/> over the whole plan.
    /// </summary>
    public static RowOperator Start(OperatorContext context, Func<ScanPlan> plan,
        Func<OperatorContext, HashAggregateOperator> aggregate)
    {
        var full = plan();
        var shares = ScanShares.Split(full, context.ScanWorkers, context.ScanWorkerMinRecords);
        if (shares.Count <= 1)
            return aggregate(context with { ScanSlice = full });
        var workers = new HashAggregateOperator[shares.Count];
        var statistics = new ScanStatistics[shares.Count];
        try
        {
            for (var w = 0; w < workers.Length; w++)
            {
                statistics[w] = new ScanStatistics();
                workers[w] = aggregate(context with { ScanSlice = shares[w], Statistics = statistics[w] });
            }
        }
        catch
        {
            foreach (var worker in workers)
                worker?.Dispose();
            throw;
        }
        return new ParallelHashAggregateOperator(workers, statistics, context.Statistics);
    }

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (!_merged)
        {
            await ConsumeAllAsync(cancellationToken);
            for (var w = 1; w < _workers.Length; w++)
                _workers[0].MergeFrom(_workers[w], cancellationToken);
            _merged = true;
        }
        return await _workers[0].NextAsync(cancellationToken);
    }

    private async Task ConsumeAllAsync(CancellationToken cancellationToken)
    {
        using var group = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new Task[_workers.Length];
        for (var w = 1; w < _workers.Length; w++)
        {
            var worker = _workers[w];
            tasks[w] = Task.Run(() => ConsumeAsync(worker, group), CancellationToken.None);
        }
        tasks[0] = ConsumeAsync(_workers[0], group);
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            ScanShares.ThrowFirstFailure(tasks);
            throw;
        }
        finally
        {
            foreach (var statistics in _workerStatistics)
                _statistics.Add(statistics);
        }
    }

    private static async Task ConsumeAsync(HashAggregateOperator worker, CancellationTokenSource group)
    {
        try
        {
            await worker.ConsumeInputAsync(group.Token);
        }
        catch
        {
            await group.CancelAsync();
            throw;
        }
    }

    public override void Dispose()
    {
        foreach (var worker in _workers)
            worker.Dispose();
        base.Dispose();
    }
}
