using Query.Engine.Execution;
using Query.Engine.Execution.Operators;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Persistent;

/// <summary>
/// A persistent join may tail several logs (a stream-stream or table-table join two, a multi-way join one per
/// stream): its checkpoint holds each one's partitions under numbers offset by its
/// <see cref="LogicalScan.CheckpointPartitionBase"/> (the n-th log from the left: n * 2^20), the first's as they are.
/// </summary>
internal static class StreamJoinSources
{
    /// <summary>Every log the query tails, left to right, with where its partition numbers start.</summary>
    public static List<(StreamRuntime Source, int PartitionBase)> Tailed(PersistentQueryPlan plan)
    {
        var tailed = new List<(StreamRuntime, int)>();
        Walk(plan.Bound.Root, tailed);
        return tailed;
    }

    private static void Walk(LogicalPlan node, List<(StreamRuntime, int)> tailed)
    {
        switch (node)
        {
            case LogicalJoin join:
                Walk(join.Left, tailed);
                Walk(join.Right, tailed);
                break;
            case LogicalScan { Unbounded: true } scan:
                tailed.Add((scan.Source, scan.CheckpointPartitionBase));
                break;
            case LogicalProject project:
                Walk(project.Input, tailed);
                break;
            case LogicalFilter filter:
                Walk(filter.Input, tailed);
                break;
            case LogicalAggregate aggregate:
                Walk(aggregate.Input, tailed);
                break;
            case LogicalWindowedAggregate windowed:
                Walk(windowed.Input, tailed);
                break;
        }
    }

    /// <summary>Whether the query aggregates the rows of a join (GROUP BY over a join).</summary>
    public static bool AggregatesJoin(PersistentQueryPlan plan) => plan.IsAggregate && HasJoin(plan.Bound.Root);

    private static bool HasJoin(LogicalPlan node) => node switch
    {
        LogicalJoin => true,
        LogicalProject project => HasJoin(project.Input),
        LogicalFilter filter => HasJoin(filter.Input),
        LogicalAggregate aggregate => HasJoin(aggregate.Input),
        LogicalWindowedAggregate windowed => HasJoin(windowed.Input),
        _ => false,
    };

    /// <summary>Whether the query tails more than one log (a join that keeps state, or may).</summary>
    public static bool TailsSeveral(PersistentQueryPlan plan) => Tailed(plan).Count > 1;

    /// <summary>Where the logs after the first start, under their checkpoint numbers (none without them).</summary>
    public static List<PushStart> OtherStarts(PersistentQueryPlan plan, bool earliest)
    {
        var starts = new List<PushStart>();
        var tailed = Tailed(plan);
        for (var i = 1; i < tailed.Count; i++)
        {
            var (source, partitionBase) = tailed[i];
            foreach (var start in TailScanOperator.PlanStarts(source, null, earliest))
                starts.Add(start with { Partition = start.Partition + partitionBase });
        }
        return starts;
    }

    /// <summary>The end (last stable offset) of the scanned partition numbered <paramref name="partition"/> in the
    /// checkpoint, or null when the query does not read it.</summary>
    public static long? End(List<(StreamRuntime Source, int PartitionBase)> tailed, int partition)
    {
        var index = partition / LogicalScan.CheckpointPartitionStep;
        if (index >= tailed.Count)
            return null;
        var (stream, number) = (tailed[index].Source, partition - tailed[index].PartitionBase);
        return number >= 0 && number < stream.Sources.Count ? stream.Sources[number].LastStableOffset : null;
    }
}
