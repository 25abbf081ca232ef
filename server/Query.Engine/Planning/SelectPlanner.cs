using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Planning.Joins;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning;

/// <summary>
/// Binds a SELECT into a <see cref="BoundQuery"/>: a logical plan of Scan (or Values), Filter (WHERE), Aggregate,
/// Filter (HAVING), Project, Sort and Limit, bottom to top. Unsupported shapes (joins, windows, subqueries, set
/// operations, PARTITION BY, aggregation in push queries) are 0A000 naming the feature.
/// </summary>
public sealed partial class SelectPlanner
{
    private readonly Func<Ast.QualifiedName, StreamRuntime> _resolveSource;
    private readonly ParameterTypes _parameters;
    private readonly IReadOnlyList<object?>? _parameterValues;

    public SelectPlanner(Func<Ast.QualifiedName, StreamRuntime> resolveSource, ParameterTypes parameters,
        IReadOnlyList<object?>? parameterValues)
    {
        _resolveSource = resolveSource;
        _parameters = parameters;
        _parameterValues = parameterValues;
    }

    private static int PositionOf(Ast.SyntaxNode node) => node.Span.Start + 1;

    private BoundQuery PlanSelect(Ast.SelectQuery query, Ast.Select select)
    {
        var isPush = query.Emit != Ast.EmitKind.None;
        CheckUnsupported(select);
        CheckDistinctWindows(select);
        var (source, joins, scope) = ResolveFrom(select.From, isPush);
        if (isPush && joins is not null)
            select = StreamingJoinNames.Apply(select, scope);
        if (joins is { IsTableResult: true } && (select.GroupBy.Count > 0 || AnyAggregate(select.Items)))
            throw SqlException.FeatureNotSupported("GROUP BY over a join of tables in a push or persistent query",
                PositionOf(query));
        // A streaming join of a stream is a stream: a WINDOW groups its rows by their ROWTIME.
        var window = Windows.WindowPlanning.Check(query, select, joins is not null && isPush ? joins.FirstSource
            : source);
        var binder = NewBinder(scope, null);
        BoundExpr? where = select.Where is null ? null
            : binder.BindAs(select.Where, SqlType.Boolean, CastContext.Implicit);
        // SELECT DISTINCT a, b is GROUP BY a, b without aggregates.
        var distinct = select.Distinct && select.GroupBy.Count == 0 && !AnyAggregate(select.Items);
        var aggregates = distinct || select.GroupBy.Count > 0 || select.Having is not null
            || AnyAggregate(select.Items);
        AggregationContext? aggregation = null;
        if (aggregates)
        {
            aggregation = new AggregationContext(scope, _parameters, _parameterValues)
            {
                Binders = source => NewBinder(source, null),
            };
            foreach (var key in distinct ? DistinctKeys(select, scope) : [.. select.GroupBy])
            {
                var syntax = key is Ast.IntegerLiteral ordinal ? SelectItemAt(select, ordinal) : key;
                aggregation.AddGroupKey(syntax, ResultColumnNames.Of(syntax));
            }
            if (window is not null)
                aggregation.EnableWindow();
            binder = NewBinder(scope.WithoutColumns(), aggregation);
        }
        var tableFunctions = new List<(int Column, Functions.TableFunctionKind Kind)>();
        var (itemBinder, windows) = WindowBinding(query, select, scope, aggregation, binder, isPush);
        var (projection, columns) = BindItems(select, scope, itemBinder, tableFunctions,
            () => aggregation?.Columns ?? scope.Columns);
        if (aggregation is not null)
            aggregation.WindowBoundsVisible = false;   // ksqlDB: window bounds only in the SELECT list
        BoundExpr? having = select.Having is null ? null
            : binder.BindAs(select.Having, SqlType.Boolean, CastContext.Implicit);
        var orderBy = BindOrderBy(query, projection, columns, itemBinder, isPush);
        var limit = Count(query.Limit, "LIMIT");
        var offset = Count(query.Offset, "OFFSET") ?? 0;
        if (isPush && select.Distinct)
            throw SqlException.FeatureNotSupported("SELECT DISTINCT in push queries", PositionOf(query));
        if (select.Distinct && !distinct)
            throw SqlException.FeatureNotSupported("SELECT DISTINCT with GROUP BY or aggregates", PositionOf(query));
        if (isPush && offset > 0)
            throw SqlException.FeatureNotSupported("OFFSET in push queries", PositionOf(query));
        Func<BoundExpr?, (LogicalPlan, BoundExpr?)>? reader = joins is not null ? joins.Plan
            : _systemLeaf is { } leaf ? predicate => (leaf.Plan(predicate), null) : null;
        var inputOrder = aggregation is { InputOrder.IsEmpty: false }
            ? BindInputOrder(aggregation, scope, isPush || window is not null) : null;
        var tree = BuildTree(source, reader, where, aggregation, having, projection, columns, orderBy, limit, offset,
            isPush, tableFunctions, window, inputOrder, windows);
        return new BoundQuery(tree, new EquatableArray<ColumnInfo>([.. columns]), isPush);
    }

    private static LogicalPlan BuildTree(StreamRuntime? source,
        Func<BoundExpr?, (LogicalPlan Plan, BoundExpr? Remaining)>? reader, BoundExpr? where,
        AggregationContext? aggregation,
        BoundExpr? having, List<BoundExpr> projection, List<ColumnInfo> columns, List<SortKey> orderBy, long? limit,
        long offset, bool isPush, List<(int Column, Functions.TableFunctionKind Kind)> tableFunctions,
        LogicalWindowedAggregate? window, List<(BoundExpr Key, bool Descending, bool NullsFirst)>? inputOrder,
        WindowFunctions.WindowContext? windows)
    {
        var whereIsExact = false;
        LogicalPlan plan;
        if (reader is not null)
            (plan, where) = reader(where);
        else
            plan = source is null ? new LogicalValues()
                : TableAccess.Leaf(source, isPush, where, out whereIsExact) ?? new LogicalScan(source, isPush, where);
        if (where is not null && !whereIsExact)
            plan = new LogicalFilter(plan, where);
        if (inputOrder is not null)
            plan = OrderedInput(plan, inputOrder);
        if (aggregation is not null)
        {
            plan = window is not null
                ? window with
                {
                    Input = plan,
                    Keys = new([.. aggregation.GroupKeys]),
                    Output = new([.. aggregation.Columns]),
                    Aggregates = new([.. aggregation.Aggregates]),
                    Retractions = aggregation.RetractionsUsed,
                }
                : new LogicalAggregate(plan, new([.. aggregation.GroupKeys]), new([.. aggregation.Columns]),
                    new([.. aggregation.Aggregates]));
            if (having is not null)
                plan = new LogicalFilter(plan, having);
        }
        if (windows is not null)
            plan = WindowNode(plan, windows, projection, tableFunctions.Count > 0);
        var output = new ColumnInfo[projection.Count];
        for (var i = 0; i < output.Length; i++)
            output[i] = i < columns.Count ? columns[i] : new ColumnInfo($"ORDER_BY_{i - columns.Count + 1}",
                projection[i].Type);
        if (tableFunctions.Count > 0)
        {
            // The projection computes each table function's array; the node above turns arrays into rows.
            var arrays = (ColumnInfo[])output.Clone();
            foreach (var (column, _) in tableFunctions)
                arrays[column] = new ColumnInfo(output[column].Name, projection[column].Type);
            plan = new LogicalProject(plan, new([.. projection]), new(arrays));
            plan = new LogicalTableFunction(plan, new([.. tableFunctions.Select(f => f.Column)]),
                new([.. tableFunctions.Select(f => f.Kind)]), new(output));
        }
        else
        {
            plan = new LogicalProject(plan, new([.. projection]), new(output));
        }
        if (orderBy.Count > 0)
            plan = new LogicalSort(plan, new([.. orderBy]));
        if (limit is not null || offset > 0)
            plan = new LogicalLimit(plan, limit, offset);
        return plan;
    }

    private static List<Ast.Expr> DistinctKeys(Ast.Select select, BindScope scope)
    {
        var keys = new List<Ast.Expr>();
        foreach (var item in select.Items)
        {
            if (item is Ast.AllColumns all)
                keys.AddRange(StarColumns(all, scope));
            else
                keys.Add(((Ast.SingleColumn)item).Expression);
        }
        return keys;
    }

    /// <summary><c>*</c> or <c>alias.*</c> as references to each column, for SELECT DISTINCT *.</summary>
    private static List<Ast.Expr> StarColumns(Ast.AllColumns all, BindScope scope)
    {
        var ordinals = scope.Star(all.Qualifier?.Value, PositionOf(all));
        var columns = new List<Ast.Expr>(ordinals.Count);
        foreach (var i in ordinals)
        {
            Ast.Identifier? qualifier = null;
            foreach (var relation in scope.Relations)
            {
                if (scope.Relations.Count > 1 && i >= relation.Start && i < relation.Start + relation.Count)
                    qualifier = Ast.Identifier.QuotedName(relation.Alias ?? relation.Name!);
            }
            columns.Add(new Ast.ColumnRef(qualifier, Ast.Identifier.QuotedName(scope.Columns[i].Name))
            {
                Span = all.Span,
            });
        }
        return columns;
    }

    private ExpressionBinder NewBinder(BindScope scope, AggregationContext? aggregation,
        WindowFunctions.WindowContext? windows = null) =>
        new(scope, _parameters, aggregation)
        {
            Windows = windows,
            ParameterValues = _parameterValues,
            Session = Session,
            Outer = _outer,
            PlanSubquery = PlanSubquery,
            SubquerySettings = Subqueries,
        };

    private static void CheckUnsupported(Ast.Select select)
    {
        if (select.PartitionBy.Count > 0)
            throw SqlException.FeatureNotSupported("PARTITION BY", PositionOf(select.PartitionBy[0]));
    }

    private (StreamRuntime? Source, JoinPlanner? Joins, BindScope Scope) ResolveFrom(Ast.Relation? from,
        bool isPush)
    {
        switch (from)
        {
            case null:
                return (null, null, BindScope.Empty);
            case Ast.TableRef or Ast.SubqueryRef or Ast.FunctionRef when DerivedLeaf(from, isPush) is { } derived:
                _systemLeaf = derived;
                return (null, null,
                    new BindScope(derived.Name, derived.Alias, derived.Columns, allowPseudoColumns: false));
            case Ast.TableRef table when SystemRelationOf(table, isPush) is { } system:
                _systemLeaf = system;
                return (null, null,
                    new BindScope(system.Name, system.Alias, system.Columns, allowPseudoColumns: false));
            case Ast.TableRef table:
                if (table.ColumnAliases.Count > 0)
                    throw SqlException.FeatureNotSupported("column aliases in FROM", PositionOf(table));
                var source = _resolveSource(table.Name);
                var columns = source.Definition.Columns;
                var tableScope = new BindScope(source.Definition.Name, table.Alias?.Value, columns,
                    allowPseudoColumns: true)
                { StarOrdinals = source.Definition.StarOrder() };
                return (source, null, tableScope);
            case Ast.Join join:
                var joins = new JoinPlanner(join, ResolveJoinLeaf, scope => NewBinder(scope, null), isPush);
                return (null, joins, joins.Scope);
            default:
                throw SqlException.FeatureNotSupported("subqueries and table functions in FROM", PositionOf(from));
        }
    }

    /// <summary>A relation of a join in a bounded query: a stream is scanned (narrowed by its part of the WHERE),
    /// a table read from its state (by key lookups when its part of the WHERE pins the key).</summary>
    private JoinLeaf ResolveJoinLeaf(Ast.Relation relation)
    {
        if (DerivedLeaf(relation, isPush: false) is { } derived)
            return derived;
        if (relation is not Ast.TableRef table)
            throw SqlException.FeatureNotSupported("subqueries and table functions in FROM", PositionOf(relation));
        if (SystemRelationOf(table, isPush: false) is { } system)
            return system;
        if (table.ColumnAliases.Count > 0)
            throw SqlException.FeatureNotSupported("column aliases in FROM", PositionOf(table));
        var source = _resolveSource(table.Name);
        return new JoinLeaf(source.Definition.Name, table.Alias?.Value, source.Definition.Columns,
            where => BoundedLeaf(source, where), PositionOf(table))
        { Source = source };
    }

    private static LogicalPlan BoundedLeaf(StreamRuntime source, BoundExpr? where)
    {
        var plan = TableAccess.Leaf(source, isPush: false, where, out var whereIsExact)
            ?? new LogicalScan(source, Unbounded: false, where);
        return where is not null && !whereIsExact ? new LogicalFilter(plan, where) : plan;
    }

    private static bool AnyAggregate(Ast.EquatableArray<Ast.SelectItem> items)
    {
        foreach (var item in items)
        {
            if (item is Ast.SingleColumn column && AggregationContext.ContainsAggregate(column.Expression))
                return true;
        }
        return false;
    }

    private static Ast.Expr SelectItemAt(Ast.Select select, Ast.IntegerLiteral ordinal)
    {
        if (ordinal.Value < 1 || ordinal.Value > select.Items.Count
            || select.Items[(int)ordinal.Value - 1] is not Ast.SingleColumn column)
            throw new SqlException(SqlState.InvalidParameterValue,
                $"GROUP BY position {ordinal.Value} is not in select list", position: PositionOf(ordinal));
        return column.Expression;
    }

    // row: the columns of the row the items are computed over (the source's, or the aggregated row, which grows
    // as items name aggregates); PostgreSQL types of catalog columns carry through references to them.
    private static (List<BoundExpr>, List<ColumnInfo>) BindItems(Ast.Select select, BindScope scope,
        ExpressionBinder binder, List<(int Column, Functions.TableFunctionKind Kind)> tableFunctions,
        Func<IReadOnlyList<ColumnInfo>> row)
    {
        var projection = new List<BoundExpr>();
        var columns = new List<ColumnInfo>();
        foreach (var item in select.Items)
        {
            if (item is Ast.AllColumns star && binder.IsAggregating && select.Distinct && select.GroupBy.Count == 0)
            {
                // SELECT DISTINCT *: each column is a group key.
                foreach (var reference in StarColumns(star, scope))
                {
                    var key = binder.Bind(reference);
                    projection.Add(key);
                    columns.Add(new ColumnInfo(((Ast.ColumnRef)reference).Name.Value, key.Type)
                    {
                        PgTypeOid = PgTypeOids.Of(key, row()),
                    });
                }
                continue;
            }
            if (item is Ast.AllColumns all)
            {
                foreach (var i in scope.Star(all.Qualifier?.Value, PositionOf(all)))
                {
                    // With GROUP BY, * is every column as if named: each must be grouped (42803 otherwise, as
                    // PostgreSQL and ksqlDB say).
                    projection.Add(binder.IsAggregating
                        ? binder.Bind(new Ast.ColumnRef(all.Qualifier, Ast.Identifier.QuotedName(scope.Columns[i].Name))
                        { Span = all.Span })
                        : new BoundColumn(i, scope.DisplayName(i), scope.Columns[i].Type));
                    columns.Add(scope.Columns[i]);
                }
                continue;
            }
            var single = (Ast.SingleColumn)item;
            if (TableFunctionBinding.TryBind(single, binder, out var array, out var kind, out var resultType))
            {
                tableFunctions.Add((columns.Count, kind));
                projection.Add(array);
                columns.Add(new ColumnInfo(single.Alias?.Value ?? ResultColumnNames.Of(single.Expression),
                    resultType));
                continue;
            }
            var bound = binder.Bind(single.Expression);
            if (bound.Type.Kind == SqlTypeKind.Null || bound is BoundLiteral { IsUntypedString: true })
                bound = ExpressionBinder.Coerce(bound, SqlType.String, CastContext.Implicit, PositionOf(single));
            projection.Add(bound);
            columns.Add(new ColumnInfo(single.Alias?.Value ?? ResultColumnNames.Of(single.Expression), bound.Type)
            {
                PgTypeOid = PgTypeOids.Of(bound, row()),
            });
        }
        return (projection, columns);
    }

    private static List<SortKey> BindOrderBy(Ast.SelectQuery query, List<BoundExpr> projection,
        List<ColumnInfo> columns, ExpressionBinder binder, bool isPush)
    {
        var keys = new List<SortKey>();
        if (query.OrderBy.Count > 0 && isPush)
            throw SqlException.FeatureNotSupported("ORDER BY in push queries (EMIT CHANGES)",
                PositionOf(query.OrderBy[0]));
        foreach (var item in query.OrderBy)
        {
            var column = ResolveSortColumn(item.Expression, columns);
            if (column < 0)
            {
                var bound = binder.Bind(item.Expression);
                if (bound.Type.IsComplex)
                    throw new SqlException(SqlState.UndefinedFunction, $"cannot order by type {bound.Type}",
                        position: PositionOf(item));
                projection.Add(bound);
                column = projection.Count - 1;
            }
            var nullsFirst = item.Nulls switch
            {
                Ast.NullsOrder.First => true,
                Ast.NullsOrder.Last => false,
                _ => item.Descending,
            };
            keys.Add(new SortKey(column, item.Descending, nullsFirst));
        }
        return keys;
    }

    private static int ResolveSortColumn(Ast.Expr expression, List<ColumnInfo> columns)
    {
        if (expression is Ast.IntegerLiteral ordinal)
        {
            if (ordinal.Value < 1 || ordinal.Value > columns.Count)
                throw new SqlException(SqlState.InvalidParameterValue,
                    $"ORDER BY position {ordinal.Value} is not in select list", position: PositionOf(expression));
            return (int)ordinal.Value - 1;
        }
        if (expression is Ast.ColumnRef { Qualifier: null } column)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i].Name == column.Name.Value)
                    return i;
            }
        }
        return -1;
    }

    private long? Count(Ast.Expr? expression, string clause)
    {
        if (expression is null)
            return null;
        var bound = NewBinder(BindScope.Empty, null).BindAs(expression, SqlType.BigInt, CastContext.Implicit);
        if (bound is BoundParameter)
            return null;
        if (!ConstantEvaluator.IsConstant(bound))
            throw new SqlException(SqlState.InvalidParameterValue, $"{clause} must be a constant",
                position: PositionOf(expression));
        var value = ConstantEvaluator.Evaluate(bound) as long?;
        if (value is null or < 0)
            throw new SqlException("2201W", $"{clause} must not be negative", position: PositionOf(expression));
        return value;
    }
}
