using Query.Engine.Execution.Operators.Sets;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Execution.Operators;

internal sealed partial class PhysicalPlanner
{
    public override Node VisitSetOperation(LogicalSetOperation operation)
    {
        var left = RowsOfAnyInput(operation.Left);
        var right = RowsOfAnyInput(operation.Right);
        var kinds = RowKeyComparer.KindsOf(operation.Output);
        var (kind, all) = (operation.Kind, operation.All);
        return new Node(null, context => new SetOperationOperator(left(context), right(context), kind, all, kinds,
            context.Limits, context.Budget));
    }

    public override Node VisitRecursiveUnion(LogicalRecursiveUnion union)
    {
        var anchor = RowsOfAnyInput(union.Anchor);
        var recursive = RowsOfAnyInput(union.Recursive);
        var (workTable, all) = (union.WorkTable, union.All);
        return new Node(null, context => new RecursiveUnionOperator(anchor, recursive, workTable, all,
            context.MaxRecursion, context));
    }

    public override Node VisitWorkTableScan(LogicalWorkTableScan scan)
    {
        var workTable = scan.WorkTable;
        return new Node(null, context => new WorkTableScanOperator(workTable, context.Limits));
    }
}
