using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution.Operators.Joins;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

internal sealed partial class PhysicalPlanner
{
    /// <summary>A join of bounded inputs: a hash join (a nested loop when it has no keys) over each side's rows;
    /// a side that produces undecoded records is decoded into rows of all its columns first.</summary>
    public override Node VisitJoin(LogicalJoin join)
    {
        if (join.Within is not null)
            return StreamStreamJoin(join);
        if (join.TableTable is not null)
            return TableTableJoin(join);
        if (join.StreamTime)
            return StreamTableJoin(join);
        var left = RowsOfAnyInput(join.Left);
        var right = RowsOfAnyInput(join.Right);
        var kinds = new SqlTypeKind[join.LeftKeys.Count];
        for (var i = 0; i < kinds.Length; i++)
            kinds[i] = join.LeftKeys[i].Type.Kind;
        var spec = new JoinSpec(join.Type, join.Left.Columns.Count, join.Right.Columns.Count,
            kinds.Length == 0 ? null : ExpressionCompiler<CellRow>.CompileProjection([.. join.LeftKeys], _interpret,
                _clock),
            kinds.Length == 0 ? null : ExpressionCompiler<CellRow>.CompileProjection([.. join.RightKeys],
                _interpret, _clock),
            kinds,
            join.Condition is null ? null
                : ExpressionCompiler<CellRow>.CompilePredicate(join.Condition, _interpret, _clock));
        return new Node(null, context => new HashJoinOperator(left(context), right(context), spec,
            new JoinSettings(context.Limits, context.Budget, context.JoinBuildMaxBytes)));
    }

    /// <summary>A stream joined with a table by lookups in the table's state (a push or persistent query).
    /// </summary>
    private Node StreamTableJoin(LogicalJoin join)
    {
        if (join.Left is LogicalJoin)
            return ChainedStreamTableJoin(join);
        var stream = Visit(join.Left).Records
            ?? throw new InvalidOperationException("a streaming join reads its stream as records");
        var table = ((LogicalTableScan)join.Right).Source;
        var streamColumns = join.Left.Columns;
        var streamRow = new BoundExpr[streamColumns.Count + 1];
        JoinScanColumns((LogicalScan)join.Left).CopyTo(streamRow, 0);
        streamRow[^1] = OverRecords((LogicalScan)join.Left, join.LeftKeys[0]);
        var tableRow = TableColumns(table);
        var compiledStream = ExpressionCompiler<RecordCursor>.CompileProjection(streamRow, _interpret, _clock);
        var compiledTable = ExpressionCompiler<RecordCursor>.CompileProjection(tableRow, _interpret, _clock);
        var condition = join.Condition is null ? null
            : ExpressionCompiler<CellRow>.CompilePredicate(join.Condition, _interpret, _clock);
        var type = join.Type;
        var width = streamColumns.Count;
        var window = StreamWindowColumns(join);
        return new Node(null, context => new StreamTableJoinOperator(stream(context), table, compiledStream,
            compiledTable, condition, type, width, context.Limits, context.Hooks?.RowError)
        { StreamWindow = window });
    }

    /// <summary>A step of a multi-way join: the rows of the join before it joined with a table.</summary>
    private Node ChainedStreamTableJoin(LogicalJoin join)
    {
        var rows = Visit(join.Left).Rows!;
        var table = ((LogicalTableScan)join.Right).Source;
        var key = ExpressionCompiler<CellRow>.CompileProjection([join.LeftKeys[0]], _interpret, _clock);
        var tableRow = ExpressionCompiler<RecordCursor>.CompileProjection(TableColumns(table), _interpret, _clock);
        var condition = join.Condition is null ? null
            : ExpressionCompiler<CellRow>.CompilePredicate(join.Condition, _interpret, _clock);
        var (type, width) = (join.Type, join.Left.Columns.Count - 1);
        var window = StreamWindowColumns(join);
        return new Node(null, context => new StreamTableJoinOperator(rows(context), table, key, tableRow, condition,
            type, width, context.Limits, context.Hooks?.RowError)
        { StreamWindow = window });
    }

    /// <summary>A windowed table's join with the windowed sources on its left: where, in their rows, the window
    /// bounds of the source whose key the join key is (the planner checked it is one); null for a table without a
    /// window.</summary>
    private static (int Start, int End)? StreamWindowColumns(LogicalJoin join)
    {
        if (((LogicalTableScan)join.Right).Source.Definition.Window is null)
            return null;
        var key = join.LeftKeys[0] is BoundCast { Operand: var operand } ? operand : join.LeftKeys[0];
        var ordinal = ((BoundColumn)key).Ordinal;
        LogicalPlan left = join.Left;
        while (true)
        {
            // A step's right source starts after the columns of the joins before it (without their ROWTIME).
            var (source, start) = left switch
            {
                LogicalJoin step => (SourceOf(step.Right), step.Columns.Count - 1 - step.Right.Columns.Count),
                _ => (SourceOf(left), 0),
            };
            if (ordinal == start + source.KeyColumn)
                return (start + source.WindowStartColumn, start + source.WindowEndColumn);
            left = ((LogicalJoin)left).Left;
        }
    }

    private static Catalog.StreamDefinition SourceOf(LogicalPlan plan) => plan switch
    {
        LogicalScan scan => scan.Source.Definition,
        LogicalTableScan table => table.Source.Definition,
        _ => throw new InvalidOperationException("a streaming join's side reads a stream or a table"),
    };

    private static BoundExpr[] TableColumns(StreamRuntime table)
    {
        var columns = new BoundExpr[table.Types.Length];
        for (var i = 0; i < columns.Length; i++)
            columns[i] = new BoundColumn(i, table.Names[i], table.Types[i]);
        return columns;
    }

    /// <summary>The input as rows: records become rows of every column of the input.</summary>
    private Func<OperatorContext, RowOperator> RowsOfAnyInput(LogicalPlan input)
    {
        var node = Visit(input);
        if (node.Rows is { } rows)
            return rows;
        var records = node.Records!;
        var columns = input.Columns;
        var identity = new BoundExpr[columns.Count];
        for (var i = 0; i < identity.Length; i++)
            identity[i] = new BoundColumn(i, columns[i].Name, columns[i].Type);
        var projection = ExpressionCompiler<RecordCursor>.CompileProjection(identity, _interpret, _clock);
        var width = identity.Length;
        return context => new RecordProjectOperator(records(context), projection, width, context.Limits);
    }

    /// <summary>GROUP BY over computed rows (above a join) in a bounded query.</summary>
    private Node AggregateRows(LogicalAggregate aggregate, Func<OperatorContext, RowOperator> rows)
    {
        var inputs = new List<BoundExpr>(aggregate.Keys);
        foreach (var call in aggregate.Aggregates)
            inputs.Add(call.Argument ?? new BoundLiteral(1, SqlType.Int));
        var compiled = ExpressionCompiler<CellRow>.CompileProjection(inputs, _interpret, _clock);
        var keyKinds = new SqlTypeKind[aggregate.Keys.Count];
        for (var i = 0; i < keyKinds.Length; i++)
            keyKinds[i] = aggregate.Keys[i].Type.Kind;
        var calls = aggregate.Aggregates.AsSpan().ToArray();
        return new Node(null, context => new HashAggregateOperator(rows(context), compiled, keyKinds, calls,
            context.Limits, context.Budget));
    }

    /// <summary>
    /// The rows of a streaming join (through WHERE filters) as records, for a push or persistent query's aggregate
    /// over them (<see cref="JoinedRowRecords"/>); any other computed input is refused.
    /// </summary>
    private static Func<OperatorContext, RecordOperator> JoinRecords(LogicalPlan plan, Node input)
    {
        var join = plan;
        while (join is LogicalFilter filter)
            join = filter.Input;
        if (join is not LogicalJoin { StreamTime: true, TableTable: null } || input.Rows is not { } rows)
            throw SqlException.FeatureNotSupported(join is LogicalJoin
                ? "GROUP BY over a join of tables in a push or persistent query"
                : "aggregation over computed rows (a nested query)");
        var columns = plan.Columns;
        var types = new SqlType[columns.Count];
        var names = new string[columns.Count];
        for (var i = 0; i < types.Length; i++)
            (types[i], names[i]) = (columns[i].Type, columns[i].Name);
        return context => new JoinedRowRecords(rows(context), types, names, context.Limits);
    }
}
