using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

/// <summary>One aggregate of a query: its function, its argument over the source row, and its types.</summary>
public sealed record BoundAggregate(AggregateKind Kind, BoundExpr? Argument, SqlType? InputType, SqlType ResultType)
{
    /// <summary>A constant argument after the value (TOPK's k, LATEST_BY_OFFSET's n); 0 when the aggregate has
    /// none.</summary>
    public int Parameter { get; init; }

    /// <summary>LATEST_BY_OFFSET / EARLIEST_BY_OFFSET with ignoreNulls = false: NULL values count too.</summary>
    public bool KeepNulls { get; init; }
}

/// <summary>
/// Binding state of an aggregation. The aggregated row has the GROUP BY keys first, then one column per
/// distinct aggregate call; SELECT, HAVING and ORDER BY are bound over that row: an expression equal to a
/// GROUP BY expression (compared as syntax, ignoring positions) or an aggregate call becomes its column.
/// </summary>
public sealed class AggregationContext
{
    private readonly BindScope _source;
    private readonly ParameterTypes _parameters;
    private readonly List<Ast.Expr> _groupSyntax = [];
    private readonly List<(AggregateKind Kind, Ast.Expr? Argument, Ast.EquatableArray<Ast.Expr> Arguments)>
        _aggregateSyntax = [];

    private readonly IReadOnlyList<object?>? _parameterValues;

    public AggregationContext(BindScope source, ParameterTypes parameters, IReadOnlyList<object?>? parameterValues)
    {
        _source = source;
        _parameters = parameters;
        _parameterValues = parameterValues;
    }

    private ExpressionBinder SourceBinder() => Binders?.Invoke(_source)
        ?? new(_source, _parameters) { ParameterValues = _parameterValues };

    /// <summary>Makes the binders of keys and arguments (with the query's outer names and subqueries); null: plain
    /// binders.</summary>
    public Func<BindScope, ExpressionBinder>? Binders { get; init; }

    /// <summary>The ORDER BY written inside aggregate calls (<c>array_agg(x ORDER BY y)</c>): the aggregation reads
    /// its input in this order. Empty when none.</summary>
    public Ast.EquatableArray<Ast.SortItem> InputOrder { get; private set; }

    /// <summary>Records an aggregate's ORDER BY; every ordered aggregate of a query must order the same way.
    /// </summary>
    public void OrderInput(Ast.EquatableArray<Ast.SortItem> order, int position)
    {
        if (!InputOrder.IsEmpty && !InputOrder.Equals(order))
            throw SqlException.FeatureNotSupported("aggregates of one query ordered by different ORDER BYs",
                position);
        InputOrder = order;
    }

    public List<BoundExpr> GroupKeys { get; } = [];

    public List<string> GroupKeyNames { get; } = [];

    public List<BoundAggregate> Aggregates { get; } = [];

    public void AddGroupKey(Ast.Expr syntax, string name)
    {
        var binder = SourceBinder();
        var bound = binder.Bind(syntax);
        if (bound.Type.Kind == SqlTypeKind.Null)
            bound = ExpressionBinder.Coerce(bound, SqlType.String, CastContext.Implicit, syntax.Span.Start + 1);
        _groupSyntax.Add(syntax);
        GroupKeys.Add(bound);
        GroupKeyNames.Add(name);
    }

    public bool IsSourceColumn(string name) => _source.IndexOf(name) >= 0;

    /// <summary>A hidden column of a windowed aggregation's row that marks a retracted session (persistent queries
    /// select it to write tombstones).</summary>
    public const string RetractionColumn = "__QUERY_WINDOW_RETRACTION";

    /// <summary>Columns a WINDOW adds after the keys: WINDOWSTART, WINDOWEND, the retraction flag.</summary>
    private int WindowColumns => IsWindowed ? 3 : 0;

    /// <summary>A windowed aggregation: its row has WINDOWSTART, WINDOWEND and the retraction flag after the keys.
    /// </summary>
    public bool IsWindowed { get; private set; }

    /// <summary>Whether WINDOWSTART / WINDOWEND may be named now (the SELECT list only, as in ksqlDB).</summary>
    public bool WindowBoundsVisible { get; set; }

    /// <summary>Whether the retraction flag was bound (so the aggregate emits retractions).</summary>
    public bool RetractionsUsed { get; private set; }

    /// <summary>Makes this a windowed aggregation; call before binding any aggregate.</summary>
    public void EnableWindow()
    {
        IsWindowed = true;
        WindowBoundsVisible = true;
    }

    private bool TryGetWindowColumn(Ast.Expr expression, out BoundExpr column)
    {
        column = null!;
        if (!IsWindowed || expression is not Ast.ColumnRef reference)
            return false;
        if (reference.IsPseudoColumn && WindowBoundsVisible
            && reference.PseudoColumn is Ast.PseudoColumn.WindowStart or Ast.PseudoColumn.WindowEnd)
        {
            var end = reference.PseudoColumn == Ast.PseudoColumn.WindowEnd;
            var name = end ? Catalog.StreamDefinition.WindowEndName : Catalog.StreamDefinition.WindowStartName;
            column = new BoundColumn(GroupKeys.Count + (end ? 1 : 0), name, SqlType.BigInt);
            return true;
        }
        if (reference.Qualifier is null
            && string.Equals(reference.Name.Value, RetractionColumn, StringComparison.OrdinalIgnoreCase))
        {
            RetractionsUsed = true;
            column = new BoundColumn(GroupKeys.Count + 2, RetractionColumn, SqlType.Boolean);
            return true;
        }
        return false;
    }

    public bool TryGetGroupColumn(Ast.Expr expression, out BoundExpr column)
    {
        if (TryGetWindowColumn(expression, out column))
            return true;
        for (var i = 0; i < _groupSyntax.Count; i++)
        {
            if (_groupSyntax[i].Equals(expression))
            {
                column = new BoundColumn(i, GroupKeyNames[i], GroupKeys[i].Type);
                return true;
            }
        }
        column = null!;
        return false;
    }

    public BoundExpr AddAggregate(AggregateKind kind, Ast.Expr? argument, Ast.FunctionCall call, int position)
    {
        var name = call.Name.Name.Value;
        var second = call.Arguments.Count > 1 ? call.Arguments[1] : null;
        var third = call.Arguments.Count > 2 ? call.Arguments[2] : null;
        for (var i = 0; i < _aggregateSyntax.Count; i++)
        {
            if (_aggregateSyntax[i].Kind == kind && Equals(_aggregateSyntax[i].Argument, argument)
                && _aggregateSyntax[i].Arguments.Equals(call.Arguments))
                return new BoundColumn(GroupKeys.Count + WindowColumns + i, name, Aggregates[i].ResultType);
        }
        BoundExpr? bound = null;
        if (argument is not null)
        {
            if (ContainsAggregate(argument))
                throw new SqlException(SqlState.GroupingError, "aggregate function calls cannot be nested",
                    position: position);
            bound = SourceBinder().Bind(argument);
            // MIN(NULL), LATEST_BY_OFFSET(NULL): an untyped NULL is read as text, as PostgreSQL resolves unknown.
            if (bound.Type.Kind == SqlTypeKind.Null)
                bound = ExpressionBinder.Coerce(bound, SqlType.String, CastContext.Implicit, position);
        }
        if (kind is AggregateKind.TopK or AggregateKind.TopKDistinct && bound is { Type.IsComplex: true })
            throw TopKTypeError(call, position);
        var (input, result) = AggregateFunctions.Types(kind, bound?.Type, position);
        var parameter = 0;
        if (kind == AggregateKind.TopK && call.Arguments.Count > 2)
            (bound, input, result) = TopKColumns(bound!, call, position);
        else if (kind == AggregateKind.Correlation && bound is not null)
            bound = AggregateArguments.Pair(bound, SourceBinder().Bind(second!), position);
        else if (bound is not null && input is not null)
            bound = ExpressionBinder.Coerce(bound, input, CastContext.Implicit, position);
        var keepNulls = false;
        if (kind is AggregateKind.TopK or AggregateKind.TopKDistinct)
            parameter = AggregateArguments.TopK(call.Arguments[^1], call.Name.Name.Value, position);
        else if (kind is AggregateKind.LatestByOffset or AggregateKind.EarliestByOffset && second is not null)
        {
            (parameter, keepNulls) = AggregateArguments.ByOffset(second, third, call.Name.Name.Value, position);
            if (parameter > 0)
                result = new ArrayType(result);
        }
        _aggregateSyntax.Add((kind, argument, call.Arguments));
        Aggregates.Add(new BoundAggregate(kind, bound, input ?? bound?.Type, result)
        {
            Parameter = parameter,
            KeepNulls = keepNulls,
        });
        return new BoundColumn(GroupKeys.Count + WindowColumns + Aggregates.Count - 1, name, result);
    }

    /// <summary>
    /// TOPK(sort_col, col1, ..., k), ksqlDB's several-column form: the row's columns as one STRUCT (sort_col, col0,
    /// col1, ...) per row, ranked by its first field; the result is an ARRAY of those STRUCTs.
    /// </summary>
    private (BoundExpr Row, SqlType Input, SqlType Result) TopKColumns(BoundExpr sort, Ast.FunctionCall call,
        int position)
    {
        var others = new BoundExpr[call.Arguments.Count - 2];
        for (var i = 0; i < others.Length; i++)
            others[i] = SourceBinder().Bind(call.Arguments[i + 1]);
        var row = AggregateArguments.TopKRow(sort, others, position);
        return (row, row.Type, new ArrayType(row.Type));
    }

    /// <summary>A TOPK over a value it cannot rank, in ksqlDB's words, with every argument's type.</summary>
    private SqlException TopKTypeError(Ast.FunctionCall call, int position)
    {
        var types = new string[call.Arguments.Count];
        for (var i = 0; i < types.Length; i++)
            types[i] = SourceBinder().Bind(call.Arguments[i]).Type.ToString();
        return new SqlException(SqlState.UndefinedFunction, $"Function '{call.Name.Name.Value.ToLowerInvariant()}' "
            + $"does not accept parameters ({string.Join(", ", types)}).", position: position,
            hint: "The ranked (first) argument must be a scalar (INT, BIGINT, DOUBLE, STRING, DECIMAL, a date or time, "
                + "BOOLEAN or BYTES), not an ARRAY, MAP or STRUCT.");
    }

    /// <summary>The aggregated row's columns: keys then aggregates.</summary>
    public IReadOnlyList<ColumnInfo> Columns
    {
        get
        {
            var columns = new List<ColumnInfo>();
            for (var i = 0; i < GroupKeys.Count; i++)
            {
                columns.Add(new ColumnInfo(GroupKeyNames[i], GroupKeys[i].Type)
                {
                    PgTypeOid = PgTypeOids.Of(GroupKeys[i], _source.Columns),
                });
            }
            if (IsWindowed)
            {
                columns.Add(new ColumnInfo(Catalog.StreamDefinition.WindowStartName, SqlType.BigInt));
                columns.Add(new ColumnInfo(Catalog.StreamDefinition.WindowEndName, SqlType.BigInt));
                columns.Add(new ColumnInfo(RetractionColumn, SqlType.Boolean));
            }
            foreach (var aggregate in Aggregates)
            {
                columns.Add(new ColumnInfo(aggregate.Kind.ToString(), aggregate.ResultType)
                {
                    PgTypeOid = PgTypeOids.OfAggregate(aggregate, _source.Columns),
                });
            }
            return columns;
        }
    }

    /// <summary>Whether an expression calls an aggregate function anywhere (decides if a SELECT aggregates).</summary>
    public static bool ContainsAggregate(Ast.Expr? expression)
    {
        Limits.DepthGuard.Enter();
        return ContainsAggregateCore(expression);
    }

    private static bool ContainsAggregateCore(Ast.Expr? expression) => expression switch
    {
        null => false,
        Ast.FunctionCall call => (call.Over is null && (AggregateFunctions.IsAggregate(call.Name.Name.Value)
            || call.Name.Name.Value.Equals("string_agg", StringComparison.OrdinalIgnoreCase)))
            || Any(call.Arguments),
        Ast.UnaryExpr u => ContainsAggregate(u.Operand),
        Ast.BinaryExpr b => ContainsAggregate(b.Left) || ContainsAggregate(b.Right),
        Ast.IsNullExpr n => ContainsAggregate(n.Operand),
        Ast.BetweenExpr b => ContainsAggregate(b.Operand) || ContainsAggregate(b.Low) || ContainsAggregate(b.High),
        Ast.InListExpr l => ContainsAggregate(l.Operand) || Any(l.Items),
        Ast.LikeExpr l => ContainsAggregate(l.Operand) || ContainsAggregate(l.Pattern),
        Ast.CaseExpr c => ContainsAggregate(c.Operand) || ContainsAggregate(c.Else) || AnyWhen(c.WhenClauses),
        Ast.CastExpr c => ContainsAggregate(c.Operand),
        Ast.SubscriptExpr s => ContainsAggregate(s.Base) || ContainsAggregate(s.Index),
        Ast.FieldAccessExpr f => ContainsAggregate(f.Base),
        Ast.ArrayConstructor a => Any(a.Items),
        Ast.CollateExpr c => ContainsAggregate(c.Operand),
        _ => false,
    };

    private static bool Any(Ast.EquatableArray<Ast.Expr> items)
    {
        foreach (var item in items)
        {
            if (ContainsAggregate(item))
                return true;
        }
        return false;
    }

    private static bool AnyWhen(Ast.EquatableArray<Ast.WhenClause> whens)
    {
        foreach (var when in whens)
        {
            if (ContainsAggregate(when.Condition) || ContainsAggregate(when.Result))
                return true;
        }
        return false;
    }
}
