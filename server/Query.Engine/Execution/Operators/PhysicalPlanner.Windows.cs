using Query.Engine.Binding;
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

    /// <summary>Each key's windows within the WINDOWSTART range of the bounds (no MaxRecords: a key has several).
    /// </summary>
    private Node WindowedKeyLookup(LogicalKeyLookup lookup, Catalog.TableWindow window)
    {
        var (source, constants, bounds, clock) = (lookup.Source, lookup.Keys, lookup.WindowBounds, _clock);
        if (TableKeys.HasParameters(constants) || HasParameters(bounds))
            return new Node(context => new WindowedKeyLookupOperator(source,
                TableKeys.Encode(source, constants, clock, context.Parameters),
                WindowedKeyLookupOperator.StartRange(bounds, window, clock, context.Parameters), context.Statistics,
                context.Limits), null);
        var keys = TableKeys.Encode(source, constants, clock, []);
        var range = WindowedKeyLookupOperator.StartRange(bounds, window, clock, []);
        return new Node(context => new WindowedKeyLookupOperator(source, keys, range, context.Statistics,
            context.Limits), null);
    }

    private static bool HasParameters(EquatableArray<WindowBound> bounds)
    {
        foreach (var bound in bounds)
        {
            if (bound.Value is BoundParameter)
                return true;
        }
        return false;
    }
}
