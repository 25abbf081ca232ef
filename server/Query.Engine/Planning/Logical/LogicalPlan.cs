using Query.Engine.Binding;
using Query.Engine.Execution;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>
/// A node of a logical query plan: what a query computes, not how. Nodes are immutable sealed records whose
/// collections are <see cref="EquatableArray{T}"/>, so two plans of the same query compare equal (golden tests
/// rely on it). Every node implements <see cref="Accept{TResult}"/> by calling its own method of
/// <see cref="LogicalPlanVisitor{TResult}"/>, whose methods are abstract: a new node does not compile until every
/// pass (physical planning, EXPLAIN, ...) handles it.
/// </summary>
public abstract record LogicalPlan
{
    /// <summary>The columns of the rows this node produces.</summary>
    public abstract EquatableArray<ColumnInfo> Columns { get; }

    public abstract TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor);
}

/// <summary>One row without columns: the input of a SELECT without FROM.</summary>
public sealed record LogicalValues : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => EquatableArray<ColumnInfo>.Empty;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitValues(this);
}

/// <summary>
/// The records of a stream. A bounded scan reads up to the end offsets seen when the query starts (a snapshot); an
/// unbounded one replays from its start offsets and then tails the log for ever. <see cref="Pushdown"/> is the
/// predicate the scan narrows its offset and time ranges by (the filter above it still applies in full).
/// </summary>
public sealed record LogicalScan(StreamRuntime Source, bool Unbounded, BoundExpr? Pushdown) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => new([.. Source.Definition.Columns]);

    /// <summary>A streaming join tails several logs: this scan's partitions are numbered from here in its query's
    /// checkpoint (the n-th log a join tails, left to right, from n * 2^20).</summary>
    public int CheckpointPartitionBase { get; init; }

    /// <summary>How far apart the partition numbers of two logs a streaming join tails are.</summary>
    public const int CheckpointPartitionStep = 1 << 20;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitScan(this);
}

/// <summary>
/// Keeps the rows for which <see cref="Predicate"/> is TRUE (WHERE below an aggregate, HAVING above).
/// </summary>
public sealed record LogicalFilter(LogicalPlan Input, BoundExpr Predicate) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => Input.Columns;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitFilter(this);
}

/// <summary>
/// Computes one output column per expression over the input row. <see cref="Columns"/> may end with hidden
/// columns that only a sort above uses; <see cref="BoundQuery.Columns"/> lists the visible ones.
/// </summary>
public sealed record LogicalProject(LogicalPlan Input, EquatableArray<BoundExpr> Expressions,
    EquatableArray<ColumnInfo> Output) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => Output;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitProject(this);
}

/// <summary>
/// Groups the input by <see cref="Keys"/> (none: one group over all rows) and folds each group's rows into the
/// aggregates. The output row is the keys, then one column per aggregate.
/// </summary>
public sealed record LogicalAggregate(LogicalPlan Input, EquatableArray<BoundExpr> Keys,
    EquatableArray<ColumnInfo> Output, EquatableArray<BoundAggregate> Aggregates) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => Output;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitAggregate(this);
}

/// <summary>Orders the input rows by columns of the input row.</summary>
public sealed record LogicalSort(LogicalPlan Input, EquatableArray<SortKey> Keys) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => Input.Columns;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitSort(this);
}

/// <summary>Skips <see cref="Offset"/> rows, then passes at most <see cref="Count"/> (all when null).</summary>
public sealed record LogicalLimit(LogicalPlan Input, long? Count, long Offset) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => Input.Columns;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitLimit(this);
}
