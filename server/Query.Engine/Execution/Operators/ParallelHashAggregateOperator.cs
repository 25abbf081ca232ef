using System.Runtime.ExceptionServices;
using Query.Engine.Errors;
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
        var shares = Shares(full, context.ScanWorkers, context.ScanWorkerMinRecords);
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

    /// <summary>
    /// Contiguous runs of partitions, about equal in records, at most <paramref name="workers"/>; none when one
    /// thread should do it all.
    /// </summary>
    private static List<ScanPlan> Shares(ScanPlan plan, int workers, long minRecords)
    {
        var shares = new List<ScanPlan>();
        long total = 0;
        foreach (var partition in plan.Partitions)
        {
            // A ROWTIME upper bound ends reads early, so the offsets say nothing of the work: stay on one thread.
            if (partition.MaxTimestampMs != long.MaxValue)
                return shares;
            total += Records(partition);
        }
        var count = (int)Math.Min(Math.Min(workers, plan.Partitions.Count), total / Math.Max(1, minRecords));
        if (count <= 1)
            return shares;
        var start = 0;
        long taken = 0;
        for (var i = 0; i < plan.Partitions.Count; i++)
        {
            taken += Records(plan.Partitions[i]);
            var left = plan.Partitions.Count - i - 1;
            var sharesLeft = count - shares.Count - 1;
            // Close a share at its fair part of the records, or when each later share still needs a partition.
            if (i == plan.Partitions.Count - 1 || (sharesLeft > 0
                && (taken * count >= total * (shares.Count + 1) || left == sharesLeft)))
            {
                shares.Add(plan with { Partitions = Slice(plan.Partitions, start, i + 1) });
                start = i + 1;
            }
        }
        return shares;
    }

    private static long Records(PartitionScan partition)
    {
        long records = 0;
        foreach (var (start, end) in partition.Ranges)
            records += end - start;
        return records;
    }

    private static List<PartitionScan> Slice(IReadOnlyList<PartitionScan> partitions, int from, int to)
    {
        var slice = new List<PartitionScan>(to - from);
        for (var i = from; i < to; i++)
            slice.Add(partitions[i]);
        return slice;
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
            // The first real failure, not a worker canceled because another failed.
            foreach (var task in tasks)
            {
                if (task.Exception?.InnerException is { } error && !IsCancel(error))
                    ExceptionDispatchInfo.Throw(error);
            }
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

    private static bool IsCancel(Exception error) =>
        error is OperationCanceledException || error is SqlException { SqlState: SqlState.QueryCanceled };

    public override void Dispose()
    {
        foreach (var worker in _workers)
            worker.Dispose();
        base.Dispose();
    }
}
