using System.Runtime.ExceptionServices;
using Query.Engine.Errors;
using Query.Engine.Planning;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// How a pull query's bounded scan is cut for several worker threads (<see cref="EngineOptions.QueryScanWorkers"/>):
/// the plan is made once (one snapshot of every partition's end) and its partitions are cut into contiguous shares
/// of about equal record counts, so that the shares read in order give the records of the whole plan in order.
/// Used by the parallel aggregate and the parallel scan.
/// </summary>
internal static class ScanShares
{
    /// <summary>
    /// Contiguous runs of partitions, about equal in records, at most <paramref name="workers"/>; none when one
    /// thread should do it all.
    /// </summary>
    public static List<ScanPlan> Split(ScanPlan plan, int workers, long minRecords)
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

    /// <summary>
    /// After workers ended with an error: rethrows the first real failure (not a worker canceled because another
    /// failed); returns when every error was a cancel.
    /// </summary>
    public static void ThrowFirstFailure(Task[] workers)
    {
        foreach (var task in workers)
        {
            if (task?.Exception?.InnerException is { } error && !IsCancel(error))
                ExceptionDispatchInfo.Throw(error);
        }
    }

    public static bool IsCancel(Exception error) =>
        error is OperationCanceledException || error is SqlException { SqlState: SqlState.QueryCanceled };

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
}
