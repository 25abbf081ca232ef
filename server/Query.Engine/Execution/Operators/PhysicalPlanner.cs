using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Planning;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// Turns a logical plan into operator factories: each node's expressions are compiled once here, and the factory
/// builds a fresh operator per run. Below a projection or an aggregation, operators pass undecoded records
/// (<see cref="RecordOperator"/>); above, computed rows (<see cref="RowOperator"/>). A SELECT without FROM is
/// interpreted rather than compiled to IL, since it runs once.
/// </summary>
internal sealed partial class PhysicalPlanner : LogicalPlanVisitor<PhysicalPlanner.Node>
{
    private readonly bool _interpret;
    private readonly TimeProvider _clock;
    private readonly bool _unbounded;
    private IReadOnlySet<int>? _scanColumns;
    private bool _timestampOnlyAdmits;      // the stream's TIMESTAMP column is read only to admit rows
    private bool _aggregatesTableChanges;

    /// <summary>A planned node: it produces either records or rows.</summary>
    internal sealed record Node(Func<OperatorContext, RecordOperator>? Records,
        Func<OperatorContext, RowOperator>? Rows)
    {
        /// <summary>At most this many records come out (a key lookup): the projection above sizes its batch to it
        /// instead of a full batch of preallocated rows.</summary>
        public int? MaxRecords { get; init; }
    }

    private PhysicalPlanner(bool interpret, TimeProvider clock, bool unbounded)
    {
        _unbounded = unbounded;
        _interpret = interpret;
        _clock = clock;
    }

    /// <param name="query">The bound query.</param>
    /// <param name="clock">The engine's clock, for the functions that read the time.</param>
    public static Func<OperatorContext, RowOperator> Plan(BoundQuery query, TimeProvider clock)
    {
        var planner = new PhysicalPlanner(query.ReadsFewRows, clock, query.Scan?.Unbounded == true);
        planner._scanColumns = ScanColumns.Of(query.Root, out planner._timestampOnlyAdmits);
        var root = planner.Visit(query.Root);
        return root.Rows ?? throw new InvalidOperationException("a query plan must end in rows (a projection)");
    }

    public override Node VisitValues(LogicalValues values) => new(_ => new ValuesOperator(), null);

    public override Node VisitScan(LogicalScan scan)
    {
        var source = scan.Source;
        var pushdown = scan.Pushdown;
        if (scan.Unbounded && _aggregatesTableChanges && source.Definition.IsTable)
        {
            return new Node(context => new TailScanOperator(source,
                TailScanOperator.PlanStarts(source, pushdown, context.ReplayFromEarliest), context.Statistics,
                context.Limits, context.Hooks, new TableChangeTracker(context.Budget)), null);
        }
        var columns = _scanColumns;
        if (scan.Unbounded)
        {
            var partitionBase = scan.CheckpointPartitionBase;
            var filter = ColumnFilterAnalyzer.Of(pushdown, source.Definition);
            return new Node(context => new TailScanOperator(source,
                TailScanOperator.PlanStarts(source, pushdown, context.ReplayFromEarliest), context.Statistics,
                context.Limits, context.Hooks, partitionIdBase: partitionBase, columns: columns, filter: filter), null);
        }
        return new Node(BoundedScan(scan, predicate: null), null);
    }

    private Func<OperatorContext, RecordOperator> BoundedScan(LogicalScan scan, Func<RecordCursor, bool>? predicate,
        ScanPrefilter? prefilter = null)
    {
        var (columns, admits) = (_scanColumns, _timestampOnlyAdmits);
        return context => new ScanOperator(
            context.ScanSlice ?? ScanPlan.ForPull(scan.Source, scan.Pushdown) with
            {
                Columns = columns,
                TimestampColumnOnlyAdmits = admits,
            },
            context.Statistics, context.Limits, predicate, context.ScanCache, prefilter);
    }

    public override Node VisitTableScan(LogicalTableScan scan)
    {
        var source = scan.Source;
        return new Node(context => new TableScanOperator(source, context.Statistics, context.Limits), null);
    }

    public override Node VisitKeyLookup(LogicalKeyLookup lookup)
    {
        var source = lookup.Source;
        var constants = lookup.Keys;
        var clock = _clock;
        if (source.Definition.Window is { } window)
            return WindowedKeyLookup(lookup, window);
        if (TableKeys.HasParameters(constants))
            return new Node(context => new KeyLookupOperator(source,
                TableKeys.Encode(source, constants, clock, context.Parameters), context.Statistics, context.Limits),
                null)
            { MaxRecords = constants.Count };
        var keys = TableKeys.Encode(source, constants, clock, []);
        return new Node(context => new KeyLookupOperator(source, keys, context.Statistics, context.Limits), null)
        {
            MaxRecords = keys.Length,
        };
    }

    public override Node VisitFilter(LogicalFilter filter)
    {
        var input = Visit(filter.Input);
        if (input.Records is { } records)
        {
            var predicate = ExpressionCompiler<RecordCursor>.CompilePredicate(filter.Predicate, _interpret, _clock);
            var overTable = filter.Input is LogicalScan { Source.Definition.IsTable: true };
            if (filter.Input is LogicalScan { Unbounded: false } scan)
            {
                // Filtered while read (ScanSource.Predicate), unless a persistent query's hooks skip bad rows.
                var scanned = BoundedScan(scan, predicate, ScanPrefilter.From(filter.Predicate));
                var unfused = records;
                return new Node(context => context.Hooks is null
                    || (context.Hooks.RowError is null && !context.Hooks.NullValueRows) ? scanned(context)
                    : new RecordFilterOperator(unfused(context), predicate)
                    {
                        RowError = context.Hooks.RowError,
                        TableDeletes = overTable && context.Hooks.NullValueRows,
                    },
                    null);
            }
            return new Node(context => new RecordFilterOperator(records(context), predicate)
            {
                RowError = context.Hooks?.RowError,
                TableDeletes = overTable && context.Hooks?.NullValueRows == true,
            }, null)
            {
                MaxRecords = input.MaxRecords,
            };
        }
        var rowPredicate = ExpressionCompiler<CellRow>.CompilePredicate(filter.Predicate, _interpret, _clock);
        var rows = input.Rows!;
        return new Node(null, context => new RowFilterOperator(rows(context), rowPredicate));
    }

    public override Node VisitProject(LogicalProject project)
    {
        var input = Visit(project.Input);
        var width = project.Expressions.Count;
        if (input.Records is { } records)
        {
            // A stream scanned under filters only: its partitions can be read on several threads, in order.
            if (ParallelHashAggregateOperator.ScanOf(project.Input) is { } scan)
                records = ParallelScanOperator.Over(scan, _scanColumns, _timestampOnlyAdmits, records);
            var projection = ExpressionCompiler<RecordCursor>.CompileProjection([.. project.Expressions], _interpret,
                _clock);
            var maxRecords = input.MaxRecords;
            return new Node(null, context => new RecordProjectOperator(records(context), projection, width,
                maxRecords is { } most && most < context.Limits.Rows
                    ? context.Limits with { Rows = Math.Max(1, most) } : context.Limits)
            { RowError = context.Hooks?.RowError });
        }
        var rowProjection = ExpressionCompiler<CellRow>.CompileProjection([.. project.Expressions], _interpret, _clock);
        var rows = input.Rows!;
        return new Node(null, context => new RowProjectOperator(rows(context), rowProjection, width, context.Limits));
    }

    public override Node VisitAggregate(LogicalAggregate aggregate)
    {
        if (_unbounded)
        {
            // Over a table's changelog, each update retracts the key's previous row from its group.
            _aggregatesTableChanges = true;
            TableSourceAggregates.CheckRetractable(aggregate);
        }
        var input = Visit(aggregate.Input);
        if (input.Records is null && !_unbounded)
            return AggregateRows(aggregate, input.Rows!);
        var records = input.Records ?? JoinRecords(aggregate.Input, input);
        var inputs = new List<BoundExpr>(aggregate.Keys);
        foreach (var call in aggregate.Aggregates)
            inputs.Add(call.Argument ?? new BoundLiteral(1, SqlType.Int));
        var compiled = ExpressionCompiler<RecordCursor>.CompileProjection(inputs, _interpret, _clock);
        var keyKinds = new SqlTypeKind[aggregate.Keys.Count];
        for (var i = 0; i < keyKinds.Length; i++)
            keyKinds[i] = aggregate.Keys[i].Type.Kind;
        var calls = aggregate.Aggregates.AsSpan().ToArray();
        var columnArguments = HashAggregateOperator.ColumnArgumentsOf(calls, keyKinds.Length);
        if (_unbounded)
        {
            // A push or persistent query's aggregate emits each batch's changed groups (its changelog).
            var keyTypes = new SqlType[aggregate.Keys.Count];
            for (var i = 0; i < keyTypes.Length; i++)
                keyTypes[i] = aggregate.Keys[i].Type;
            return new Node(null, context => new ContinuousAggregateOperator(records(context), compiled, keyTypes,
                calls, context.Limits, context.Budget, context.Hooks));
        }
        if (ParallelHashAggregateOperator.ScanOf(aggregate.Input) is { } scan)
        {
            // A stream scanned under filters only: its partitions can be aggregated apart, then merged.
            var (columns, admits) = (_scanColumns, _timestampOnlyAdmits);
            return new Node(null, context => ParallelHashAggregateOperator.Start(context,
                () => ScanPlan.ForPull(scan.Source, scan.Pushdown) with
                {
                    Columns = columns,
                    TimestampColumnOnlyAdmits = admits,
                },
                worker => new HashAggregateOperator(records(worker), compiled, keyKinds, calls, worker.Limits,
                    worker.Budget)
                {
                    ColumnArguments = columnArguments,
                }));
        }
        return new Node(null, context => new HashAggregateOperator(records(context), compiled, keyKinds, calls,
            context.Limits, context.Budget)
        {
            ColumnArguments = columnArguments,
        });
    }

    public override Node VisitWindowedAggregate(LogicalWindowedAggregate aggregate)
    {
        // A table's changelog replaces rows; windows group events (ksqlDB refuses WINDOW over a table too).
        if (TableSourceAggregates.ScanOf(aggregate.Input) is { Source.Definition.IsTable: true })
            throw SqlException.FeatureNotSupported("WINDOW in an aggregation over a table");
        var input = Visit(aggregate.Input);
        var records = input.Records ?? JoinRecords(aggregate.Input, input);
        var inputs = new List<BoundExpr>(aggregate.Keys);
        foreach (var call in aggregate.Aggregates)
            inputs.Add(call.Argument ?? new BoundLiteral(1, SqlType.Int));
        var compiled = ExpressionCompiler<RecordCursor>.CompileProjection(inputs, _interpret, _clock);
        var keyTypes = new SqlType[aggregate.Keys.Count];
        for (var i = 0; i < keyTypes.Length; i++)
            keyTypes[i] = aggregate.Keys[i].Type;
        var calls = aggregate.Aggregates.AsSpan().ToArray();
        var (window, final, retractions) = (aggregate.Window, aggregate.EmitFinal, aggregate.Retractions);
        var clocks = Windows.WindowPlanning.PartitionClocks(aggregate);
        return new Node(null, context => new Windows.WindowedAggregateOperator(records(context), compiled, keyTypes,
            calls, window, final, retractions, context.Limits, context.Budget, context.Hooks, clocks));
    }

    public override Node VisitSort(LogicalSort sort)
    {
        var rows = RowsOf(sort.Input);
        var comparer = ComparerOf(sort);
        return new Node(null, context => new SortOperator(rows(context), comparer, context.Limits, context.Budget));
    }

    /// <summary>
    /// A LIMIT over a sort keeps only OFFSET + LIMIT rows while sorting (a top-N), when that is small.
    /// </summary>
    public override Node VisitLimit(LogicalLimit limit)
    {
        var count = limit.Count;
        var offset = limit.Offset;
        Func<OperatorContext, RowOperator> rows;
        if (limit.Input is LogicalSort sort && count is { } n && n + offset <= MaxTopNRows)
        {
            var input = RowsOf(sort.Input);
            var comparer = ComparerOf(sort);
            var keep = (int)(n + offset);
            rows = context => new TopNOperator(input(context), comparer, keep, context.Limits, context.Budget);
        }
        else
        {
            rows = RowsOf(limit.Input);
        }
        return new Node(null, context => new LimitOperator(rows(context), count, offset));
    }

    public override Node VisitTableFunction(LogicalTableFunction tableFunction)
    {
        var rows = RowsOf(tableFunction.Input);
        var columns = tableFunction.FunctionColumns.AsSpan().ToArray();
        var kinds = tableFunction.Kinds.AsSpan().ToArray();
        var types = new SqlType[tableFunction.Output.Count];
        for (var i = 0; i < types.Length; i++)
            types[i] = tableFunction.Output[i].Type;
        return new Node(null, context => new TableFunctionOperator(rows(context), columns, kinds, types,
            context.Limits));
    }

    /// <summary>Above this many rows a top-N's heap is no better than sorting everything.</summary>
    private const long MaxTopNRows = 100_000;

    private static RowComparer ComparerOf(LogicalSort sort)
    {
        var keys = sort.Keys.AsSpan().ToArray();
        var columns = sort.Input.Columns;
        var kinds = new SqlTypeKind[keys.Length];
        for (var i = 0; i < kinds.Length; i++)
            kinds[i] = columns[keys[i].Column].Type.Kind;
        return new RowComparer(keys, kinds);
    }

    private Func<OperatorContext, RowOperator> RowsOf(LogicalPlan input) =>
        Visit(input).Rows ?? throw new InvalidOperationException($"{input.GetType().Name} must produce rows here");
}
