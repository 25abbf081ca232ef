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
/// and nothing is printed. Nesting too deep for the stack is reported as a syntax error, never a crash.
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

    /// <summary>Parses zero or more statements separated by <c>;</c>.</summary>
    public static ImmutableArray<Statement> Parse(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tree = Run(sql, static p => p.statements());
        try
        {
            return new AstBuilder(sql).BuildStatements(tree);
        }
        catch (InsufficientExecutionStackException)
        {
            throw TooDeep(sql);
        }
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
        var tree = Run(sql, static p => p.singleExpression());
        try
        {
            return new AstBuilder(sql).BuildExpression(tree.expression());
        }
        catch (InsufficientExecutionStackException)
        {
            throw TooDeep(sql);
        }
    }

    // Building the AST can run out of stack too: a long flat chain (1 + 1 + ... parsed in a loop) still makes a
    // deep tree.
    private static SqlSyntaxException TooDeep(string sql) =>
        SqlSyntaxException.At(sql, 0, 0, "statement is nested too deeply");

    private static T Run<T>(string sql, Func<QuerySqlParser, T> rule)
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
            CheckNesting(sql, tokens);
            parser.TokenStream = tokens;
            return RunTwoStage(parser, tokens, listener, rule);
        }
        catch (InsufficientExecutionStackException)
        {
            throw TooDeep(sql);
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
    /// Rejects bracket nesting deeper than <see cref="MaxNestingDepth"/> before parsing. Deciding what an opening
    /// parenthesis starts (subquery or expression) can look ahead to its partner, so the cost of pathological
    /// nesting grows with the square of its depth; the limit keeps that bounded and far from the stack's limit.
    /// </summary>
    private static void CheckNesting(string sql, CommonTokenStream tokens)
    {
        var depth = 0;
        var list = tokens.GetTokens();
        for (var i = 0; i < list.Count; i++)
        {
            var type = list[i].Type;
            if (type is QuerySqlLexer.LPAREN or QuerySqlLexer.LBRACKET)
            {
                if (++depth > MaxNestingDepth)
                {
                    throw SqlSyntaxException.At(sql, list[i].StartIndex, 1,
                        $"statement is nested too deeply (more than {MaxNestingDepth} levels of brackets)");
                }
            }
            else if (type is QuerySqlLexer.RPAREN or QuerySqlLexer.RBRACKET && depth > 0)
            {
                depth--;
            }
        }
    }

    /// <summary>Deepest bracket nesting accepted; far beyond hand-written SQL, far below the stack's limit.</summary>
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
            return rule(parser);
        }
        catch (ParseCanceledException)
        {
            tokens.Seek(0);
            parser.Reset();
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
