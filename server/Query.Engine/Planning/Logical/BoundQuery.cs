using Query.Engine.Binding;
using Query.Engine.Execution;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>
/// A bound SELECT: its logical plan, the columns a client sees (the root may carry hidden trailing columns that
/// only ORDER BY used), and whether it is a push query (EMIT CHANGES: unbounded, ends only at LIMIT or cancel).
/// </summary>
public sealed record BoundQuery(LogicalPlan Root, EquatableArray<ColumnInfo> Columns, bool IsPush)
{
    /// <summary>False when the plan holds per-run state (subqueries, recursive WITH): it is compiled for each
    /// statement rather than cached.</summary>
    public bool Reusable { get; init; } = true;

    /// <summary>The stream the query reads, or null for a SELECT without FROM.</summary>
    public LogicalScan? Scan => FindScan(Root);

    // A join's scan is its left input's: a streaming join reads its stream there (and looks its table up).
    private static LogicalScan? FindScan(LogicalPlan node) => new ScanFinder().Visit(node) switch
    {
        LogicalScan scan => scan,
        LogicalJoin join => FindScan(join.Left),
        _ => null,
    };

    /// <summary>The stream or table the query reads (through any kind of scan), or null without FROM.</summary>
    public StreamRuntime? Source => new ScanFinder().Visit(Root) switch
    {
        LogicalScan scan => scan.Source,
        LogicalTableScan table => table.Source,
        LogicalKeyLookup lookup => lookup.Source,
        _ => null,
    };

    /// <summary>Every stream or table the query reads (a join reads several).</summary>
    public IReadOnlyList<StreamRuntime> Sources
    {
        get
        {
            var sources = new List<StreamRuntime>();
            void Walk(LogicalPlan? node)
            {
                switch (new ScanFinder().Visit(node!))
                {
                    case LogicalJoin join:
                        Walk(join.Left);
                        Walk(join.Right);
                        break;
                    case LogicalScan scan:
                        sources.Add(scan.Source);
                        break;
                    case LogicalTableScan table:
                        sources.Add(table.Source);
                        break;
                    case LogicalKeyLookup lookup:
                        sources.Add(lookup.Source);
                        break;
                }
            }
            Walk(Root);
            return sources;
        }
    }

    /// <summary>Whether the query reads a handful of rows (no FROM, or key lookups): its expressions are then
    /// interpreted rather than compiled, which would cost more than the run.</summary>
    public bool ReadsFewRows => new ScanFinder().Visit(Root) is null or LogicalKeyLookup or LogicalSystemScan;

    private sealed class ScanFinder : LogicalPlanVisitor<LogicalPlan?>
    {
        public override LogicalPlan? VisitValues(LogicalValues values) => null;

        public override LogicalPlan? VisitScan(LogicalScan scan) => scan;

        public override LogicalPlan? VisitTableScan(LogicalTableScan scan) => scan;

        public override LogicalPlan? VisitSystemScan(LogicalSystemScan scan) => scan;

        public override LogicalPlan? VisitKeyLookup(LogicalKeyLookup lookup) => lookup;

        public override LogicalPlan? VisitFilter(LogicalFilter filter) => Visit(filter.Input);

        public override LogicalPlan? VisitProject(LogicalProject project) => Visit(project.Input);

        public override LogicalPlan? VisitAggregate(LogicalAggregate aggregate) => Visit(aggregate.Input);

        public override LogicalPlan? VisitWindowedAggregate(LogicalWindowedAggregate aggregate) =>
            Visit(aggregate.Input);

        public override LogicalPlan? VisitSort(LogicalSort sort) => Visit(sort.Input);

        public override LogicalPlan? VisitLimit(LogicalLimit limit) => Visit(limit.Input);

        public override LogicalPlan? VisitTableFunction(LogicalTableFunction tableFunction) =>
            Visit(tableFunction.Input);

        // A join reads several relations: the scan finder stops at it (Sources walks both sides).
        public override LogicalPlan? VisitJoin(LogicalJoin join) => join;

        public override LogicalPlan? VisitSetOperation(LogicalSetOperation operation) => operation;

        public override LogicalPlan? VisitRecursiveUnion(LogicalRecursiveUnion union) => union;

        public override LogicalPlan? VisitWorkTableScan(LogicalWorkTableScan scan) => null;

        public override LogicalPlan? VisitWindow(LogicalWindow window) => Visit(window.Input);
    }
}
