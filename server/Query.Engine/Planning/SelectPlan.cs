using System.Text;
using Query.Engine.Binding;
using Query.Engine.Execution;

namespace Query.Engine.Planning;

/// <summary>
/// One ORDER BY key: a column of the projected row (visible or hidden), its direction and NULL order.
/// </summary>
public sealed record SortKey(int Column, bool Descending, bool NullsFirst);

/// <summary>
/// A bound SELECT. Without aggregation, <see cref="Projection"/> is evaluated over source records. With it,
/// <see cref="Aggregation"/> holds the keys and aggregate inputs over source records, and
/// <see cref="Projection"/> / <see cref="Having"/> are over the aggregated row. Projection may carry hidden
/// trailing columns that only ORDER BY uses; <see cref="Columns"/> lists the visible ones.
/// </summary>
public sealed record SelectPlan(
    StreamRuntime? Source,
    BoundExpr? Where,
    AggregationContext? Aggregation,
    BoundExpr? Having,
    IReadOnlyList<BoundExpr> Projection,
    IReadOnlyList<ColumnInfo> Columns,
    IReadOnlyList<SortKey> OrderBy,
    long? Limit,
    long Offset,
    bool IsPush)
{
    public string Explain(ScanPlan? scan, IReadOnlyList<Execution.PushStart>? pushStarts)
    {
        var builder = new StringBuilder();
        builder.Append(IsPush ? "Push query (EMIT CHANGES)" : "Pull query").AppendLine();
        if (Limit is not null)
            builder.Append("  Limit ").Append(Limit).AppendLine();
        if (OrderBy.Count > 0)
            builder.Append("  Sort ").Append(OrderBy.Count).Append(" key(s)").AppendLine();
        builder.Append("  Project ").Append(string.Join(", ", Columns.Select(c => $"{c.Name} {c.Type}"))).AppendLine();
        if (Aggregation is not null)
        {
            builder.Append("  Aggregate keys=").Append(Aggregation.GroupKeys.Count).Append(" aggregates=")
                .Append(string.Join(", ", Aggregation.Aggregates.Select(a => a.Kind.ToString().ToUpperInvariant())))
                .Append(Having is null ? "" : " having").AppendLine();
        }
        if (Where is not null)
            builder.Append("  Filter (compiled predicate, applied per record)").AppendLine();
        if (scan is not null)
            scan.Describe(builder);
        if (pushStarts is not null)
        {
            foreach (var start in pushStarts)
                builder.Append("    partition ").Append(start.Partition).Append(": tail from offset ")
                    .Append(start.StartOffset).Append(start.EndOffsetExclusive == long.MaxValue ? ", live"
                        : $" to {start.EndOffsetExclusive}").AppendLine();
        }
        if (Source is null)
            builder.Append("  Values (one row)").AppendLine();
        return builder.ToString();
    }
}
