using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Planning;

/// <summary>
/// What a continuous aggregate over a table's changelog may compute. An update or delete of a table row takes the
/// row's previous values back out of its group, so every aggregate must be able to retract a value exactly: COUNT,
/// SUM, AVG, STDDEV_SAMP, COLLECT_LIST, HISTOGRAM and CORRELATION can; MIN, MAX, COUNT_DISTINCT, COLLECT_SET,
/// TOPK, TOPKDISTINCT, LATEST_BY_OFFSET and EARLIEST_BY_OFFSET cannot without keeping every value of the group.
/// That is ksqlDB's split too ("applies to: stream, table" in its function reference); it refuses the rest with
/// the same message shape, and so do we (42809: the function does not apply to that kind of source).
/// </summary>
public static class TableSourceAggregates
{
    /// <summary>Throws 42809 when <paramref name="aggregate"/> reads a table and an aggregate cannot retract.</summary>
    public static void CheckRetractable(LogicalAggregate aggregate)
    {
        if (ScanOf(aggregate.Input) is not { Source.Definition.IsTable: true })
            return;
        var refused = new List<string>();
        foreach (var call in aggregate.Aggregates)
        {
            if (call.Kind == AggregateKind.ChangeTime || AggregateFunctions.Create(call).CanRetract)
                continue;
            var name = NameOf(call.Kind);
            if (!refused.Contains(name))
                refused.Add(name);
        }
        if (refused.Count == 0)
            return;
        var list = refused.Count == 1 ? refused[0]
            : string.Join(", ", refused.GetRange(0, refused.Count - 1)) + " and " + refused[^1];
        throw new SqlException(SqlState.WrongObjectType,
            $"The aggregation function{(refused.Count == 1 ? "" : "s")} {list} cannot be applied to a table source, "
            + "only to a stream source.",
            detail: "An update or delete of a table row takes its old value back out of its group; these "
            + "aggregates cannot take a value back.");
    }

    /// <summary>The scan an aggregate's input reads (through WHERE filters), or null.</summary>
    public static LogicalScan? ScanOf(LogicalPlan plan) => plan switch
    {
        LogicalScan scan => scan,
        LogicalFilter filter => ScanOf(filter.Input),
        _ => null,
    };

    private static string NameOf(AggregateKind kind) => kind switch
    {
        AggregateKind.CountDistinct => "COUNT_DISTINCT",
        AggregateKind.LatestByOffset => "LATEST_BY_OFFSET",
        AggregateKind.EarliestByOffset => "EARLIEST_BY_OFFSET",
        AggregateKind.CollectSet => "COLLECT_SET",
        AggregateKind.TopKDistinct => "TOPKDISTINCT",
        _ => kind.ToString().ToUpperInvariant(),
    };
}
