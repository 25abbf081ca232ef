using Antlr4.Runtime;
using Query.Grammar.Ast;
using static Query.Grammar.Generated.QuerySqlParser;

namespace Query.Grammar;

/// <summary>Expressions: operators, predicates, calls, constructors and postfix forms.</summary>
internal sealed partial class AstBuilder
{
    public override SyntaxNode VisitExpression(ExpressionContext context)
    {
        if (context.@operator is { } op)
        {
            var kind = op.Type == AND ? BinaryOperator.And : BinaryOperator.Or;
            return new BinaryExpr(kind, Build<Expr>(context.left), Build<Expr>(context.right))
            {
                Span = SpanOf(context),
            };
        }
        // Child<T> rather than the generated accessors: this runs once per operand (see SqlRuleContext).
        if (context.Child<ValueExpressionContext>() is not { } valueExpression)
        {
            return new UnaryExpr(UnaryOperator.Not, Build<Expr>(context.Child<ExpressionContext>()!))
            {
                Span = SpanOf(context),
            };
        }
        return Predicated(context, valueExpression);
    }

    private Expr Predicated(ExpressionContext context, ValueExpressionContext valueExpression)
    {
        var value = Build<Expr>(valueExpression);
        var predicate = context.Child<PredicateContext>();
        if (predicate is null)
            return value;
        var span = SpanOf(context);
        return predicate switch
        {
            ComparisonContext c =>
                new BinaryExpr(Comparison(c.Child<ComparisonOperatorContext>()!), value, Build<Expr>(c.right))
                {
                    Span = span,
                },
            QuantifiedComparisonContext q => Quantified(q, value, span),
            BetweenContext b =>
                new BetweenExpr(value, Build<Expr>(b.lower), Build<Expr>(b.upper), b.HasToken(NOT)) { Span = span },
            InSubqueryContext i =>
                new InSubqueryExpr(value, Build<SelectQuery>(i.Child<QueryContext>()!), i.HasToken(NOT))
                {
                    Span = span,
                },
            InListContext i =>
                new InListExpr(value, BuildChildren<ExpressionContext, Expr>(i), i.HasToken(NOT)) { Span = span },
            LikeContext l => new LikeExpr(value, Build<Expr>(l.pattern),
                l.escape is null ? null : UnquoteString(l.escape.Text), l.HasToken(NOT), l.HasToken(ILIKE))
            {
                Span = span,
            },
            NullPredicateContext n => new IsNullExpr(value, n.HasToken(NOT)) { Span = span },
            DistinctFromContext d => new BinaryExpr(
                !d.HasToken(NOT) ? BinaryOperator.IsDistinctFrom : BinaryOperator.IsNotDistinctFrom,
                value, Build<Expr>(d.right))
            { Span = span },
            _ => throw new InvalidOperationException($"unknown predicate {predicate.GetType().Name}"),
        };
    }

    private Expr Quantified(QuantifiedComparisonContext context, Expr left, TextSpan span)
    {
        var quantifier = context.quantifier.Type == ALL ? Quantifier.All : Quantifier.Any;
        var right = context.query() is { } query
            ? new SubqueryExpr(Build<SelectQuery>(query)) { Span = SpanOf(query) }
            : Build<Expr>(context.expression());
        return new QuantifiedComparisonExpr(Comparison(context.comparisonOperator()), quantifier, left, right)
        {
            Span = span,
        };
    }

    private static BinaryOperator Comparison(ComparisonOperatorContext context)
    {
        if (context.Child<ComparisonOperatorContext>() is { } inner)
            return Comparison(inner);   // OPERATOR(pg_catalog.~): the schema adds nothing
        return context.Start.Type switch
        {
            EQ => BinaryOperator.Equal,
            NEQ => BinaryOperator.NotEqual,
            LT => BinaryOperator.Less,
            LTE => BinaryOperator.LessOrEqual,
            GT => BinaryOperator.Greater,
            GTE => BinaryOperator.GreaterOrEqual,
            TILDE => BinaryOperator.RegexMatch,
            NOT_TILDE => BinaryOperator.RegexNotMatch,
            TILDE_STAR => BinaryOperator.RegexMatchInsensitive,
            _ => BinaryOperator.RegexNotMatchInsensitive,
        };
    }

    public override SyntaxNode VisitArithmeticUnary(ArithmeticUnaryContext context) =>
        new UnaryExpr(context.@operator.Type switch
        {
            MINUS => UnaryOperator.Negate,
            PLUS => UnaryOperator.Plus,
            _ => UnaryOperator.BitNot,
        }, Build<Expr>(context.Child<ValueExpressionContext>()!))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitBitwiseBinary(BitwiseBinaryContext context)
    {
        BinaryOperator op;
        if ((context.shiftLeft ?? context.shiftRight) is { } first)
        {
            // << and >> are two tokens (so that ARRAY<ARRAY<INT>> closes); written apart they are not an operator.
            var second = ((Antlr4.Runtime.Tree.ITerminalNode)context.GetChild(2)).Symbol;
            if (second.StartIndex != first.StopIndex + 1)
                throw SqlSyntaxException.At(_sql, second.StartIndex, second.Text.Length,
                    $"syntax error at or near \"{second.Text}\"");
            op = context.shiftLeft is not null ? BinaryOperator.ShiftLeft : BinaryOperator.ShiftRight;
        }
        else
        {
            op = context.@operator.Type switch
            {
                AMPERSAND => BinaryOperator.BitAnd,
                PIPE => BinaryOperator.BitOr,
                _ => BinaryOperator.BitXor,
            };
        }
        return new BinaryExpr(op, Build<Expr>(context.left), Build<Expr>(context.right)) { Span = SpanOf(context) };
    }

    public override SyntaxNode VisitArithmeticBinary(ArithmeticBinaryContext context)
    {
        var op = context.@operator.Type switch
        {
            ASTERISK => BinaryOperator.Multiply,
            SLASH => BinaryOperator.Divide,
            PERCENT => BinaryOperator.Modulo,
            PLUS => BinaryOperator.Add,
            _ => BinaryOperator.Subtract,
        };
        return new BinaryExpr(op, Build<Expr>(context.left), Build<Expr>(context.right)) { Span = SpanOf(context) };
    }

    public override SyntaxNode VisitConcatenation(ConcatenationContext context) =>
        new BinaryExpr(BinaryOperator.Concat, Build<Expr>(context.left), Build<Expr>(context.right))
        {
            Span = SpanOf(context),
        };

    // ---------------------------------------------------------------- primary expressions

    public override SyntaxNode VisitLiteralExpression(LiteralExpressionContext context) =>
        Visit(context.Child<LiteralContext>()!);

    public override SyntaxNode VisitParameter(ParameterContext context)
    {
        var token = context.PARAMETER().Symbol;
        if (!int.TryParse(token.Text.AsSpan(1), out var index) || index < 1)
        {
            throw SqlSyntaxException.At(_sql, token.StartIndex, token.Text.Length,
                $"invalid parameter \"{token.Text}\"");
        }
        return new Parameter(index) { Span = SpanOf(context) };
    }

    public override SyntaxNode VisitSimpleCase(SimpleCaseContext context) =>
        new CaseExpr(Build<Expr>(context.operand), BuildChildren<WhenClauseContext, WhenClause>(context),
            BuildOrNull<Expr>(context.elseExpression))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitSearchedCase(SearchedCaseContext context) =>
        new CaseExpr(null, BuildChildren<WhenClauseContext, WhenClause>(context),
            BuildOrNull<Expr>(context.elseExpression))
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitWhenClause(WhenClauseContext context) =>
        new WhenClause(Build<Expr>(context.condition), Build<Expr>(context.result)) { Span = SpanOf(context) };

    public override SyntaxNode VisitCast(CastContext context) =>
        new CastExpr(Build<Expr>(context.expression()), Build<SqlTypeSyntax>(context.type()))
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitPostgresCast(PostgresCastContext context) =>
        new CastExpr(Build<Expr>(context.valueExpression()), Build<SqlTypeSyntax>(context.type()))
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitCollate(CollateContext context) =>
        new CollateExpr(Build<Expr>(context.valueExpression()), Build<QualifiedName>(context.qualifiedName()))
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitArrayConstructor(ArrayConstructorContext context) =>
        new ArrayConstructor(BuildAll<Expr>(context.expression())) { Span = SpanOf(context) };

    public override SyntaxNode VisitArraySubquery(ArraySubqueryContext context) =>
        new ArraySubqueryExpr(Build<SelectQuery>(context.query())) { Span = SpanOf(context) };

    public override SyntaxNode VisitMapConstructor(MapConstructorContext context) =>
        new MapConstructor(BuildAll<MapEntry>(context.mapEntry())) { Span = SpanOf(context) };

    public override SyntaxNode VisitMapEntry(MapEntryContext context) =>
        new MapEntry(Build<Expr>(context.key), Build<Expr>(context.value)) { Span = SpanOf(context) };

    public override SyntaxNode VisitStructConstructor(StructConstructorContext context) =>
        new StructConstructor(BuildAll<StructFieldValue>(context.structField())) { Span = SpanOf(context) };

    public override SyntaxNode VisitStructField(StructFieldContext context) =>
        new StructFieldValue(Build<Identifier>(context.identifier()), Build<Expr>(context.expression()))
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitExists(ExistsContext context) =>
        new ExistsExpr(Build<SelectQuery>(context.query())) { Span = SpanOf(context) };

    public override SyntaxNode VisitSubqueryExpression(SubqueryExpressionContext context) =>
        new SubqueryExpr(Build<SelectQuery>(context.query())) { Span = SpanOf(context) };

    public override SyntaxNode VisitFunctionCallStar(FunctionCallStarContext context) =>
        new FunctionCall(Build<QualifiedName>(context.qualifiedName()), default, Distinct: false, Star: true,
            BuildOrNull<OverClause>(context.overClause()))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitFunctionCall(FunctionCallContext context) =>
        new FunctionCall(Build<QualifiedName>(context.Child<QualifiedNameContext>()!),
            BuildChildren<FunctionArgumentContext, Expr>(context),
            context.HasToken(DISTINCT), Star: false, BuildOrNull<OverClause>(context.Child<OverClauseContext>()))
        {
            Span = SpanOf(context),
            OrderBy = context.Child<OrderByContext>() is { } o ? BuildChildren<SortItemContext, SortItem>(o) : default,
        };

    /// <summary><c>EXTRACT(field FROM x)</c> is the call <c>extract('field', x)</c> (named <c>extract</c>).
    /// </summary>
    public override SyntaxNode VisitExtract(ExtractContext context)
    {
        var field = context.identifier() is { } name
            ? new StringLiteral(Build<Identifier>(name).Value) { Span = SpanOf(name) }
            : new StringLiteral(UnquoteString(context.STRING().GetText())) { Span = SpanOf(context.STRING().Symbol) };
        var keyword = context.EXTRACT().Symbol;
        return new FunctionCall(new QualifiedName([Identifier.Unquoted("extract") with { Span = SpanOf(keyword) }])
        {
            Span = SpanOf(keyword),
        }, new EquatableArray<Expr>([field, Build<Expr>(context.valueExpression())]), false, false, null)
        {
            Span = SpanOf(context),
        };
    }

    /// <summary><c>SUBSTRING(x FROM start [FOR length])</c> is the call <c>substring(x, start[, length])</c>.
    /// </summary>
    public override SyntaxNode VisitSubstringFrom(SubstringFromContext context)
    {
        // SUBSTRING(x FOR n) starts at 1 (pgcli's \d sends it).
        var start = context.start is null
            ? new IntegerLiteral(1) { Span = SpanOf(context.SUBSTRING().Symbol) }
            : Build<Expr>(context.start);
        var arguments = new List<Expr> { Build<Expr>(context.valueExpression(0)), start };
        if (context.length is not null)
            arguments.Add(Build<Expr>(context.length));
        return Call("substring", context.SUBSTRING().Symbol, [.. arguments], context);
    }

    /// <summary><c>TRIM([BOTH | LEADING | TRAILING] [characters] FROM x)</c> is PostgreSQL's
    /// <c>btrim / ltrim / rtrim(x[, characters])</c>.</summary>
    public override SyntaxNode VisitTrimFrom(TrimFromContext context)
    {
        var name = context.side?.Type switch
        {
            LEADING => "ltrim",
            TRAILING => "rtrim",
            _ => "btrim",
        };
        var values = context.valueExpression();
        var value = Build<Expr>(values[^1]);
        Expr[] arguments = context.characters is null ? [value] : [value, Build<Expr>(context.characters)];
        return Call(name, context.TRIM().Symbol, arguments, context);
    }

    private FunctionCall Call(string name, IToken keyword, Expr[] arguments, ParserRuleContext context) =>
        new(new QualifiedName([Identifier.Unquoted(name) with { Span = SpanOf(keyword) }]) { Span = SpanOf(keyword) },
            new EquatableArray<Expr>(arguments), false, false, null)
        {
            Span = SpanOf(context),
        };

    /// <summary><c>x AT TIME ZONE zone</c> is PostgreSQL's <c>timezone(zone, x)</c>.</summary>
    public override SyntaxNode VisitAtTimeZone(AtTimeZoneContext context)
    {
        var at = context.AT().Symbol;
        return new FunctionCall(new QualifiedName([Identifier.Unquoted("timezone") with { Span = SpanOf(at) }])
        {
            Span = SpanOf(at),
        }, new EquatableArray<Expr>([Build<Expr>(context.zone), Build<Expr>(context.valueExpression(0))]), false,
            false, null)
        {
            Span = SpanOf(context),
        };
    }

    public override SyntaxNode VisitOverClause(OverClauseContext context) =>
        new OverClause(BuildAll<Expr>(context.expression()),
            context.orderBy() is { } o ? BuildAll<SortItem>(o.sortItem()) : default)
        {
            Frame = BuildOrNull<WindowFrame>(context.windowFrame()),
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitWindowFrame(WindowFrameContext context)
    {
        var start = Build<FrameBound>(context.start);
        var end = context.end is null ? new FrameBound(FrameBoundKind.CurrentRow, null) { Span = start.Span }
            : Build<FrameBound>(context.end);
        return new WindowFrame(context.unit.Type == RANGE ? FrameUnit.Range : FrameUnit.Rows, start, end)
        {
            Span = SpanOf(context),
        };
    }

    public override SyntaxNode VisitUnboundedPrecedingBound(UnboundedPrecedingBoundContext context) =>
        new FrameBound(FrameBoundKind.UnboundedPreceding, null) { Span = SpanOf(context) };

    public override SyntaxNode VisitUnboundedFollowingBound(UnboundedFollowingBoundContext context) =>
        new FrameBound(FrameBoundKind.UnboundedFollowing, null) { Span = SpanOf(context) };

    public override SyntaxNode VisitCurrentRowBound(CurrentRowBoundContext context) =>
        new FrameBound(FrameBoundKind.CurrentRow, null) { Span = SpanOf(context) };

    public override SyntaxNode VisitOffsetBound(OffsetBoundContext context) =>
        new FrameBound(context.direction.Type == PRECEDING ? FrameBoundKind.Preceding : FrameBoundKind.Following,
            Build<Expr>(context.valueExpression()))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitExpressionArgument(ExpressionArgumentContext context) =>
        Visit(context.Child<ExpressionContext>()!);

    public override SyntaxNode VisitSingleParameterLambda(SingleParameterLambdaContext context) =>
        new LambdaExpr(EquatableArray.Of(Build<Identifier>(context.identifier())), Build<Expr>(context.expression()))
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitMultiParameterLambda(MultiParameterLambdaContext context) =>
        new LambdaExpr(BuildAll<Identifier>(context.identifier()), Build<Expr>(context.expression()))
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitColumnReference(ColumnReferenceContext context) =>
        new ColumnRef(null, Build<Identifier>(context.Child<IdentifierContext>()!)) { Span = SpanOf(context) };

    public override SyntaxNode VisitQualifiedColumnReference(QualifiedColumnReferenceContext context) =>
        new ColumnRef(Build<Identifier>(context.qualifier), Build<Identifier>(context.name)) { Span = SpanOf(context) };

    public override SyntaxNode VisitParenthesizedExpression(ParenthesizedExpressionContext context) =>
        Visit(context.expression());

    public override SyntaxNode VisitParenthesizedFieldAccess(ParenthesizedFieldAccessContext context) =>
        new FieldAccessExpr(Build<Expr>(context.expression()), Build<Identifier>(context.identifier()))
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitSubscript(SubscriptContext context) =>
        new SubscriptExpr(Build<Expr>(context.container), Build<Expr>(context.index)) { Span = SpanOf(context) };

    public override SyntaxNode VisitDereference(DereferenceContext context) =>
        new FieldAccessExpr(Build<Expr>(context.container), Build<Identifier>(context.field))
        {
            Span = SpanOf(context),
        };

    private SqlSyntaxException OutOfRange(IToken token, string what) =>
        SqlSyntaxException.At(_sql, token.StartIndex, token.Text.Length, $"{what} \"{token.Text}\" is out of range");
}
