using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>
/// A bound SELECT: its logical plan, the columns a client sees (the root may carry hidden trailing columns that
/// only ORDER BY used), and whether it is a push query (EMIT CHANGES: unbounded, ends only at LIMIT or cancel).
/// </summary>
public sealed record BoundQuery(LogicalPlan Root, EquatableArray<ColumnInfo> Columns, bool IsPush)
{
    /// <summary>The stream the query reads, or null for a SELECT without FROM.</summary>
    public LogicalScan? Scan => new ScanFinder().Visit(Root);

    private sealed class ScanFinder : LogicalPlanVisitor<LogicalScan?>
    {
        public override LogicalScan? VisitValues(LogicalValues values) => null;

        public override LogicalScan? VisitScan(LogicalScan scan) => scan;

        public override LogicalScan? VisitFilter(LogicalFilter filter) => Visit(filter.Input);

        public override LogicalScan? VisitProject(LogicalProject project) => Visit(project.Input);

        public override LogicalScan? VisitAggregate(LogicalAggregate aggregate) => Visit(aggregate.Input);

        public override LogicalScan? VisitSort(LogicalSort sort) => Visit(sort.Input);

        public override LogicalScan? VisitLimit(LogicalLimit limit) => Visit(limit.Input);

        public override LogicalScan? VisitTableFunction(LogicalTableFunction tableFunction) =>
            Visit(tableFunction.Input);
    }
}
