using Query.Engine.Errors;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

/// <summary>
/// Binds the grammar's expressions to typed <see cref="BoundExpr"/> trees: resolves names against the scope,
/// infers <c>$n</c> types from context, and makes PostgreSQL's implicit casts explicit. A quoted string literal
/// compared with a typed value takes that value's type (parsed now, so a bad literal is 22P02 at bind time);
/// compared with ROWTIME it is read as an ISO-8601 timestamp. In an aggregation, expressions are bound over the
/// aggregated row: GROUP BY expressions and aggregate calls become its columns.
/// </summary>
public sealed partial class ExpressionBinder
{
    private readonly BindScope _scope;
    private readonly ParameterTypes _parameters;
    private readonly AggregationContext? _aggregation;

    public ExpressionBinder(BindScope scope, ParameterTypes parameters, AggregationContext? aggregation = null)
    {
        _scope = scope;
        _parameters = parameters;
        _aggregation = aggregation;
    }

    private static int PositionOf(Ast.SyntaxNode node) => node.Span.Start + 1;

    /// <summary>Values for <c>$n</c> at execution; null while preparing (parameters stay placeholders).</summary>
    public IReadOnlyList<object?>? ParameterValues { get; init; }

    public bool IsAggregating => _aggregation is not null;

    /// <summary>Where window function calls (<c>... OVER (...)</c>) go: the select list and ORDER BY of a pull query
    /// have one; elsewhere (WHERE, GROUP BY, HAVING, arguments of a window function) a call is 42P20.</summary>
    public WindowFunctions.WindowContext? Windows { get; init; }

    public BoundExpr Bind(Ast.Expr expression, SqlType? hint = null)
    {
        Limits.DepthGuard.Enter();
        if (_aggregation is not null && _aggregation.TryGetGroupColumn(expression, out var groupColumn))
            return groupColumn;
        return expression switch
        {
            Ast.Literal literal => BindLiteral(literal),
            Ast.Parameter parameter => BindParameter(parameter, hint),
            Ast.ColumnRef column => BindColumn(column),
            Ast.UnaryExpr unary => BindUnary(unary, hint),
            Ast.BinaryExpr binary => BindBinary(binary),
            Ast.IsNullExpr isNull => new BoundIsNull(Bind(isNull.Operand), isNull.Negated),
            Ast.BetweenExpr between => BindBetween(between),
            Ast.InListExpr inList => BindInList(inList),
            Ast.LikeExpr like => BindLike(like),
            Ast.CaseExpr caseExpression => BindCase(caseExpression, hint),
            Ast.CastExpr cast => BindCast(cast),
            Ast.FunctionCall call => BindCall(call, hint),
            Ast.SubscriptExpr subscript => BindSubscript(subscript),
            Ast.FieldAccessExpr field => BindFieldAccess(field),
            Ast.ArrayConstructor array => BindArray(array, hint as ArrayType),
            Ast.MapConstructor map => BindMap(map, hint as MapType),
            Ast.StructConstructor structure => BindStruct(structure, hint as StructType),
            Ast.CollateExpr collate => Bind(collate.Operand, hint),
            Ast.LambdaExpr => throw new SqlException(SqlState.SyntaxError,
                "a lambda (x => ...) is allowed only as an argument of TRANSFORM, FILTER or REDUCE",
                position: PositionOf(expression)),
            Ast.SubqueryExpr subquery =>
                BindSubquery(SubqueryKind.Scalar, subquery.Query, null, BinaryOp.Equal, subquery),
            Ast.ExistsExpr exists => BindSubquery(SubqueryKind.Exists, exists.Query, null, BinaryOp.Equal, exists),
            Ast.ArraySubqueryExpr array => BindSubquery(SubqueryKind.Array, array.Query, null, BinaryOp.Equal, array),
            Ast.InSubqueryExpr inSubquery => BindInSubquery(inSubquery),
            Ast.QuantifiedComparisonExpr quantified => BindQuantified(quantified),
            _ => throw SqlException.FeatureNotSupported($"expression {expression.GetType().Name}",
                PositionOf(expression)),
        };
    }

    /// <summary>Binds and casts to <paramref name="target"/> as an assignment (INSERT) or implicitly.</summary>
    public BoundExpr BindAs(Ast.Expr expression, SqlType target, CastContext context) =>
        Coerce(Bind(expression, target), target, context, PositionOf(expression));

    private BoundExpr BindParameter(Ast.Parameter parameter, SqlType? hint)
    {
        var index = parameter.Index - 1;
        var type = _parameters.Infer(index, hint);
        if (ParameterValues is null)
            return new BoundParameter(index, type);
        if (index >= ParameterValues.Count)
            throw new SqlException(SqlState.InvalidParameterCount,
                $"statement needs parameter ${parameter.Index} but {ParameterValues.Count} were supplied",
                position: PositionOf(parameter));
        try
        {
            return new BoundLiteral(ParameterConverter.ToEngineValue(ParameterValues[index], type), type);
        }
        catch (SqlException e)
        {
            throw e.WithPosition(PositionOf(parameter));
        }
    }

    private BoundExpr BindLiteral(Ast.Literal literal)
    {
        var position = PositionOf(literal);
        try
        {
            return literal switch
            {
                Ast.NullLiteral => BoundLiteral.Null(SqlType.Null),
                Ast.BooleanLiteral b => new BoundLiteral(b.Value, SqlType.Boolean),
                Ast.IntegerLiteral { Value: >= int.MinValue and <= int.MaxValue } i => new BoundLiteral((int)i.Value,
                    SqlType.Int),
                Ast.IntegerLiteral i => new BoundLiteral(i.Value, SqlType.BigInt),
                Ast.DecimalLiteral d => DecimalLiteral(d.Text, position),
                Ast.DoubleLiteral d => new BoundLiteral(d.Value, SqlType.Double),
                Ast.StringLiteral s => new BoundLiteral(s.Value, SqlType.String) { IsUntypedString = true },
                Ast.TimestampLiteral t => new BoundLiteral(Temporal.ParseTimestamp(t.Value), SqlType.Timestamp),
                Ast.DateLiteral d => new BoundLiteral(Temporal.ParseDate(d.Value), SqlType.Date),
                Ast.TimeLiteral t => new BoundLiteral(Temporal.ParseTime(t.Value), SqlType.Time),
                Ast.IntervalLiteral interval => new BoundLiteral(IntervalMs(interval, position), SqlType.BigInt),
                _ => throw SqlException.FeatureNotSupported($"literal {literal.GetType().Name}", position),
            };
        }
        catch (SqlException e)
        {
            throw e.WithPosition(position);
        }
    }

    private static BoundLiteral DecimalLiteral(string text, int position)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var scale = dot < 0 ? 0 : text.Length - dot - 1;
        var digits = 0;
        foreach (var c in text)
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        if (digits > DecimalType.WideMaxPrecision)
            throw SqlException.OutOfRange("numeric", position);
        var type = new DecimalType(Math.Max(digits, Math.Max(scale, 1)), scale);
        // Up to 28 digits a literal is a System.Decimal; 29 to 38 digits need the wide DECIMAL.
        return type.IsWide ? new BoundLiteral(WideDecimal.Parse(text).ToPrecision(type.Precision, scale), type)
            : new BoundLiteral(CastMethods.ParseDecimal(text), type);
    }

    /// <summary>INTERVAL literals are BIGINT milliseconds: TIMESTAMP ± INTERVAL is millisecond arithmetic.</summary>
    private static long IntervalMs(Ast.IntervalLiteral interval, int position)
    {
        var text = interval.Value.Trim();
        var unit = interval.Unit;
        if (unit is null)
        {
            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
                throw SqlException.InvalidText("interval", interval.Value, position);
            text = parts[0];
            unit = parts[1].ToUpperInvariant().TrimEnd('S') switch
            {
                "MILLISECOND" => Ast.TimeUnit.Millisecond,
                "SECOND" => Ast.TimeUnit.Second,
                "MINUTE" => Ast.TimeUnit.Minute,
                "HOUR" => Ast.TimeUnit.Hour,
                "DAY" => Ast.TimeUnit.Day,
                _ => throw SqlException.InvalidText("interval", interval.Value, position),
            };
        }
        if (!long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var count))
            throw SqlException.InvalidText("interval", interval.Value, position);
        return (long)new Ast.Duration(count, unit.Value).ToTimeSpan().TotalMilliseconds;
    }

    private BoundExpr BindColumn(Ast.ColumnRef column)
    {
        if (TryBindLambdaVariable(column, out var variable))
            return variable;
        var position = PositionOf(column);
        if (column.IsPseudoColumn)
            return BindPseudoColumn(column, position);
        if (Outer is not null && column.Qualifier is { } qualifier && !_scope.HasRelation(qualifier.Value)
            && Outer.TryBind(column, out var enclosing))
            return enclosing;
        var index = _scope.Resolve(column.Qualifier?.Value, column.Name.Value, position);
        if (index < 0 && Outer is not null && _aggregation?.IsSourceColumn(column.Name.Value) != true
            && Outer.TryBind(column, out var outerColumn))
            return outerColumn;
        if (index < 0)
        {
            if (TryBindSessionName(column, out var session))
                return session;
            if (_aggregation is not null && _aggregation.IsSourceColumn(column.Name.Value))
                throw new SqlException(SqlState.GroupingError,
                    $"column \"{column.Name.Value}\" must appear in the GROUP BY clause or be used in an aggregate "
                        + $"function",
                    position: position);
            throw SqlException.UndefinedColumn(column.Name.Text, _scope.Suggest(column.Name.Value), position);
        }
        return new BoundColumn(index, _scope.DisplayName(index), _scope.Columns[index].Type);
    }

    private BoundExpr BindPseudoColumn(Ast.ColumnRef column, int position)
    {
        if (_scope.JoinSidePseudoColumns && column.Qualifier is { } side
            && column.PseudoColumn is Ast.PseudoColumn.RowTime or Ast.PseudoColumn.RowOffset
                or Ast.PseudoColumn.RowPartition)
            return BindJoinSidePseudoColumn(side.Value, column, position);
        if (_scope.RowTimeOrdinal >= 0 && column.PseudoColumn == Ast.PseudoColumn.RowTime)
            return new BoundColumn(_scope.RowTimeOrdinal, "ROWTIME", SqlType.BigInt);
        if (column.PseudoColumn is Ast.PseudoColumn.WindowStart or Ast.PseudoColumn.WindowEnd)
            return BindWindowBound(column, position);
        if (!_scope.AllowPseudoColumns)
        {
            if (_aggregation is not null)
                throw new SqlException(SqlState.GroupingError,
                    $"column \"{column.Name.Value}\" must appear in the GROUP BY clause or be used in an aggregate "
                        + $"function",
                    position: position);
            throw SqlException.UndefinedColumn(column.Name.Text, position: position);
        }
        return column.PseudoColumn switch
        {
            Ast.PseudoColumn.RowTime => new BoundPseudoColumn(PseudoColumn.RowTime),
            Ast.PseudoColumn.RowOffset => new BoundPseudoColumn(PseudoColumn.RowOffset),
            Ast.PseudoColumn.RowPartition => new BoundPseudoColumn(PseudoColumn.RowPartition),
            _ => throw SqlException.FeatureNotSupported($"{column.Name.Value} outside a windowed aggregation",
                position),
        };
    }

    /// <summary>A stream's own ROWTIME, ROWPARTITION or ROWOFFSET in a streaming join (a hidden column of its
    /// relation); a table's are not kept (0A000).</summary>
    private BoundColumn BindJoinSidePseudoColumn(string qualifier, Ast.ColumnRef column, int position)
    {
        var (start, count) = _scope.RangeOf(qualifier, position);
        for (var i = start; i < start + count; i++)
        {
            if (_scope.Columns[i].Name == column.Name.Value)
                return new BoundColumn(i, _scope.DisplayName(i), _scope.Columns[i].Type);
        }
        throw SqlException.FeatureNotSupported($"{column.Name.Value} of a table in a push or persistent join",
            position);
    }

    /// <summary>
    /// WINDOWSTART / WINDOWEND: a column of a windowed table; in a windowed aggregation only its SELECT list names
    /// them (bound there by the aggregation), so anywhere else they are refused as ksqlDB refuses them.
    /// </summary>
    private BoundExpr BindWindowBound(Ast.ColumnRef column, int position)
    {
        _scope.CheckQualifier(column.Qualifier?.Value, position);
        var name = column.PseudoColumn == Ast.PseudoColumn.WindowStart ? "WINDOWSTART" : "WINDOWEND";
        if (column.Qualifier is { } qualifier && _scope.JoinSidePseudoColumns)
        {
            // A join of windowed streams: that relation's own bounds.
            var (start, count) = _scope.RangeOf(qualifier.Value, position);
            for (var i = start; i < start + count; i++)
            {
                if (string.Equals(_scope.Columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
                    return new BoundColumn(i, _scope.DisplayName(i), _scope.Columns[i].Type);
            }
        }
        var index = _scope.IndexOf(name.ToLowerInvariant());
        if (index < 0)
            index = _scope.IndexOf(name);
        if (index >= 0)
            return new BoundColumn(index, _scope.Columns[index].Name, _scope.Columns[index].Type);
        throw new SqlException(SqlState.GroupingError, $"Window bounds column {name} can only be used in the SELECT "
            + "clause of windowed aggregations or over a windowed table", position: position);
    }

    private BoundExpr BindUnary(Ast.UnaryExpr unary, SqlType? hint)
    {
        var position = PositionOf(unary);
        if (unary.Operator == Ast.UnaryOperator.Not)
            return Fold(new BoundUnary(UnaryOp.Not, BindAs(unary.Operand, SqlType.Boolean, CastContext.Implicit)));
        if (unary.Operator == Ast.UnaryOperator.Negate && unary.Operand is Ast.IntegerLiteral { Value: var v })
            return -v is >= int.MinValue and <= int.MaxValue
                ? new BoundLiteral((int)-v, SqlType.Int) : new BoundLiteral(-v, SqlType.BigInt);
        var operand = Bind(unary.Operand, hint);
        if (unary.Operator == Ast.UnaryOperator.BitNot)
            return BindBitNot(operand, position);
        if (operand is BoundLiteral { IsUntypedString: true })
            operand = Coerce(operand, SqlType.Double, CastContext.Implicit, position);
        if (!operand.Type.IsNumeric && operand.Type.Kind != SqlTypeKind.Null)
            throw new SqlException(SqlState.UndefinedFunction, $"operator does not exist: - {operand.Type}",
                position: position);
        if (operand.Type.Kind == SqlTypeKind.Null)
            return operand;   // -NULL is NULL; there is no untyped negation to compile
        return unary.Operator == Ast.UnaryOperator.Plus ? operand : Fold(new BoundUnary(UnaryOp.Negate, operand));
    }
}
