using Antlr4.Runtime;
using Query.Grammar.Ast;
using static Query.Grammar.Generated.QuerySqlParser;

namespace Query.Grammar;

/// <summary>SELECT, set operations, relations, joins and windows.</summary>
internal sealed partial class AstBuilder
{
    public override SyntaxNode VisitQuery(QueryContext context)
    {
        var emit = context.Child<EmitClauseContext>() switch
        {
            null => EmitKind.None,
            { } e when e.HasToken(FINAL) => EmitKind.Final,
            _ => EmitKind.Changes,
        };
        var limit = context.Child<LimitClauseContext>() is { } l && l.Child<ExpressionContext>() is { } le
            ? Build<Expr>(le)
            : null;
        var offset = BuildOrNull<Expr>(context.Child<OffsetClauseContext>()?.Child<ExpressionContext>());
        var orderBy = context.Child<OrderByContext>() is { } o ? BuildChildren<SortItemContext, SortItem>(o) : default;
        return new SelectQuery(Build<QueryBody>(context.Child<QueryTermContext>()!), orderBy, emit, limit, offset)
        {
            Span = SpanOf(context),
            With = BuildOrNull<WithClause>(context.Child<WithClauseContext>()),
        };
    }

    public override SyntaxNode VisitWithClause(WithClauseContext context) =>
        new WithClause(context.RECURSIVE() is not null, BuildAll<NamedQuery>(context.namedQuery()))
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitNamedQuery(NamedQueryContext context) =>
        new NamedQuery(Build<Identifier>(context.identifier()), IdentifierList(context.columnList()),
            Build<SelectQuery>(context.query()))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitQueryTermDefault(QueryTermDefaultContext context) =>
        Visit(context.Child<QueryPrimaryContext>()!);

    public override SyntaxNode VisitSetOperation(SetOperationContext context)
    {
        var op = context.@operator.Type switch
        {
            UNION => SetOperator.Union,
            EXCEPT => SetOperator.Except,
            _ => SetOperator.Intersect,
        };
        return new SetOperation(op, context.ALL() is not null, Build<QueryBody>(context.left),
            Build<QueryBody>(context.right))
        { Span = SpanOf(context) };
    }

    public override SyntaxNode VisitParenthesizedQuery(ParenthesizedQueryContext context)
    {
        var query = Build<SelectQuery>(context.query());
        // (SELECT ...) without clauses of its own means its body: keeps the tree canonical for the formatter.
        var plain = query.OrderBy.IsEmpty && query.Emit == EmitKind.None && query.Limit is null && query.Offset is null
            && query.With is null;
        return plain ? query.Body : query;
    }

    public override SyntaxNode VisitQuerySpecification(QuerySpecificationContext context)
    {
        var from = CommaList(context);
        return new Select(
            context.HasToken(DISTINCT),
            BuildChildren<SelectItemContext, SelectItem>(context),
            from,
            BuildOrNull<WindowExpr>(context.Child<WindowClauseContext>()?.Child<WindowExpressionContext>()),
            BuildOrNull<Expr>(context.where),
            GroupBy(context._groupBy),
            BuildOrNull<Expr>(context.having),
            BuildAll<Expr>((IReadOnlyList<ExpressionContext>)context._partitionBy))
        { Span = SpanOf(context) };
    }

    /// <summary>GROUP BY's elements, a grouping set <c>(a, b)</c> flattened into its expressions.</summary>
    private EquatableArray<Expr> GroupBy(IList<GroupingElementContext> elements)
    {
        if (elements.Count == 0)
            return default;
        var expressions = new List<Expr>(elements.Count);
        foreach (var element in elements)
        {
            foreach (var expression in element.expression())
                expressions.Add(Build<Expr>(expression));
        }
        return new EquatableArray<Expr>([.. expressions]);
    }

    public override SyntaxNode VisitSortItem(SortItemContext context)
    {
        var nulls = context.nullOrdering is null ? NullsOrder.Default
            : context.nullOrdering.Type == FIRST ? NullsOrder.First
            : NullsOrder.Last;
        return new SortItem(Build<Expr>(context.expression()), context.ordering?.Type == DESC, nulls)
        {
            Span = SpanOf(context),
        };
    }

    public override SyntaxNode VisitSelectItem(SelectItemContext context)
    {
        var alias = BuildOrNull<Identifier>(context.Child<IdentifierContext>());
        if (context.Child<ExpressionContext>() is { } expression)
            return new SingleColumn(Build<Expr>(expression), alias) { Span = SpanOf(context) };
        return new AllColumns(alias) { Span = SpanOf(context) };
    }

    // ---------------------------------------------------------------- relations

    public override SyntaxNode VisitRelationDefault(RelationDefaultContext context) =>
        Visit(context.Child<RelationPrimaryContext>()!);

    public override SyntaxNode VisitJoinRelation(JoinRelationContext context)
    {
        var type = context.Child<JoinTypeContext>()!;
        var kind = type.HasToken(LEFT) ? JoinKind.Left
            : type.HasToken(RIGHT) ? JoinKind.Right
            : type.HasToken(FULL) ? JoinKind.Full
            : JoinKind.Inner;
        var criteria = context.Child<JoinCriteriaContext>();
        return new Join(
            kind,
            Build<Relation>(context.left),
            Build<Relation>(context.right),
            BuildOrNull<WithinClause>(context.Child<WithinClauseContext>()),
            BuildOrNull<Expr>(criteria?.Child<ExpressionContext>()),
            criteria is null ? default : BuildChildren<IdentifierContext, Identifier>(criteria))
        { Span = SpanOf(context) };
    }

    public override SyntaxNode VisitCrossJoinRelation(CrossJoinRelationContext context) =>
        new Join(JoinKind.Cross, Build<Relation>(context.left), Build<Relation>(context.right), null, null, default)
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitWithinClause(WithinClauseContext context)
    {
        var durations = context.duration();
        return new WithinClause(
            Build<Duration>(durations[0]),
            durations.Length > 1 ? Build<Duration>(durations[1]) : null,
            BuildOrNull<Duration>(context.gracePeriod()?.duration()))
        { Span = SpanOf(context) };
    }

    public override SyntaxNode VisitTableRelation(TableRelationContext context)
    {
        var (alias, columns) = Alias(context.Child<AliasClauseContext>());
        return new TableRef(Build<QualifiedName>(context.Child<QualifiedNameContext>()!), alias, columns)
        {
            Span = SpanOf(context),
        };
    }

    public override SyntaxNode VisitSubqueryRelation(SubqueryRelationContext context)
    {
        var (alias, columns) = Alias(context.aliasClause());
        return new SubqueryRef(Build<SelectQuery>(context.query()), alias, columns)
        {
            Span = SpanOf(context),
            Lateral = context.LATERAL() is not null,
        };
    }

    public override SyntaxNode VisitFunctionRelation(FunctionRelationContext context)
    {
        var (alias, columns) = Alias(context.aliasClause());
        var nameContext = context.qualifiedName();
        var call = new FunctionCall(Build<QualifiedName>(nameContext), BuildAll<Expr>(context.expression()),
            Distinct: false, Star: false, Over: null)
        {
            Span = new TextSpan(nameContext.Start.StartIndex,
                context.RPAREN().Symbol.StopIndex - nameContext.Start.StartIndex + 1),
        };
        return new FunctionRef(call, alias, columns) { Span = SpanOf(context), Lateral = context.LATERAL() is not null };
    }

    public override SyntaxNode VisitParenthesizedRelation(ParenthesizedRelationContext context) =>
        CommaList(context)!;

    /// <summary>Folds the relations among <paramref name="parent"/>'s children (<c>a, b, c</c>) into left-deep
    /// <see cref="JoinKind.Comma"/> joins.</summary>
    private Relation? CommaList(SqlRuleContext parent)
    {
        Relation? result = null;
        for (var i = 0; i < parent.ChildCount; i++)
        {
            if (parent.ChildAt(i) is not RelationContext relationContext)
                continue;
            var relation = Build<Relation>(relationContext);
            result = result is null
                ? relation
                : new Join(JoinKind.Comma, result, relation, null, null, default)
                {
                    Span = new TextSpan(result.Span.Start, relation.Span.End - result.Span.Start),
                };
        }
        return result;
    }

    private (Identifier? Alias, EquatableArray<Identifier> Columns) Alias(AliasClauseContext? context) =>
        context is null
            ? (null, default)
            : (Build<Identifier>(context.Child<IdentifierContext>()!),
                IdentifierList(context.Child<ColumnListContext>()));

    // ---------------------------------------------------------------- windows

    public override SyntaxNode VisitTumblingWindow(TumblingWindowContext context)
    {
        var (retention, grace) = RetentionAndGrace(context.retentionOrGrace());
        return new TumblingWindow(Build<Duration>(context.duration()), retention, grace) { Span = SpanOf(context) };
    }

    public override SyntaxNode VisitHoppingWindow(HoppingWindowContext context)
    {
        var (retention, grace) = RetentionAndGrace(context.retentionOrGrace());
        var durations = context.duration();
        return new HoppingWindow(Build<Duration>(durations[0]), Build<Duration>(durations[1]), retention, grace)
        {
            Span = SpanOf(context),
        };
    }

    public override SyntaxNode VisitSessionWindow(SessionWindowContext context)
    {
        var (retention, grace) = RetentionAndGrace(context.retentionOrGrace());
        return new SessionWindow(Build<Duration>(context.duration()), retention, grace) { Span = SpanOf(context) };
    }

    private (Duration? Retention, Duration? Grace) RetentionAndGrace(RetentionOrGraceContext[] options)
    {
        Duration? retention = null;
        Duration? grace = null;
        foreach (var option in options)
        {
            if (option.RETENTION() is not null)
                retention = retention is null
                    ? Build<Duration>(option.duration())
                    : throw Duplicate(option, "RETENTION");
            else
                grace = grace is null
                    ? Build<Duration>(option.gracePeriod().duration())
                    : throw Duplicate(option, "GRACE PERIOD");
        }
        return (retention, grace);
    }

    private SqlSyntaxException Duplicate(ParserRuleContext option, string what)
    {
        var span = SpanOf(option);
        return SqlSyntaxException.At(_sql, span.Start, span.Length, $"{what} is given more than once");
    }

    public override SyntaxNode VisitDuration(DurationContext context) =>
        new Duration(ParseCount(context.INTEGER_VALUE().Symbol), Unit(context.timeUnit())) { Span = SpanOf(context) };

    private static TimeUnit Unit(TimeUnitContext context) => context.Start.Type switch
    {
        MILLISECOND or MILLISECONDS => TimeUnit.Millisecond,
        SECOND or SECONDS => TimeUnit.Second,
        MINUTE or MINUTES => TimeUnit.Minute,
        HOUR or HOURS => TimeUnit.Hour,
        _ => TimeUnit.Day,
    };
}
