using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Planning.Logical;
using Query.Engine.WindowFunctions;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning;

/// <summary>
/// Window functions (<c>row_number() OVER (...)</c>) in a pull query's select list and ORDER BY. Below the final
/// projection, a projection passes the row up (the source's columns, or the aggregated row) and appends each
/// function's arguments and keys; the window node above it computes the functions; the final projection reads
/// the pass-through columns and one column per function.
/// </summary>
public sealed partial class SelectPlanner
{
    private (ExpressionBinder Items, WindowContext? Windows) WindowBinding(Ast.SelectQuery query, Ast.Select select,
        BindScope scope, AggregationContext? aggregation, ExpressionBinder binder, bool isPush)
    {
        var calls = new List<Ast.FunctionCall>();
        foreach (var item in select.Items)
        {
            if (item is Ast.SingleColumn column)
                FunctionCalls.Collect(column.Expression, calls);
        }
        foreach (var item in query.OrderBy)
            FunctionCalls.Collect(item.Expression, calls);
        var first = calls.Find(call => call.Over is not null);
        if (first is null)
            return (binder, null);
        if (isPush)
            throw SqlException.FeatureNotSupported("window functions (OVER) in push and persistent queries",
                PositionOf(first));
        if (aggregation is not null)
        {
            // The aggregated row is the window's pass-through part, so it must be complete before a window
            // function is bound: every aggregate the query names is added first.
            FunctionCalls.Collect(select.Having, calls);
            foreach (var call in calls)
            {
                if (call.Over is null && IsAggregateCall(call))
                    binder.Bind(call);
            }
        }
        var passThrough = aggregation?.Columns.Count ?? scope.Columns.Count;
        var windows = new WindowContext(passThrough, binder);
        return (NewBinder(aggregation is null ? scope : scope.WithoutColumns(), aggregation, windows), windows);
    }

    private static void CheckDistinctWindows(Ast.Select select)
    {
        if (!select.Distinct)
            return;
        var calls = new List<Ast.FunctionCall>();
        foreach (var item in select.Items)
        {
            if (item is Ast.SingleColumn column)
                FunctionCalls.Collect(column.Expression, calls);
        }
        if (calls.Find(call => call.Over is not null) is { } first)
            throw SqlException.FeatureNotSupported("SELECT DISTINCT with window functions", PositionOf(first));
    }

    private static bool IsAggregateCall(Ast.FunctionCall call) =>
        AggregateFunctions.IsAggregate(call.Name.Name.Value)
        || call.Name.Name.Value.Equals("string_agg", StringComparison.OrdinalIgnoreCase);

    private static LogicalWindow WindowNode(LogicalPlan plan, WindowContext windows, List<BoundExpr> projection,
        bool tableFunctions)
    {
        if (tableFunctions)
            throw SqlException.FeatureNotSupported("table functions beside window functions");
        var below = plan.Columns;
        if (below.Count != windows.PassThrough)
            throw SqlException.FeatureNotSupported("aggregates named only after the window functions that use them");
        foreach (var expression in projection)
        {
            if (ReadsPseudoColumn(expression))
                throw SqlException.FeatureNotSupported("ROWTIME, ROWOFFSET or ROWPARTITION beside window functions "
                    + "(select it in a subquery in FROM)");
        }
        var expressions = new BoundExpr[windows.PassThrough + windows.Inputs.Count];
        var output = new ColumnInfo[expressions.Length];
        for (var i = 0; i < windows.PassThrough; i++)
        {
            expressions[i] = new BoundColumn(i, below[i].Name, below[i].Type);
            output[i] = below[i];
        }
        for (var i = 0; i < windows.Inputs.Count; i++)
        {
            var input = windows.Inputs[i];
            expressions[windows.PassThrough + i] = input;
            output[windows.PassThrough + i] = new ColumnInfo(BoundExprText.Format(input), input.Type);
        }
        var inputs = new LogicalProject(plan, new(expressions), new(output));
        return new LogicalWindow(inputs, windows.PassThrough, new([.. windows.Functions]));
    }

    /// <summary>Pseudo-columns are read from records; above the window node there are only rows.</summary>
    private static bool ReadsPseudoColumn(BoundExpr expression)
    {
        Limits.DepthGuard.Enter();
        return expression switch
        {
            BoundPseudoColumn => true,
            BoundUnary unary => ReadsPseudoColumn(unary.Operand),
            BoundBinary binary => ReadsPseudoColumn(binary.Left) || ReadsPseudoColumn(binary.Right),
            BoundIsNull isNull => ReadsPseudoColumn(isNull.Operand),
            BoundCast cast => ReadsPseudoColumn(cast.Operand),
            BoundCall call => call.Arguments.AsSpan().ToArray().Any(ReadsPseudoColumn),
            BoundLike like => ReadsPseudoColumn(like.Value) || ReadsPseudoColumn(like.Pattern),
            BoundInList inList => ReadsPseudoColumn(inList.Value),
            BoundSubscript subscript => ReadsPseudoColumn(subscript.Container),
            BoundFieldAccess field => ReadsPseudoColumn(field.Struct),
            BoundCase caseExpression => caseExpression.Whens.AsSpan().ToArray()
                .Any(w => ReadsPseudoColumn(w.Condition) || ReadsPseudoColumn(w.Result))
                || (caseExpression.Else is { } otherwise && ReadsPseudoColumn(otherwise)),
            _ => false,
        };
    }
}
