using System.Globalization;
using System.Runtime.CompilerServices;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Query.Grammar.Ast;
using static Query.Grammar.Generated.QuerySqlParser;

namespace Query.Grammar;

/// <summary>Identifiers, names, types and literals.</summary>
internal sealed partial class AstBuilder
{
    public override SyntaxNode Visit(IParseTree tree)
    {
        // Every later pass (binder, compiler, formatter, record equality) recurses over the AST as deep as it is,
        // so the AST's depth is capped here, where it is built; the stack check covers a caller on a small stack.
        if (++_depth > _maxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw TooComplex(tree);
        var node = Dispatch(tree);
        _depth--;
        return node;
    }

    private StatementTooComplexException TooComplex(IParseTree tree)
    {
        var offset = tree is ParserRuleContext context ? context.Start.StartIndex : 0;
        return _depth > _maxDepth
            ? new StatementTooComplexException(
                $"statement too complex: nested more than {_maxDepth} levels deep", offset)
            : new StatementTooComplexException("statement too complex: nested too deeply for the stack", offset);
    }

    private SyntaxNode Dispatch(IParseTree tree)
    {
        // The most frequent contexts are dispatched here directly: tree.Accept(this) is a generic virtual call
        // followed by a cast to a variant interface, which cost more than the visit itself. These contexts are
        // sealed (ParserContexts.cs), so each test is one compare.
        return tree switch
        {
            IdentifierContext c => VisitIdentifier(c),
            ExpressionContext c => VisitExpression(c),
            QualifiedColumnReferenceContext c => VisitQualifiedColumnReference(c),
            ColumnReferenceContext c => VisitColumnReference(c),
            LiteralExpressionContext c => VisitLiteralExpression(c),
            NumericLiteralContext c => VisitNumericLiteral(c),
            StringLiteralContext c => VisitStringLiteral(c),
            QualifiedNameContext c => VisitQualifiedName(c),
            ArithmeticBinaryContext c => VisitArithmeticBinary(c),
            FunctionCallContext c => VisitFunctionCall(c),
            ExpressionArgumentContext c => VisitExpressionArgument(c),
            ParenthesizedExpressionContext c => VisitParenthesizedExpression(c),
            SelectItemContext c => VisitSelectItem(c),
            SortItemContext c => VisitSortItem(c),
            TableRelationContext c => VisitTableRelation(c),
            RelationDefaultContext c => VisitRelationDefault(c),
            JoinRelationContext c => VisitJoinRelation(c),
            QueryStatementContext c => VisitQueryStatement(c),
            QueryContext c => VisitQuery(c),
            QueryTermDefaultContext c => VisitQueryTermDefault(c),
            QuerySpecificationContext c => VisitQuerySpecification(c),
            _ => tree.Accept(this),
        };
    }

    public override SyntaxNode VisitIdentifier(IdentifierContext context)
    {
        var token = context.Start;
        var text = token.Text;
        var span = SpanOf(token);
        return token.Type switch
        {
            QUOTED_IDENTIFIER => QuotedIdentifier(Unquote(text, '"'), span),
            BACKQUOTED_IDENTIFIER => QuotedIdentifier(Unquote(text, '`'), span),
            // IDENTIFIER or a non-reserved keyword.
            _ => new Identifier(Identifier.Fold(text), text, Quoted: false) { Span = span },
        };
    }

    private static Identifier QuotedIdentifier(string value, TextSpan span) =>
        new(value, value, Quoted: true) { Span = span };

    public override SyntaxNode VisitQualifiedName(QualifiedNameContext context) =>
        new QualifiedName(BuildChildren<IdentifierContext, Identifier>(context)) { Span = SpanOf(context) };

    // ---------------------------------------------------------------- types

    public override SyntaxNode VisitPrimitiveType(PrimitiveTypeContext context)
    {
        var name = TypeName(context.typeName());
        var numbers = context.INTEGER_VALUE();
        var parameters = new int[numbers.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var token = numbers[i].Symbol;
            if (!int.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out parameters[i]))
                throw OutOfRange(token, "type parameter");
        }
        return SqlTypeSyntax.Simple(name, parameters) with { Span = SpanOf(context) };
    }

    private string TypeName(TypeNameContext context)
    {
        if (context.qualifiedName() is not { } qualified)
        {
            // Multi-word spellings: DOUBLE PRECISION, CHARACTER VARYING, TIMESTAMP WITH TIME ZONE.
            var words = new List<string>();
            for (var i = 0; i < context.ChildCount; i++)
                words.Add(context.GetChild(i).GetText().ToUpperInvariant());
            return SqlTypeNames.Normalize(string.Join(' ', words));
        }
        var name = Build<QualifiedName>(qualified);
        // pg_catalog.int4 is int4; other schemas name user types, which keep their full name.
        if (name.Parts.Count == 2 && name.Parts[0].Value == "pg_catalog")
            return SqlTypeNames.Normalize(name.Parts[1].Value);
        if (name.Parts.Count == 1)
            return name.Parts[0].Quoted ? name.Parts[0].Value : SqlTypeNames.Normalize(name.Parts[0].Value);
        return name.ToString();
    }

    public override SyntaxNode VisitArraySuffixType(ArraySuffixTypeContext context) =>
        SqlTypeSyntax.Array(Build<SqlTypeSyntax>(context.type())) with { Span = SpanOf(context) };

    public override SyntaxNode VisitArrayType(ArrayTypeContext context) =>
        SqlTypeSyntax.Array(Build<SqlTypeSyntax>(context.type())) with { Span = SpanOf(context) };

    public override SyntaxNode VisitMapType(MapTypeContext context) =>
        SqlTypeSyntax.Map(Build<SqlTypeSyntax>(context.key), Build<SqlTypeSyntax>(context.value))
            with
        { Span = SpanOf(context) };

    public override SyntaxNode VisitStructType(StructTypeContext context)
    {
        var names = context.identifier();
        var types = context.type();
        var fields = new StructFieldType[names.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = new StructFieldType(Build<Identifier>(names[i]), Build<SqlTypeSyntax>(types[i]))
            {
                Span = new TextSpan(names[i].Start.StartIndex, types[i].Stop.StopIndex - names[i].Start.StartIndex + 1),
            };
        }
        return SqlTypeSyntax.Struct(fields) with { Span = SpanOf(context) };
    }

    // ---------------------------------------------------------------- literals

    public override SyntaxNode VisitNullLiteral(NullLiteralContext context) =>
        new NullLiteral { Span = SpanOf(context) };

    public override SyntaxNode VisitBooleanLiteral(BooleanLiteralContext context) =>
        new BooleanLiteral(context.TRUE() is not null) { Span = SpanOf(context) };

    public override SyntaxNode VisitNumericLiteral(NumericLiteralContext context) =>
        BuildNumber(context.Child<NumberContext>()!, negate: false, SpanOf(context));

    public override SyntaxNode VisitStringLiteral(StringLiteralContext context) =>
        new StringLiteral(UnquoteString(context.STRING().GetText())) { Span = SpanOf(context) };

    public override SyntaxNode VisitEscapeStringLiteral(EscapeStringLiteralContext context)
    {
        var token = context.ESCAPE_STRING().Symbol;
        var value = EscapeString.Decode(token.Text.AsSpan(2, token.Text.Length - 3));
        return value is not null ? new StringLiteral(value) { Span = SpanOf(context) }
            : throw SqlSyntaxException.At(_sql, token.StartIndex, token.Text.Length,
                "invalid escape sequence in E'...' string (\\x needs hex digits, \\u four, \\U eight)");
    }

    public override SyntaxNode VisitTimestampLiteral(TimestampLiteralContext context) =>
        new TimestampLiteral(UnquoteString(context.STRING().GetText())) { Span = SpanOf(context) };

    public override SyntaxNode VisitDateLiteral(DateLiteralContext context) =>
        new DateLiteral(UnquoteString(context.STRING().GetText())) { Span = SpanOf(context) };

    public override SyntaxNode VisitTimeLiteral(TimeLiteralContext context) =>
        new TimeLiteral(UnquoteString(context.STRING().GetText())) { Span = SpanOf(context) };

    public override SyntaxNode VisitIntervalLiteral(IntervalLiteralContext context) =>
        new IntervalLiteral(UnquoteString(context.STRING().GetText()),
            context.timeUnit() is { } unit ? Unit(unit) : null)
        { Span = SpanOf(context) };

    private Literal BuildNumber(NumberContext context, bool negate, TextSpan span)
    {
        var token = context.Start;
        var text = negate ? "-" + token.Text : token.Text;
        switch (token.Type)
        {
            case INTEGER_VALUE:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    return new IntegerLiteral(integer) { Span = span };
                return new DecimalLiteral(text) { Span = span };   // wider than BIGINT: exact, typed by the engine
            case DECIMAL_VALUE:
                return new DecimalLiteral(text) { Span = span };
            default:
                var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                return double.IsFinite(value)
                    ? new DoubleLiteral(value) { Span = span }
                    : throw OutOfRange(token, "number");
        }
    }

    private long ParseCount(IToken token) =>
        long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw OutOfRange(token, "number");

    /// <summary>Strips the quotes of a string literal and undoes <c>''</c> escapes.</summary>
    private static string UnquoteString(string text) => Unquote(text, '\'');

    private static string Unquote(string text, char quote)
    {
        var inner = text.AsSpan(1, text.Length - 2);
        if (inner.IndexOf(quote) < 0)
            return inner.ToString();
        return inner.ToString().Replace(new string(quote, 2), new string(quote, 1), StringComparison.Ordinal);
    }
}
