using System.Text;
using Query.Engine.Binding;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>
/// EXPLAIN's text: the logical plan as an indented tree, root first, one node per line (two spaces per level).
/// What a scan will read (offset ranges, segments, where a push query starts) comes from the caller, which knows
/// the storage; it is printed under the scan, one level deeper.
/// </summary>
public sealed partial class ExplainPrinter : LogicalPlanVisitor<bool>
{
    private readonly StringBuilder _builder = new();
    private readonly Func<LogicalScan, IReadOnlyList<string>> _describeScan;
    private int _depth;

    private ExplainPrinter(Func<LogicalScan, IReadOnlyList<string>> describeScan) => _describeScan = describeScan;

    public static string Print(BoundQuery query, Func<LogicalScan, IReadOnlyList<string>> describeScan)
    {
        var printer = new ExplainPrinter(describeScan);
        printer._builder.Append(query.IsPush ? "Push query (EMIT CHANGES)" : "Pull query").AppendLine();
        printer._depth = 1;
        printer.Visit(query.Root);
        return printer._builder.ToString();
    }

    private StringBuilder Line() => _builder.Append(' ', 2 * _depth);

    private bool Child(LogicalPlan input)
    {
        _depth++;
        Visit(input);
        _depth--;
        return true;
    }

    public override bool VisitSetOperation(LogicalSetOperation operation)
    {
        Line().Append(operation.Kind.ToString().ToUpperInvariant()).Append(operation.All ? " ALL" : "").AppendLine();
        Child(operation.Left);
        return Child(operation.Right);
    }

    public override bool VisitRecursiveUnion(LogicalRecursiveUnion union)
    {
        Line().Append("Recursive union ").Append(union.WorkTable.Name).Append(union.All ? " (ALL)" : "").AppendLine();
        Child(union.Anchor);
        return Child(union.Recursive);
    }

    public override bool VisitWorkTableScan(LogicalWorkTableScan scan)
    {
        Line().Append("Work table ").Append(scan.WorkTable.Name).AppendLine();
        return true;
    }

    public override bool VisitValues(LogicalValues values)
    {
        Line().Append("Values (one row)").AppendLine();
        return true;
    }

    public override bool VisitScan(LogicalScan scan)
    {
        Line().Append(scan.Unbounded ? "Scan (unbounded) " : "Scan ").Append(scan.Source.Definition.Name);
        if (scan.Pushdown is not null)
            _builder.Append(" (ranges narrowed by WHERE)");
        _builder.AppendLine();
        _depth++;
        foreach (var line in _describeScan(scan))
            Line().Append(line).AppendLine();
        _depth--;
        return true;
    }

    public override bool VisitSystemScan(LogicalSystemScan scan)
    {
        Line().Append("SystemScan ").Append(scan.Relation.Schema).Append('.').Append(scan.Relation.Name)
            .Append(" (generated from the catalog)").AppendLine();
        return true;
    }

    public override bool VisitTableScan(LogicalTableScan scan)
    {
        Line().Append("TableScan ").Append(scan.Source.Definition.Name).Append(" (materialized state)").AppendLine();
        return true;
    }

    public override bool VisitKeyLookup(LogicalKeyLookup lookup)
    {
        var definition = lookup.Source.Definition;
        var keys = definition.KeyColumns;
        Line().Append("KeyLookup ").Append(definition.Name)
            .Append(definition.Window is null ? " (materialized state) on "
                : " (materialized state, windows by key) on ");
        if (keys.Count == 1)
        {
            _builder.Append(definition.Columns[keys[0]].Name).Append(" = ");
            for (var i = 0; i < lookup.Keys.Count; i++)
                _builder.Append(i == 0 ? "" : ", ").Append(BoundExprText.Format(lookup.Keys[i]));
            AppendWindowBounds(lookup);
            _builder.AppendLine();
            return true;
        }
        // Several key columns: the lookup's keys are tuples, one constant per key column.
        _builder.Append('(');
        for (var k = 0; k < keys.Count; k++)
            _builder.Append(k == 0 ? "" : ", ").Append(definition.Columns[keys[k]].Name);
        _builder.Append(") = ");
        for (var i = 0; i < lookup.Keys.Count; i++)
        {
            var k = i % keys.Count;
            _builder.Append(k == 0 ? (i == 0 ? "(" : "), (") : ", ").Append(BoundExprText.Format(lookup.Keys[i]));
        }
        _builder.Append(')');
        AppendWindowBounds(lookup);
        _builder.AppendLine();
        return true;
    }

    public override bool VisitFilter(LogicalFilter filter)
    {
        Line().Append("Filter ").Append(BoundExprText.Format(filter.Predicate)).AppendLine();
        return Child(filter.Input);
    }

    public override bool VisitProject(LogicalProject project)
    {
        Line().Append("Project ");
        for (var i = 0; i < project.Expressions.Count; i++)
        {
            var column = project.Output[i];
            var expression = project.Expressions[i];
            _builder.Append(i == 0 ? "" : ", ").Append(column.Name).Append(' ').Append(column.Type);
            if (expression is not BoundColumn named || named.Name != column.Name)
                _builder.Append(" := ").Append(BoundExprText.Format(expression));
        }
        _builder.AppendLine();
        return Child(project.Input);
    }

    public override bool VisitAggregate(LogicalAggregate aggregate)
    {
        Line().Append("Aggregate");
        AppendGrouping(aggregate.Keys, aggregate.Aggregates);
        _builder.AppendLine();
        return Child(aggregate.Input);
    }

    public override bool VisitWindowedAggregate(LogicalWindowedAggregate aggregate)
    {
        Line().Append("WindowedAggregate ").Append(aggregate.Window.ToString())
            .Append(aggregate.EmitFinal ? " EMIT FINAL" : " EMIT CHANGES");
        AppendGrouping(aggregate.Keys, aggregate.Aggregates);
        if (Windows.WindowPlanning.PartitionClocks(aggregate) is var clocks and > 0)
            _builder.Append("; stream time per partition (").Append(clocks).Append(')');
        _builder.AppendLine();
        return Child(aggregate.Input);
    }

    private void AppendGrouping(EquatableArray<BoundExpr> keys, EquatableArray<BoundAggregate> aggregates)
    {
        for (var i = 0; i < keys.Count; i++)
            _builder.Append(i == 0 ? " by " : ", ").Append(BoundExprText.Format(keys[i]));
        for (var i = 0; i < aggregates.Count; i++)
        {
            var call = aggregates[i];
            _builder.Append(i == 0 ? ": " : ", ").Append(NameOf(call.Kind)).Append('(')
                .Append(call.Argument is null ? "*" : BoundExprText.Format(call.Argument)).Append(')');
        }
    }

    public override bool VisitSort(LogicalSort sort)
    {
        Line().Append("Sort by ");
        var columns = sort.Input.Columns;
        for (var i = 0; i < sort.Keys.Count; i++)
        {
            var key = sort.Keys[i];
            _builder.Append(i == 0 ? "" : ", ").Append(columns[key.Column].Name)
                .Append(key.Descending ? " DESC" : " ASC").Append(key.NullsFirst ? " NULLS FIRST" : " NULLS LAST");
        }
        _builder.AppendLine();
        return Child(sort.Input);
    }

    public override bool VisitLimit(LogicalLimit limit)
    {
        Line().Append("Limit ").Append(limit.Count is { } count ? count.ToString(
            System.Globalization.CultureInfo.InvariantCulture) : "ALL");
        if (limit.Offset > 0)
            _builder.Append(" offset ").Append(limit.Offset);
        _builder.AppendLine();
        return Child(limit.Input);
    }

    public override bool VisitTableFunction(LogicalTableFunction tableFunction)
    {
        Line().Append("Table function");
        for (var i = 0; i < tableFunction.FunctionColumns.Count; i++)
        {
            var column = tableFunction.FunctionColumns[i];
            var name = TableFunctions.Describe(tableFunction.Kinds[i]).Name;
            _builder.Append(i == 0 ? " " : ", ").Append(tableFunction.Output[column].Name).Append(' ')
                .Append(tableFunction.Output[column].Type).Append(" := ").Append(name).Append('(')
                .Append(tableFunction.Input is LogicalProject project
                    ? BoundExprText.Format(project.Expressions[column])
                    : tableFunction.Input.Columns[column].Name).Append(')');
        }
        _builder.AppendLine();
        return Child(tableFunction.Input);
    }

    /// <summary>A join: its type and method, keys (left = right) and condition, then the left input, then the
    /// right input (the build side).</summary>
    public override bool VisitJoin(LogicalJoin join)
    {
        Line().Append(join.LeftKeys.Count > 0 ? "Hash join " : "Nested loop join ")
            .Append(join.Type.ToString().ToUpperInvariant());
        for (var i = 0; i < join.LeftKeys.Count; i++)
            _builder.Append(i == 0 ? " on " : " AND ").Append(BoundExprText.Format(join.LeftKeys[i])).Append(" = ")
                .Append(BoundExprText.Format(join.RightKeys[i]));
        if (join.Condition is not null)
            _builder.Append(" filter ").Append(BoundExprText.Format(join.Condition));
        if (join.Within is not null)
            _builder.Append(' ').Append(join.Within);
        _builder.AppendLine();
        Child(join.Left);
        return Child(join.Right);
    }

    private static string NameOf(AggregateKind kind) => kind switch
    {
        AggregateKind.CountStar or AggregateKind.Count => "COUNT",
        AggregateKind.CountDistinct => "COUNT_DISTINCT",
        AggregateKind.LatestByOffset => "LATEST_BY_OFFSET",
        AggregateKind.EarliestByOffset => "EARLIEST_BY_OFFSET",
        AggregateKind.CollectList => "COLLECT_LIST",
        AggregateKind.CollectSet => "COLLECT_SET",
        AggregateKind.StddevSamp => "STDDEV_SAMP",
        AggregateKind.SumList => "SUM_LIST",
        _ => kind.ToString().ToUpperInvariant(),
    };
}
