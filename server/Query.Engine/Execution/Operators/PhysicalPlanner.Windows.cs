using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Query.Engine.WindowFunctions;

namespace Query.Engine.Execution.Operators;

internal sealed partial class PhysicalPlanner
{
    public override Node VisitWindow(LogicalWindow window)
    {
        var rows = RowsOf(window.Input);
        var columns = window.Input.Columns;
        var kinds = new SqlTypeKind[columns.Count];
        for (var i = 0; i < kinds.Length; i++)
            kinds[i] = columns[i].Type.Kind;
        var functions = window.Functions.AsSpan().ToArray();
        var passThrough = window.PassThrough;
        return new Node(null, context => new WindowOperator(rows(context), passThrough, functions, kinds,
            context.Limits, context.Budget, context.WindowMaxBytes));
    }
}
