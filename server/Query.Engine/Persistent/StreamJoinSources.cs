using Query.Engine.Execution;
using Query.Engine.Execution.Operators;

namespace Query.Engine.Persistent;

/// <summary>
/// A persistent stream-stream or table-table join tails two logs: its checkpoint holds the right one's partitions
/// under numbers offset by <see cref="PhysicalPlanner.RightStreamPartitionBase"/>, beside the left's.
/// </summary>
internal static class StreamJoinSources
{
    /// <summary>The right stream (or table) of a stream-stream (or table-table) join: the second log the query
    /// tails; null for any other query.</summary>
    public static StreamRuntime? RightStream(PersistentQueryPlan plan)
    {
        var sources = plan.Bound.Sources;
        return sources.Count == 2 && sources[0].Definition.IsTable == sources[1].Definition.IsTable
            ? sources[1] : null;
    }

    /// <summary>Where the right stream's partitions start, under their checkpoint numbers (none without one).
    /// </summary>
    public static List<PushStart> RightStarts(PersistentQueryPlan plan, bool earliest)
    {
        var starts = new List<PushStart>();
        if (RightStream(plan) is not { } right)
            return starts;
        foreach (var start in TailScanOperator.PlanStarts(right, null, earliest))
            starts.Add(start with { Partition = start.Partition + PhysicalPlanner.RightStreamPartitionBase });
        return starts;
    }

    /// <summary>The end (last stable offset) of the scanned partition numbered <paramref name="partition"/> in the
    /// checkpoint, or null when the query does not read it.</summary>
    public static long? End(StreamRuntime left, StreamRuntime? right, int partition)
    {
        var (stream, number) = partition >= PhysicalPlanner.RightStreamPartitionBase
            ? (right, partition - PhysicalPlanner.RightStreamPartitionBase) : (left, partition);
        return stream is not null && number < stream.Sources.Count ? stream.Sources[number].LastStableOffset : null;
    }
}
