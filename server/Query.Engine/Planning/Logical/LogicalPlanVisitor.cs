namespace Query.Engine.Planning.Logical;

/// <summary>
/// A pass over a logical plan. Every method is abstract on purpose: adding a node adds a method here, and every
/// pass then fails to compile until it says what the node means to it.
/// </summary>
public abstract class LogicalPlanVisitor<TResult>
{
    public TResult Visit(LogicalPlan plan) => plan.Accept(this);

    public abstract TResult VisitValues(LogicalValues values);

    public abstract TResult VisitScan(LogicalScan scan);

    public abstract TResult VisitTableScan(LogicalTableScan scan);

    public abstract TResult VisitKeyLookup(LogicalKeyLookup lookup);

    public abstract TResult VisitFilter(LogicalFilter filter);

    public abstract TResult VisitProject(LogicalProject project);

    public abstract TResult VisitAggregate(LogicalAggregate aggregate);

    public abstract TResult VisitWindowedAggregate(LogicalWindowedAggregate aggregate);

    public abstract TResult VisitSort(LogicalSort sort);

    public abstract TResult VisitLimit(LogicalLimit limit);

    public abstract TResult VisitTableFunction(LogicalTableFunction tableFunction);

    public abstract TResult VisitJoin(LogicalJoin join);

    public abstract TResult VisitSystemScan(LogicalSystemScan scan);

    public abstract TResult VisitSetOperation(LogicalSetOperation operation);

    public abstract TResult VisitRecursiveUnion(LogicalRecursiveUnion union);

    public abstract TResult VisitWorkTableScan(LogicalWorkTableScan scan);

    public abstract TResult VisitWindow(LogicalWindow window);
}
