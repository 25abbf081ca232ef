using Query.Engine.Planning.Logical;

namespace Query.Engine.Execution.Operators;

internal sealed partial class PhysicalPlanner
{
    public override Node VisitSystemScan(LogicalSystemScan scan)
    {
        var relation = scan.Relation;
        var snapshot = scan.Snapshot;
        return new Node(context => new SystemScanOperator(relation, snapshot(), context.Statistics, context.Limits),
            null);
    }
}
