using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Tests;

/// <summary>
/// Issue 12 item 1: a deeply nested statement is 54001 statement_too_complex, never a stack overflow that kills the
/// process — on a fresh thread, on a warmed-up one, and on a thread with a small stack (where every pass, not only
/// the parser, runs out first).
/// </summary>
public sealed class StatementDepthTests : IAsyncLifetime
{
    private readonly EngineFixture _fixture = new();

    public Task InitializeAsync() =>
        _fixture.ExecAllAsync("CREATE STREAM deep (id INT KEY, v INT, s STRING) WITH (partitions = 1)",
            "INSERT INTO deep (id, v, s) VALUES (1, 2, 'x')");

    public Task DisposeAsync() => _fixture.DisposeAsync().AsTask();

    public static TheoryData<string, int> Shapes()
    {
        var data = new TheoryData<string, int>();
        foreach (var depth in new[] { 1_000, 10_000, 100_000 })
        {
            data.Add("not", depth);
            data.Add("minus", depth);
            data.Add("parentheses", depth);
            data.Add("case", depth);
            data.Add("calls", depth);
            data.Add("and", depth);
            data.Add("or", depth);
            data.Add("concat", depth);
        }
        return data;
    }

    /// <summary>SQL for an expression nested <paramref name="depth"/> levels in the given shape.</summary>
    public static string Nested(string shape, int depth) => shape switch
    {
        "not" => Repeat("NOT ", depth) + "TRUE",
        "minus" => Repeat("- ", depth) + "v",
        "parentheses" => Repeat("(", depth) + "v" + Repeat(")", depth),
        "case" => Repeat("CASE WHEN ", depth) + "TRUE" + Repeat(" THEN TRUE END", depth),
        "calls" => Repeat("ABS(", depth) + "v" + Repeat(")", depth),
        "and" => string.Join(" AND ", Enumerable.Repeat("v > 0", depth)),
        "or" => string.Join(" OR ", Enumerable.Repeat("v > 0", depth)),
        _ => string.Join(" || ", Enumerable.Repeat("s", depth)),
    };

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Deep_expressions_are_statement_too_complex_warm_and_cold(string shape, int depth)
    {
        var sql = $"SELECT {Nested(shape, depth)} FROM deep";
        // Several times: the first run is cold (unoptimized JIT, big frames), later ones run optimized code with
        // smaller frames, which is when the unguarded aggregation analysis used to overflow.
        for (var i = 0; i < 3; i++)
        {
            var e = await _fixture.FailsAsync(sql);
            Assert.Equal(SqlState.StatementTooComplex, e.SqlState);
        }
        var inWhere = await _fixture.FailsAsync($"SELECT v FROM deep WHERE ({Nested(shape, depth)}) IS NOT NULL");
        Assert.Equal(SqlState.StatementTooComplex, inWhere.SqlState);
        // The session and engine go on.
        Assert.Equal(2, (await _fixture.QueryAsync("SELECT v FROM deep"))[0][0]);
    }

    [Theory]
    [InlineData("not")]
    [InlineData("minus")]
    [InlineData("case")]
    [InlineData("and")]
    [InlineData("or")]
    [InlineData("concat")]
    public async Task Expressions_below_the_limit_run(string shape)
    {
        // Prefix operators and CASE count against the parser's nesting limit (200); chains against the depth (1000).
        var depth = shape is "not" or "minus" or "case" ? 150 : 900;
        var rows = await _fixture.QueryAsync($"SELECT ({Nested(shape, depth)}) IS NOT NULL FROM deep");
        Assert.Equal(true, rows[0][0]);
    }

    [Fact]
    public async Task The_limit_is_a_setting()
    {
        await using var small = new EngineFixture(o => o with { MaxStatementDepth = 50 });
        var e = await small.FailsAsync($"SELECT {Nested("not", 60)}");
        Assert.Equal(SqlState.StatementTooComplex, e.SqlState);
        Assert.Contains("50", e.Detail);
        Assert.Equal(false, (await small.QueryAsync($"SELECT {Nested("not", 10) + " AND FALSE"}"))[0][0]);
    }

    /// <summary>
    /// Every pass over a syntax or bound tree guards its own recursion: trees built by code are not limited by the
    /// parser, and a thread with a small stack runs out long before the depth limit. Before the guard, the
    /// aggregation analysis and the constant and pushdown passes overflowed the stack here and killed the process.
    /// </summary>
    [Theory]
    [InlineData("aggregation")]
    [InlineData("binder")]
    [InlineData("constant")]
    [InlineData("compiler")]
    [InlineData("pushdown")]
    public void Every_pass_answers_54001_on_a_tree_deeper_than_the_stack(string pass)
    {
        Ast.Expr syntax = new Ast.BooleanLiteral(true);
        for (var i = 0; i < 200_000; i++)
            syntax = new Ast.UnaryExpr(Ast.UnaryOperator.Not, syntax);
        BoundExpr bound = new BoundLiteral(true, SqlType.Boolean);
        for (var i = 0; i < 200_000; i++)
            bound = new BoundUnary(UnaryOp.Not, bound);
        var scope = new BindScope("t", null, [new ColumnInfo("v", SqlType.Int)], allowPseudoColumns: true);
        Action run = pass switch
        {
            "aggregation" => () => AggregationContext.ContainsAggregate(syntax),
            "binder" => () => new ExpressionBinder(scope, new ParameterTypes()).Bind(syntax),
            "constant" => () => ConstantEvaluator.IsConstant(bound),
            "compiler" => () => ExpressionCompiler<CellRow>.CompilePredicate(bound),
            _ => () => Planning.PushdownAnalyzer.Analyze(bound, 0),
        };
        var error = OnSmallStack(run);
        Assert.Equal(SqlState.StatementTooComplex, Assert.IsType<SqlException>(error).SqlState);
    }

    /// <summary>Runs on a thread with a 256 KiB stack and returns what it threw.</summary>
    internal static Exception? OnSmallStack(Action action)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                error = e;
            }
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        return error;
    }

    [Fact]
    public void A_query_on_a_small_stack_is_statement_too_complex_not_a_crash()
    {
        var session = _fixture.Engine.CreateSession();
        foreach (var shape in new[] { "not", "minus", "case", "and", "or", "concat" })
        {
            var error = OnSmallStack(() => session.Prepare($"SELECT {Nested(shape, 900)} FROM deep"));
            Assert.Equal(SqlState.StatementTooComplex, Assert.IsType<SqlException>(error).SqlState);
        }
    }
}
