using Query.Engine.Binding;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Planning;

/// <summary>
/// Which of the scanned stream's columns a query reads, so that a source that stores columns apart (the cold
/// tier's Parquet files) reads only those. The scan's row is used by the filters right above it and by the first
/// projection or aggregation; anything else directly on the scan (a sort of SELECT *), or an expression this
/// walker does not know, means every column (null). Unread columns come back NULL, which nothing above looks at.
/// </summary>
internal static class ScanColumns
{
    private const int RowTime = -1;     // in the set while it is built: ROWTIME is read

    public static IReadOnlySet<int>? Of(LogicalPlan root) => Of(root, out _);

    /// <summary>
    /// The columns the query reads (null: all), and whether the stream's TIMESTAMP column is among them only because
    /// each row's ROWTIME is taken from it as it is read (<paramref name="timestampOnlyAdmits"/>): the query reads
    /// neither that column nor ROWTIME, and groups into no window.
    /// </summary>
    public static IReadOnlySet<int>? Of(LogicalPlan root, out bool timestampOnlyAdmits)
    {
        timestampOnlyAdmits = false;
        var used = new HashSet<int>();
        LogicalScan? scan = null;
        var windowed = false;
        var columns = Collect(root, used, ref scan, ref windowed);
        if (columns is null || scan is null)
            return columns;
        var timestamp = scan.Source.Definition.TimestampColumn;
        var readsRowTime = used.Remove(RowTime);
        if (timestamp < 0)
            return used;
        timestampOnlyAdmits = !readsRowTime && !used.Contains(timestamp) && !windowed;
        // A stream with a TIMESTAMP column takes each record's ROWTIME from it as it is read (a record whose
        // column is NULL is skipped), so that column is read whatever the query uses.
        used.Add(timestamp);
        return used;
    }

    private static HashSet<int>? Collect(LogicalPlan root, HashSet<int> used, ref LogicalScan? scan,
        ref bool windowed)
    {
        var node = root;
        while (true)
        {
            switch (node)
            {
                case LogicalSort sort:
                    node = sort.Input;
                    continue;
                case LogicalLimit limit:
                    node = limit.Input;
                    continue;
                case LogicalFilter { Input: not LogicalScan and not LogicalFilter } filter:
                    node = filter.Input;
                    continue;
                case LogicalProject project when ScanBelow(project.Input, used, ref scan):
                    return AddAll(project.Expressions, used) ? used : null;
                case LogicalAggregate aggregate when ScanBelow(aggregate.Input, used, ref scan):
                    foreach (var call in aggregate.Aggregates)
                    {
                        if (call.Argument is { } argument && !Add(argument, used))
                            return null;
                    }
                    return AddAll(aggregate.Keys, used) ? used : null;
                case LogicalWindowedAggregate window when ScanBelow(window.Input, used, ref scan):
                    windowed = true;
                    foreach (var call in window.Aggregates)
                    {
                        if (call.Argument is { } argument && !Add(argument, used))
                            return null;
                    }
                    return AddAll(window.Keys, used) ? used : null;
                case LogicalProject over:           // above an aggregation: its columns are not the scan's
                    node = over.Input;
                    continue;
                default:
                    return null;
            }
        }
    }

    // True when only filters separate the node from the scan; their predicates' columns join the set.
    private static bool ScanBelow(LogicalPlan node, HashSet<int> used, ref LogicalScan? scan)
    {
        while (node is LogicalFilter filter)
        {
            if (!Add(filter.Predicate, used))
                return false;
            node = filter.Input;
        }
        scan = node as LogicalScan;
        return scan is not null;
    }

    private static bool AddAll(IEnumerable<BoundExpr> expressions, HashSet<int> used)
    {
        foreach (var expression in expressions)
        {
            if (!Add(expression, used))
                return false;
        }
        return true;
    }

    private static bool Add(BoundExpr expression, HashSet<int> used)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expression)
        {
            case BoundColumn column:
                used.Add(column.Ordinal);
                return true;
            case BoundPseudoColumn { Column: PseudoColumn.RowTime }:
                used.Add(RowTime);
                return true;
            case BoundPseudoColumn or BoundLiteral or BoundParameter:
                return true;
            case BoundUnary unary:
                return Add(unary.Operand, used);
            case BoundBinary binary:
                return Add(binary.Left, used) && Add(binary.Right, used);
            case BoundIsNull isNull:
                return Add(isNull.Operand, used);
            case BoundCast cast:
                return Add(cast.Operand, used);
            case BoundCall call:
                return AddAll(call.Arguments, used);
            case BoundLike like:
                return Add(like.Value, used) && Add(like.Pattern, used);
            case BoundInList inList:
                return Add(inList.Value, used) && AddAll(inList.Items, used);
            case BoundSubscript subscript:
                return Add(subscript.Container, used) && Add(subscript.Index, used);
            case BoundFieldAccess field:
                return Add(field.Struct, used);
            case BoundCase caseExpression:
                foreach (var when in caseExpression.Whens)
                {
                    if (!Add(when.Condition, used) || !Add(when.Result, used))
                        return false;
                }
                return caseExpression.Else is null || Add(caseExpression.Else, used);
            default:
                return false;           // lambdas, constructors, anything new: read every column
        }
    }
}
