using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Planning.Joins;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning;

/// <summary>
/// Queries within queries: WITH (each reference plans the named query again, as PostgreSQL inlines a
/// non-recursive CTE), WITH RECURSIVE, subqueries in FROM, table functions in FROM, subqueries in expressions
/// (planned by a nested planner that sees this query's names as outer names), and UNION / INTERSECT / EXCEPT.
/// </summary>
public sealed partial class SelectPlanner
{
    private CteScope? _ctes;
    private OuterScope? _outer;
    private PlanningState _state = new();

    /// <summary>Limits of subqueries and recursive WITH queries.</summary>
    public SubquerySettings Subqueries { get; init; } = SubquerySettings.Default;

    /// <summary>What every planner of one statement shares.</summary>
    private sealed class PlanningState
    {
        /// <summary>The plan holds per-run state (subquery evaluators, work tables): compile it per statement.
        /// </summary>
        public bool Reusable { get; set; } = true;

        /// <summary>Named queries being planned (a reference to one of them is a recursion).</summary>
        public HashSet<CteDefinition> Planning { get; } = [];
    }

    private sealed record CteDefinition(Ast.NamedQuery Query, bool Recursive, CteScope Scope)
    {
        /// <summary>While its recursive term is planned: the work table its self-reference reads.</summary>
        public WorkTable? WorkTable { get; set; }
    }

    private sealed class CteScope(CteScope? parent)
    {
        public Dictionary<string, CteDefinition> Queries { get; } = [];

        public CteDefinition? Find(string name) => Queries.TryGetValue(name, out var found) ? found
            : parent?.Find(name);
    }

    public BoundQuery Plan(Ast.SelectQuery query)
    {
        var saved = _ctes;
        try
        {
            if (query.With is { } with)
            {
                var scope = new CteScope(saved);
                foreach (var named in with.Queries)
                {
                    if (!scope.Queries.TryAdd(named.Name.Value, new CteDefinition(named, with.Recursive, scope)))
                        throw new SqlException("42712", $"WITH query name \"{named.Name.Value}\" specified more than "
                            + "once", position: PositionOf(named));
                }
                _ctes = scope;
            }
            var bound = query.Body is Ast.Select select ? PlanSelect(query, select) : PlanCompound(query);
            return bound with { Reusable = _state.Reusable };
        }
        finally
        {
            _ctes = saved;
        }
    }

    private SelectPlanner Nested(OuterScope? outer, CteScope? ctes) =>
        new(_resolveSource, _parameters, _parameterValues)
        {
            SystemCatalog = SystemCatalog,
            Session = Session,
            Subqueries = Subqueries,
            _outer = outer,
            _ctes = ctes,
            _state = _state,
        };

    /// <summary>A subquery of an expression: the binder's names are its outer names.</summary>
    private BoundQuery PlanSubquery(Ast.SelectQuery query, OuterScope outer)
    {
        _state.Reusable = false;
        return Nested(outer, _ctes).Plan(query);
    }

    /// <summary>A relation of FROM that is not a stream, table or system relation: a named query of WITH, a
    /// subquery, or a table function; null for the others.</summary>
    private JoinLeaf? DerivedLeaf(Ast.Relation relation, bool isPush)
    {
        if (relation is Ast.SubqueryRef { Lateral: true } or Ast.FunctionRef { Lateral: true })
            throw SqlException.FeatureNotSupported("LATERAL (a FROM item reading columns of the items before it; "
                + "a correlated subquery in the select list or WHERE can often say the same)", PositionOf(relation));
        JoinLeaf? leaf = relation switch
        {
            Ast.TableRef { Name.Parts.Count: 1 } table when _ctes?.Find(table.Name.Name.Value) is { } cte =>
                NamedQueryLeaf(table, cte),
            Ast.SubqueryRef subquery => SubqueryLeaf(subquery),
            Ast.FunctionRef function => FunctionLeaf(function),
            _ => null,
        };
        if (leaf is not null && isPush)
            throw SqlException.FeatureNotSupported("a push query over a subquery, WITH query or table function",
                PositionOf(relation));
        return leaf;
    }

    private JoinLeaf SubqueryLeaf(Ast.SubqueryRef subquery)
    {
        if (subquery.Alias is null)
            throw new SqlException(SqlState.SyntaxError, "subquery in FROM must have an alias",
                position: PositionOf(subquery), hint: "For example, FROM (SELECT ...) [AS] foo.");
        var bound = Nested(_outer, _ctes).Plan(subquery.Query);
        return RowsLeaf(bound, subquery.Alias.Value, subquery.Alias.Value, subquery.ColumnAliases,
            PositionOf(subquery));
    }

    private JoinLeaf NamedQueryLeaf(Ast.TableRef table, CteDefinition cte)
    {
        var name = cte.Query.Name.Value;
        var position = PositionOf(table);
        if (cte.WorkTable is { } workTable)
        {
            workTable.Referenced = true;
            return new JoinLeaf(name, table.Alias?.Value, [.. workTable.Columns],
                where => Filtered(new LogicalWorkTableScan(workTable), where), position);
        }
        if (!_state.Planning.Add(cte))
            throw cte.Recursive
                ? SqlException.FeatureNotSupported($"this recursive reference to query \"{name}\" (it must be in "
                    + "the second term of a UNION [ALL] in its own definition)", position)
                : new SqlException(SqlState.UndefinedTable, $"relation \"{name}\" does not exist", position: position,
                    hint: "A WITH query refers to itself only under WITH RECURSIVE.");
        try
        {
            var planner = Nested(_outer, cte.Scope);
            var bound = cte.Recursive && cte.Query.Query.Body is Ast.SetOperation
            {
                Operator: Ast.SetOperator.Union,
            } union
                ? planner.PlanRecursive(cte, union)
                : planner.Plan(cte.Query.Query);
            var columnAliases = table.ColumnAliases.Count > 0 ? table.ColumnAliases : cte.Query.Columns;
            return RowsLeaf(bound, name, table.Alias?.Value, columnAliases, position);
        }
        finally
        {
            _state.Planning.Remove(cte);
        }
    }

    /// <summary>Plans the recursive term with its self-reference reading a work table of the anchor's columns.
    /// A term that never reads it is an ordinary UNION.</summary>
    private BoundQuery PlanRecursive(CteDefinition cte, Ast.SetOperation union)
    {
        var query = cte.Query.Query;
        var anchor = PlanBody(union.Left);
        var columns = Renamed(anchor.Columns, cte.Query.Columns, cte.Query.Name.Value, PositionOf(cte.Query));
        var workTable = new WorkTable(columns, cte.Query.Name.Value);
        cte.WorkTable = workTable;
        BoundQuery recursive;
        try
        {
            recursive = PlanBody(union.Right);
        }
        finally
        {
            cte.WorkTable = null;
        }
        if (!workTable.Referenced)
            return Plan(query);
        if (!query.OrderBy.IsEmpty || query.Limit is not null || query.Offset is not null)
            throw SqlException.FeatureNotSupported("ORDER BY / LIMIT / OFFSET in a recursive query",
                PositionOf(query));
        _state.Reusable = false;
        var right = Conform(recursive, columns, "recursive query", PositionOf(union.Right));
        var root = new LogicalRecursiveUnion(Visible(anchor), right, workTable, union.All);
        return new BoundQuery(root, columns, IsPush: false);
    }

    private JoinLeaf FunctionLeaf(Ast.FunctionRef function)
    {
        var call = function.Call;
        var name = call.Name.Name.Value;
        var position = PositionOf(function);
        var binder = NewBinder(BindScope.Empty, null);
        if (name.Equals(TableFunctions.PgExpandArrayName, StringComparison.OrdinalIgnoreCase))
            return ExpandArrayLeaf(function, binder);
        var setReturning = name.ToUpperInvariant() is "UNNEST" or "GENERATE_SERIES";
        var array = name.Equals("unnest", StringComparison.OrdinalIgnoreCase) && call.Arguments.Count == 1
            ? binder.Bind(call.Arguments[0])
            : PgSeriesFunctions.BindInFrom(call, binder, position) ?? binder.Bind(call);
        if (!setReturning)
            return ValueLeaf(function, array, name, position);
        if (array.Type is not ArrayType arrayType)
            throw new SqlException(SqlState.UndefinedFunction, $"function {name}({array.Type}) does not exist",
                position: position);
        var columnName = function.ColumnAliases.Count > 0 ? function.ColumnAliases[0].Value
            : function.Alias?.Value ?? name;
        if (function.ColumnAliases.Count > 1)
            throw new SqlException(SqlState.SyntaxError, $"table \"{columnName}\" has 1 columns available but "
                + $"{function.ColumnAliases.Count} columns specified", position: position);
        var column = new ColumnInfo(columnName, arrayType.Element);
        LogicalPlan plan = new LogicalProject(new LogicalValues(), new([array]),
            new([new ColumnInfo(columnName, arrayType)]));
        plan = new LogicalTableFunction(plan, new([0]), new([TableFunctionKind.Explode]), new([column]));
        return new JoinLeaf(function.Alias?.Value ?? name, function.Alias?.Value, [column],
            where => Filtered(plan, where), position);
    }

    /// <summary><c>information_schema._pg_expandarray(a) [AS] e[(x, n)]</c>: a row per element, columns x (the
    /// element) and n (its subscript).</summary>
    private static JoinLeaf ExpandArrayLeaf(Ast.FunctionRef function, ExpressionBinder binder)
    {
        var position = PositionOf(function);
        var call = function.Call;
        if (call.Arguments.Count != 1)
            throw new SqlException(SqlState.UndefinedFunction, "function _pg_expandarray takes exactly one array",
                position: position);
        var array = binder.Bind(call.Arguments[0]);
        if (array.Type is not ArrayType arrayType)
            throw new SqlException(SqlState.UndefinedFunction, $"function _pg_expandarray({array.Type}) does not exist",
                position: position);
        var name = function.Alias?.Value ?? "_pg_expandarray";
        var columns = Renamed(new([new ColumnInfo("x", arrayType.Element), new ColumnInfo("n", SqlType.Int)]),
            function.ColumnAliases, name, position);
        LogicalPlan plan = new LogicalProject(new LogicalValues(), new([array, array]),
            new([new ColumnInfo(columns[0].Name, arrayType), new ColumnInfo(columns[1].Name, arrayType)]));
        plan = new LogicalTableFunction(plan, new([0, 1]),
            new([TableFunctionKind.Explode, TableFunctionKind.GenerateSubscripts]), new([.. columns]));
        return new JoinLeaf(name, function.Alias?.Value, [.. columns], where => Filtered(plan, where), position);
    }

    /// <summary>A function that is not set-returning, in FROM: one row holding its value (PostgreSQL's rule).
    /// </summary>
    private static JoinLeaf ValueLeaf(Ast.FunctionRef function, BoundExpr value, string name, int position)
    {
        if (function.ColumnAliases.Count > 1)
            throw new SqlException(SqlState.SyntaxError, $"table \"{name}\" has 1 columns available but "
                + $"{function.ColumnAliases.Count} columns specified", position: position);
        var column = new ColumnInfo(function.ColumnAliases.Count > 0 ? function.ColumnAliases[0].Value
            : function.Alias?.Value ?? name, value.Type.Kind == SqlTypeKind.Null ? SqlType.String : value.Type);
        if (value.Type.Kind == SqlTypeKind.Null)
            value = ExpressionBinder.Coerce(value, SqlType.String, CastContext.Implicit, position);
        LogicalPlan plan = new LogicalProject(new LogicalValues(), new([value]), new([column]));
        return new JoinLeaf(function.Alias?.Value ?? name, function.Alias?.Value, [column],
            where => Filtered(plan, where), position);
    }

    /// <summary>A relation whose rows a bound query computes, its columns renamed by the aliases.</summary>
    private static JoinLeaf RowsLeaf(BoundQuery bound, string name, string? alias,
        Ast.EquatableArray<Ast.Identifier> columnAliases, int position)
    {
        var columns = Renamed(bound.Columns, columnAliases, alias ?? name, position);
        var root = Visible(bound);
        return new JoinLeaf(name, alias, [.. columns], where => Filtered(root, where), position);
    }

    /// <summary>The ORDER BY inside aggregate calls, bound over the aggregation's input row.</summary>
    private List<(BoundExpr Key, bool Descending, bool NullsFirst)> BindInputOrder(AggregationContext aggregation,
        BindScope scope, bool streaming)
    {
        var position = PositionOf(aggregation.InputOrder[0]);
        if (streaming)
            throw SqlException.FeatureNotSupported("ORDER BY inside an aggregate of a push query or a WINDOW",
                position);
        var binder = NewBinder(scope, null);
        var keys = new List<(BoundExpr, bool, bool)>();
        var read = new List<BoundExpr>(aggregation.GroupKeys);
        foreach (var item in aggregation.InputOrder)
        {
            var key = binder.Bind(item.Expression);
            if (key.Type.IsComplex)
                throw new SqlException(SqlState.UndefinedFunction, $"cannot order by type {key.Type}",
                    position: PositionOf(item));
            read.Add(key);
            keys.Add((key, item.Descending, item.Nulls == Ast.NullsOrder.Default ? item.Descending
                : item.Nulls == Ast.NullsOrder.First));
        }
        foreach (var call in aggregation.Aggregates)
        {
            if (call.Argument is { } argument)
                read.Add(argument);
        }
        // The ordered rows are computed rows: a record's ROWTIME and the like are not in them.
        foreach (var expression in read)
        {
            if (BoundColumns.Range(expression).Min == int.MinValue)
                throw SqlException.FeatureNotSupported("ROWTIME, ROWOFFSET or ROWPARTITION in an aggregation whose "
                    + "aggregate has its own ORDER BY", position);
        }
        return keys;
    }

    /// <summary>The input with the ordering keys appended, sorted by them.</summary>
    private static LogicalPlan OrderedInput(LogicalPlan plan,
        List<(BoundExpr Key, bool Descending, bool NullsFirst)> order)
    {
        var columns = plan.Columns;
        var width = columns.Count;
        var expressions = new BoundExpr[width + order.Count];
        var output = new ColumnInfo[expressions.Length];
        var keys = new SortKey[order.Count];
        for (var i = 0; i < width; i++)
        {
            expressions[i] = new BoundColumn(i, columns[i].Name, columns[i].Type);
            output[i] = columns[i];
        }
        for (var j = 0; j < order.Count; j++)
        {
            expressions[width + j] = order[j].Key;
            output[width + j] = new ColumnInfo($"ORDER_KEY_{j + 1}", order[j].Key.Type);
            keys[j] = new SortKey(width + j, order[j].Descending, order[j].NullsFirst);
        }
        return new LogicalSort(new LogicalProject(plan, new(expressions), new(output)), new(keys));
    }

    private static LogicalPlan Filtered(LogicalPlan plan, BoundExpr? where) =>
        where is null ? plan : new LogicalFilter(plan, where);

    private static EquatableArray<ColumnInfo> Renamed(EquatableArray<ColumnInfo> columns,
        Ast.EquatableArray<Ast.Identifier> aliases, string relation, int position)
    {
        if (aliases.Count > columns.Count)
            throw new SqlException(SqlState.SyntaxError, $"table \"{relation}\" has {columns.Count} columns "
                + $"available but {aliases.Count} columns specified", position: position);
        var renamed = new ColumnInfo[columns.Count];
        for (var i = 0; i < renamed.Length; i++)
            renamed[i] = i < aliases.Count ? columns[i] with { Name = aliases[i].Value } : columns[i];
        return new(renamed);
    }

    /// <summary>The query's plan without the hidden columns only its ORDER BY read.</summary>
    private static LogicalPlan Visible(BoundQuery bound)
    {
        if (bound.Root.Columns.Count == bound.Columns.Count)
            return bound.Root;
        var columns = new BoundExpr[bound.Columns.Count];
        for (var i = 0; i < columns.Length; i++)
            columns[i] = new BoundColumn(i, bound.Columns[i].Name, bound.Columns[i].Type);
        return new LogicalProject(bound.Root, new(columns), bound.Columns);
    }

    /// <summary>The query's visible columns cast to <paramref name="columns"/>' types (a set operation's sides,
    /// a recursive term).</summary>
    private static LogicalPlan Conform(BoundQuery bound, EquatableArray<ColumnInfo> columns, string what,
        int position)
    {
        if (bound.Columns.Count != columns.Count)
            throw new SqlException(SqlState.SyntaxError, $"each {what} must have the same number of columns",
                position: position);
        var root = Visible(bound);
        var same = true;
        var expressions = new BoundExpr[columns.Count];
        for (var i = 0; i < expressions.Length; i++)
        {
            BoundExpr column = new BoundColumn(i, bound.Columns[i].Name, bound.Columns[i].Type);
            if (bound.Columns[i].Type != columns[i].Type)
            {
                same = false;
                column = ExpressionBinder.Coerce(column, columns[i].Type, CastContext.Explicit, position);
            }
            expressions[i] = column;
        }
        return same ? root : new LogicalProject(root, new(expressions), columns);
    }
}
