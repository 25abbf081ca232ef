using System.Collections.Immutable;
using Antlr4.Runtime;
using Antlr4.Runtime.Atn;
using Antlr4.Runtime.Misc;
using Query.Grammar.Ast;
using Query.Grammar.Generated;

namespace Query.Grammar;

/// <summary>
/// The public face of the grammar: SQL text in, immutable AST out, or a <see cref="SqlSyntaxException"/>.
/// </summary>
/// <remarks>
/// Error strategy: parse first with SLL prediction and a bail-out strategy, which is fast and right for almost
/// every valid statement; on any failure parse again with full LL prediction and a listener that throws on the
/// first error, so the reported position and expected tokens are exact. ANTLR's console listeners are removed
/// and nothing is printed. Nesting too deep (past a depth limit or the stack) is a StatementTooComplexException,
/// never a crash.
/// The lexer, token stream and parser are cached per thread (the ATN and DFA caches are static and shared
/// anyway), so a parse allocates the tokens, the tree and the AST, not the machinery.
/// </remarks>
public static class SqlParser
{
    [ThreadStatic]
    private static QuerySqlParser? _cachedParser;

    [ThreadStatic]
    private static QuerySqlLexer? _cachedLexer;

    // Reused for its token buffer; emptied after each parse so it does not keep a statement alive.
    [ThreadStatic]
    private static CommonTokenStream? _cachedTokens;

    // Error strategies keep recovery state, so each thread has its own like the parser.
    [ThreadStatic]
    private static BailErrorStrategy? _cachedBailStrategy;

    /// <summary>
    /// Deepest syntax tree accepted by default: every pass over the AST recurses once per level, and this keeps the
    /// deepest of them far below a 1.5 MiB thread-pool stack even before the JIT has optimized it. Generated SQL
    /// nests a few dozen levels; a chain of a thousand ANDs or ORs is one level per operand.
    /// </summary>
    public const int DefaultMaxDepth = 1000;

    /// <summary>Parses zero or more statements separated by <c>;</c>.</summary>
    public static ImmutableArray<Statement> Parse(string sql) => Parse(sql, DefaultMaxDepth);

    /// <summary>
    /// Parses zero or more statements; a syntax tree deeper than <paramref name="maxDepth"/> levels (or than the
    /// stack holds) raises <see cref="StatementTooComplexException"/>.
    /// </summary>
    public static ImmutableArray<Statement> Parse(string sql, int maxDepth)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        var tree = Run(sql, maxDepth, static p => p.statements());
        return new AstBuilder(sql, maxDepth).BuildStatements(tree);
    }

    /// <summary>Parses exactly one statement (a trailing <c>;</c> is allowed).</summary>
    public static Statement ParseStatement(string sql)
    {
        var statements = Parse(sql);
        if (statements.Length == 1)
            return statements[0];
        if (statements.Length == 0)
            throw SqlSyntaxException.At(sql, sql.Length, 0, "syntax error at end of input: expected a statement");
        var second = statements[1].Span;
        throw SqlSyntaxException.At(sql, second.Start, second.Length, "expected a single statement");
    }

    /// <summary>Parses a standalone expression, such as a column default or a test input.</summary>
    public static Expr ParseExpression(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tree = Run(sql, DefaultMaxDepth, static p => p.singleExpression());
        return new AstBuilder(sql, DefaultMaxDepth).BuildExpression(tree.expression());
    }

    // The parser itself recurses once or more per level of nesting (ParserHooks checks the stack at every rule
    // that can recurse); running out is the same answer as a tree past the depth limit.
    private static StatementTooComplexException TooDeep() =>
        new("statement too complex: nested too deeply for the parser's stack", 0);

    private static T Run<T>(string sql, int maxDepth, Func<QuerySqlParser, T> rule)
        where T : ParserRuleContext
    {
        var listener = new SyntaxErrorListener(sql);
        var lexer = _cachedLexer ??= CreateLexer();
        lexer.SetInputStream(new AntlrInputStream(sql));
        var tokens = _cachedTokens ??= new CommonTokenStream(lexer);
        tokens.SetTokenSource(lexer);
        var parser = _cachedParser ??= CreateParser();
        try
        {
            lexer.AddErrorListener(listener);
            tokens.Fill();
            CheckNesting(tokens);
            parser.TokenStream = tokens;
            parser.MaxTreeDepth = maxDepth;
            return RunTwoStage(parser, tokens, listener, rule);
        }
        catch (InsufficientExecutionStackException)
        {
            throw TooDeep();
        }
        finally
        {
            lexer.RemoveErrorListeners();
            parser.RemoveErrorListeners();
            // Drop references to the input so the cached parser and tokens do not keep a large statement alive.
            parser.TokenStream = EmptyTokens;
            if (tokens.Size > MaxCachedTokens)
                _cachedTokens = null;   // let a huge statement's token buffer go rather than keep it per thread
            tokens.SetTokenSource(EmptyLexer);
        }
    }

    /// <summary>
    /// Rejects nesting deeper than <see cref="MaxNestingDepth"/> before parsing: brackets and CASE ... END, plus a
    /// run of prefix operators (<c>NOT NOT - - x</c>, <c>EXPLAIN EXPLAIN</c>) at that point. Deciding what an
    /// opening parenthesis starts can look ahead to its partner, so pathological nesting costs the square of its
    /// depth; and ANTLR's prediction recurses once per open rule without a stack check of its own, so nesting must
    /// stay far from the stack's limit before the parser ever sees it.
    /// </summary>
    private static void CheckNesting(CommonTokenStream tokens)
    {
        var depth = 0;
        var prefixRun = 0;
        var list = tokens.GetTokens();
        for (var i = 0; i < list.Count; i++)
        {
            switch (list[i].Type)
            {
                case QuerySqlLexer.LPAREN or QuerySqlLexer.LBRACKET or QuerySqlLexer.CASE:
                    depth++;
                    break;
                case QuerySqlLexer.NOT or QuerySqlLexer.MINUS or QuerySqlLexer.PLUS or QuerySqlLexer.EXPLAIN:
                    prefixRun++;
                    break;
                case QuerySqlLexer.RPAREN or QuerySqlLexer.RBRACKET or QuerySqlLexer.END:
                    depth = Math.Max(0, depth - 1);
                    prefixRun = 0;
                    break;
                default:
                    prefixRun = 0;
                    break;
            }
            if (depth + prefixRun > MaxNestingDepth)
            {
                throw new StatementTooComplexException(
                    $"statement too complex: more than {MaxNestingDepth} levels of brackets, CASE or prefix operators",
                    list[i].StartIndex);
            }
        }
    }

    /// <summary>Deepest nesting of brackets, CASE and prefix operators accepted; far below the stack's limit.</summary>
    public const int MaxNestingDepth = 200;

    private static T RunTwoStage<T>(
        QuerySqlParser parser, CommonTokenStream tokens, SyntaxErrorListener listener, Func<QuerySqlParser, T> rule)
        where T : ParserRuleContext
    {
        parser.Interpreter.PredictionMode = PredictionMode.SLL;
        parser.ErrorHandler = _cachedBailStrategy ??= new BailErrorStrategy();
        parser.RemoveErrorListeners();
        try
        {
            parser.ResetTreeDepth();
            return rule(parser);
        }
        catch (ParseCanceledException)
        {
            tokens.Seek(0);
            parser.Reset();
            parser.ResetTreeDepth();
            parser.Interpreter.PredictionMode = PredictionMode.LL;
            parser.ErrorHandler = new DefaultErrorStrategy();
            parser.AddErrorListener(listener);
            return rule(parser);
        }
    }

    private const int MaxCachedTokens = 4096;

    private static readonly QuerySqlLexer EmptyLexer = new(new AntlrInputStream(""));

    private static readonly CommonTokenStream EmptyTokens = new(EmptyLexer);

    private static QuerySqlLexer CreateLexer()
    {
        var lexer = new QuerySqlLexer(new AntlrInputStream("")) { TokenFactory = TerminalTokenFactory.Instance };
        lexer.RemoveErrorListeners();
        return lexer;
    }

    private static QuerySqlParser CreateParser()
    {
        var parser = new QuerySqlParser(EmptyTokens) { BuildParseTree = true };
        parser.RemoveErrorListeners();
        return parser;
    }
}
