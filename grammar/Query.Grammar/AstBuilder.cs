using System.Collections.Immutable;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Query.Grammar.Ast;
using Query.Grammar.Generated;
using static Query.Grammar.Generated.QuerySqlParser;

namespace Query.Grammar;

/// <summary>
/// Turns the ANTLR parse tree into the immutable AST: one Visit per #label of the grammar. Every node gets the
/// span of the text it came from. Semantic checks belong to the engine; the builder only rejects what the
/// grammar cannot (numbers out of range), with a <see cref="SqlSyntaxException"/> at the literal.
/// </summary>
internal sealed partial class AstBuilder : QuerySqlBaseVisitor<SyntaxNode>
{
    private readonly string _sql;
    private readonly int _maxDepth;
    private int _depth;

    public AstBuilder(string sql, int maxDepth)
    {
        _sql = sql;
        _maxDepth = maxDepth;
    }

    public ImmutableArray<Statement> BuildStatements(StatementsContext tree)
    {
        var contexts = tree.statement();
        var builder = ImmutableArray.CreateBuilder<Statement>(contexts.Length);
        foreach (var context in contexts)
            builder.Add(Build<Statement>(context));
        return builder.MoveToImmutable();
    }

    public Expr BuildExpression(ExpressionContext context) => Build<Expr>(context);

    private T Build<T>(IParseTree context)
        where T : SyntaxNode => (T)Visit(context);

    private T? BuildOrNull<T>(IParseTree? context)
        where T : SyntaxNode => context is null ? null : (T)Visit(context);

    /// <summary>
    /// Builds every child of <paramref name="parent"/> that is a <typeparamref name="TContext"/>. Walks the
    /// children directly: the generated list accessors allocate a list and an array per call.
    /// </summary>
    private EquatableArray<TNode> BuildChildren<TContext, TNode>(SqlRuleContext parent)
        where TContext : ParserRuleContext
        where TNode : SyntaxNode
    {
        var count = 0;
        for (var i = 0; i < parent.ChildCount; i++)
        {
            if (parent.ChildAt(i) is TContext)
                count++;
        }
        if (count == 0)
            return default;
        var items = new TNode[count];
        var next = 0;
        for (var i = 0; i < parent.ChildCount; i++)
        {
            if (parent.ChildAt(i) is TContext child)
                items[next++] = Build<TNode>(child);
        }
        return new EquatableArray<TNode>(items);
    }

    private EquatableArray<T> BuildAll<T>(IReadOnlyList<IParseTree> contexts)
        where T : SyntaxNode
    {
        if (contexts.Count == 0)
            return default;
        var items = new T[contexts.Count];
        for (var i = 0; i < items.Length; i++)
            items[i] = Build<T>(contexts[i]);
        return new EquatableArray<T>(items);
    }

    private static TextSpan SpanOf(ParserRuleContext context)
    {
        var start = context.Start.StartIndex;
        var stop = context.Stop is null || context.Stop.StopIndex < start ? start - 1 : context.Stop.StopIndex;
        return new TextSpan(start, stop - start + 1);
    }

    private static TextSpan SpanOf(IToken token) => new(token.StartIndex, token.StopIndex - token.StartIndex + 1);

    private static TextSpan SpanOf(IToken start, ParserRuleContext end) =>
        new(start.StartIndex, Math.Max(end.Stop?.StopIndex ?? start.StopIndex, start.StopIndex) - start.StartIndex + 1);

    // ---------------------------------------------------------------- statements

    public override SyntaxNode VisitQueryStatement(QueryStatementContext context) =>
        new QueryStatement(Build<SelectQuery>(context.Child<QueryContext>()!)) { Span = SpanOf(context) };

    public override SyntaxNode VisitListStreams(ListStreamsContext context) =>
        ShowOf(context, ShowKind.Streams, context.EXTENDED() is not null);

    public override SyntaxNode VisitListTables(ListTablesContext context) =>
        ShowOf(context, ShowKind.Tables, context.EXTENDED() is not null);

    public override SyntaxNode VisitListQueries(ListQueriesContext context) =>
        ShowOf(context, ShowKind.Queries, context.EXTENDED() is not null);

    public override SyntaxNode VisitListProperties(ListPropertiesContext context) =>
        ShowOf(context, ShowKind.Properties, extended: false);

    public override SyntaxNode VisitListFunctions(ListFunctionsContext context) =>
        ShowOf(context, ShowKind.Functions, context.EXTENDED() is not null);

    public override SyntaxNode VisitListTopics(ListTopicsContext context) =>
        new Show(ShowKind.Topics, context.EXTENDED() is not null, context.ALL() is not null) { Span = SpanOf(context) };

    public override SyntaxNode VisitListTypes(ListTypesContext context) =>
        ShowOf(context, ShowKind.Types, extended: false);

    public override SyntaxNode VisitListVariables(ListVariablesContext context) =>
        ShowOf(context, ShowKind.Variables, extended: false);

    public override SyntaxNode VisitListArchivals(ListArchivalsContext context) =>
        ShowOf(context, ShowKind.Archivals, extended: false);

    public override SyntaxNode VisitArchiveStream(ArchiveStreamContext context) =>
        new ArchiveStream(Build<QualifiedName>(context.qualifiedName())) { Span = SpanOf(context) };

    public override SyntaxNode VisitCompactStream(CompactStreamContext context) =>
        new CompactStream(Build<QualifiedName>(context.qualifiedName())) { Span = SpanOf(context) };

    private static Show ShowOf(ParserRuleContext context, ShowKind kind, bool extended) =>
        new(kind, extended, All: false) { Span = SpanOf(context) };

    public override SyntaxNode VisitShowTransactionIsolation(ShowTransactionIsolationContext context) =>
        new ShowVariable(QualifiedName.Of("transaction_isolation") with { Span = SpanOf(context) })
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitShowVariable(ShowVariableContext context)
    {
        var name = context.qualifiedName() is { } qualified
            ? Build<QualifiedName>(qualified)
            : QualifiedName.Of(context.ALL().GetText()) with { Span = SpanOf(context.ALL().Symbol) };
        return new ShowVariable(name) { Span = SpanOf(context) };
    }

    public override SyntaxNode VisitDescribeFunction(DescribeFunctionContext context) =>
        new DescribeFunction(Build<Identifier>(context.identifier())) { Span = SpanOf(context) };

    public override SyntaxNode VisitDescribeSource(DescribeSourceContext context) =>
        new Describe(Build<QualifiedName>(context.qualifiedName()), context.EXTENDED() is not null)
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitDescribeSourceExtended(DescribeSourceExtendedContext context) =>
        new Describe(Build<QualifiedName>(context.qualifiedName()), Extended: true) { Span = SpanOf(context) };

    public override SyntaxNode VisitExplain(ExplainContext context) =>
        new Explain(BuildOrNull<Statement>(context.statement()), BuildOrNull<Identifier>(context.identifier()))
        {
            Span = SpanOf(context),
        };

    public override SyntaxNode VisitDropSource(DropSourceContext context) =>
        new DropSource(
            context.STREAM() is not null ? SourceKind.Stream : SourceKind.Table,
            Build<QualifiedName>(context.qualifiedName()),
            IfExists: context.IF() is not null,
            DeleteTopic: context.DELETE() is not null)
        { Span = SpanOf(context) };

    public override SyntaxNode VisitDropType(DropTypeContext context) =>
        new DropType(Build<Identifier>(context.identifier()), context.IF() is not null) { Span = SpanOf(context) };

    public override SyntaxNode VisitTerminateQuery(TerminateQueryContext context) =>
        new Terminate(BuildOrNull<Identifier>(context.identifier())) { Span = SpanOf(context) };

    public override SyntaxNode VisitPrintTopic(PrintTopicContext context)
    {
        var topic = context.identifier() is { } id
            ? Build<Identifier>(id)
            : Identifier.QuotedName(UnquoteString(context.STRING().GetText())) with
            {
                Span = SpanOf(context.STRING().Symbol),
            };
        var numbers = context.INTEGER_VALUE();
        int? interval = null;
        long? limit = null;
        var next = 0;
        if (context.INTERVAL() is not null || context.SAMPLE() is not null)
            interval = checked((int)ParseCount(numbers[next++].Symbol));
        if (context.LIMIT() is not null)
            limit = ParseCount(numbers[next].Symbol);
        return new Print(topic, context.BEGINNING() is not null, interval, limit) { Span = SpanOf(context) };
    }

    public override SyntaxNode VisitSetProperty(SetPropertyContext context) =>
        new SetProperty(UnquoteString(context.name.Text), UnquoteString(context.value.Text)) { Span = SpanOf(context) };

    public override SyntaxNode VisitUnsetProperty(UnsetPropertyContext context) =>
        new UnsetProperty(UnquoteString(context.STRING().GetText())) { Span = SpanOf(context) };

    public override SyntaxNode VisitSetTimeZone(SetTimeZoneContext context) =>
        new SetVariable(
            QualifiedName.Of("timezone") with { Span = SpanOf(context.TIME().Symbol) },
            EquatableArray.Of(Build<Literal>(context.setValue())),
            context.LOCAL() is not null)
        { Span = SpanOf(context) };

    public override SyntaxNode VisitSetVariable(SetVariableContext context) =>
        new SetVariable(
            Build<QualifiedName>(context.qualifiedName()),
            BuildAll<Literal>(context.setValue()),
            context.LOCAL() is not null)
        { Span = SpanOf(context) };

    public override SyntaxNode VisitSetValue(SetValueContext context)
    {
        var span = SpanOf(context);
        if (context.number() is { } number)
        {
            return BuildNumber(number, negate: context.MINUS() is not null, span);
        }
        if (context.STRING() is { } text)
            return new StringLiteral(UnquoteString(text.GetText())) { Span = span };
        if (context.TRUE() is not null || context.FALSE() is not null)
            return new BooleanLiteral(context.TRUE() is not null) { Span = span };
        // A bare word (ON, public, ISO) is a string: PostgreSQL treats SET values as text.
        var word = context.identifier() is { } id ? Build<Identifier>(id).Text : context.GetText();
        return new StringLiteral(word) { Span = span };
    }

    public override SyntaxNode VisitBeginTransaction(BeginTransactionContext context) =>
        new BeginTransaction { Span = SpanOf(context) };

    public override SyntaxNode VisitCommitTransaction(CommitTransactionContext context) =>
        new CommitTransaction { Span = SpanOf(context) };

    public override SyntaxNode VisitRollbackTransaction(RollbackTransactionContext context) =>
        new RollbackTransaction { Span = SpanOf(context) };

    public override SyntaxNode VisitDiscard(DiscardContext context)
    {
        var target = context.ALL() is not null ? DiscardTarget.All
            : context.PLANS() is not null ? DiscardTarget.Plans
            : context.SEQUENCES() is not null ? DiscardTarget.Sequences
            : DiscardTarget.Temporary;
        return new Discard(target) { Span = SpanOf(context) };
    }
}
