using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Planning;
using Query.Engine.Types;
using Query.Grammar;

namespace Query.Engine.Tests;

public sealed class ExpressionTests
{
    private static readonly BindScope Scope = new("t", null,
        [new ColumnInfo("i", SqlType.Int), new ColumnInfo("s", SqlType.String), new ColumnInfo("b", SqlType.Boolean)],
        allowPseudoColumns: true);

    private static object? Eval(string expression, params object?[] row)
    {
        var bound = new ExpressionBinder(Scope, new ParameterTypes()).Bind(SqlParser.ParseExpression(expression));
        var cells = new Cell[row.Length];
        for (var i = 0; i < row.Length; i++)
            cells[i] = Cell.FromObject(row[i], Scope.Columns[i].Type);
        var output = new Cell[1];
        ExpressionCompiler<CellRow>.CompileProjection([bound])(new CellRow(cells), output);
        return output[0].ToObject(bound.Type);
    }

    [Theory]
    [InlineData("NULL AND FALSE", false)]
    [InlineData("NULL AND TRUE", null)]
    [InlineData("NULL OR TRUE", true)]
    [InlineData("NULL OR FALSE", null)]
    [InlineData("NOT (NULL = 1)", null)]
    [InlineData("1 IN (2, NULL)", null)]
    [InlineData("1 IN (1, NULL)", true)]
    [InlineData("NULL IS NULL", true)]
    [InlineData("1 IS DISTINCT FROM NULL", true)]
    [InlineData("2 BETWEEN 1 AND 3", true)]
    [InlineData("'abc' LIKE 'a%'", true)]
    [InlineData("'abc' LIKE '_b_'", true)]
    [InlineData("'a%c' LIKE 'a!%c' ESCAPE '!'", true)]
    [InlineData("'ABC' ILIKE 'abc'", true)]
    public void Three_valued_logic_matches_sql(string expression, bool? expected) =>
        Assert.Equal(expected, Eval(expression, 0, "", false));

    [Fact]
    public void Columns_nulls_and_case_evaluate()
    {
        Assert.Equal(8, Eval("I * 2", 4, "x", true));
        Assert.Null(Eval("I * 2", null, "x", true));
        Assert.Equal("x!", Eval("S || '!'", 1, "x", true));
        Assert.Equal("no", Eval("CASE WHEN B THEN 'yes' ELSE 'no' END", 1, "x", null));
        Assert.Equal("two", Eval("CASE I WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", 2, "x", true));
        Assert.Equal(5, Eval("COALESCE(NULL, I, 9)", 5, "x", true));
        Assert.Null(Eval("NULLIF(I, 5)", 5, "x", true));
    }

    [Fact]
    public void Casts_follow_postgres_rounding_and_range_rules()
    {
        Assert.Equal(2, Eval("CAST(2.5E0 AS INT)", 0, "", false));
        Assert.Equal(3, Eval("CAST(2.5 AS INT)", 0, "", false));
        Assert.Equal(1.24m, Eval("CAST(1.235 AS DECIMAL(4, 2))", 0, "", false));
        Assert.Equal(42L, Eval("CAST('42' AS BIGINT)", 0, "", false));
        Assert.Equal("true", Eval("CAST(TRUE AS STRING)", 0, "", false));
        Assert.Equal(SqlState.NumericValueOutOfRange,
            Assert.Throws<SqlException>(() => Eval("CAST(1E10 AS INT)", 0, "", false)).SqlState);
        Assert.Equal(SqlState.InvalidTextRepresentation,
            Assert.Throws<SqlException>(() => Eval("CAST('x' AS INT)", 0, "", false)).SqlState);
    }

    [Fact]
    public void Functions_cover_strings_math_time_and_json()
    {
        Assert.Equal("heLLo", Eval("REPLACE('hello', 'll', 'LL')", 0, "", false));
        Assert.Equal(3, Eval("INSTR('abcd', 'c')", 0, "", false));
        Assert.Equal("00ab", Eval("LPAD('ab', 4, '0')", 0, "", false));
        Assert.Equal(3L, Eval("ROUND(2.5E0)", 0, "", false));
        Assert.Equal(8.0, Eval("POWER(2, 3)", 0, "", false));
        Assert.Equal("2024-01-01", Eval("FORMAT_TIMESTAMP(TIMESTAMP '2024-01-01 10:00:00', 'yyyy-MM-dd')", 0, "",
            false));
        Assert.Equal("b", Eval("EXTRACTJSONFIELD('{\"a\":{\"x\":\"b\"}}', '$.a.x')", 0, "", false));
        Assert.Equal(9, Eval("GREATEST(3, NULL, 9)", 0, "", false));
        Assert.Equal("a-b", Eval("CONCAT('a', NULL, '-b')", 0, "", false));
        Assert.Equal(2, Eval("ARRAY_LENGTH(SPLIT('a,b', ','))", 0, "", false));
    }

    [Fact]
    public void Interval_sets_intersect_and_union()
    {
        var a = IntervalSet.Range(0, 10).Union(IntervalSet.Range(20, 30));
        Assert.Equal("[5, 10] u [20, 25]", a.Intersect(IntervalSet.Range(5, 25)).ToString());
        Assert.Equal("[0, 30]", a.Union(IntervalSet.Range(11, 19)).ToString());
        Assert.True(IntervalSet.Range(3, 2).IsEmpty);
    }

    [Fact]
    public void Pushdown_reduces_and_or_not_to_regions()
    {
        BoundExpr Bind(string sql) => new ExpressionBinder(Scope,
            new ParameterTypes()).Bind(SqlParser.ParseExpression(sql));
        var region = PushdownAnalyzer.Analyze(Bind("ROWOFFSET >= 10 AND NOT (ROWOFFSET > 20) AND I = 3"), 0);
        Assert.Equal("[10, 20]", region.Offsets.ToString());
        var partitioned = Bind("(ROWPARTITION = 1 AND ROWOFFSET > 5) OR ROWPARTITION = 2");
        Assert.True(PushdownAnalyzer.Analyze(partitioned, 0).IsEmpty);
        Assert.Equal("[6, +inf]", PushdownAnalyzer.Analyze(partitioned, 1).Offsets.ToString());
        Assert.True(PushdownAnalyzer.Analyze(partitioned, 2).Offsets.IsAll);
        var time = PushdownAnalyzer.Analyze(Bind("ROWTIME >= '2024-01-01' AND ROWTIME < TIMESTAMP '2024-01-02 "
            + "00:00:00'"), 0);
        Assert.Equal("[1704067200000, 1704153599999]", time.Times.ToString());
    }
}
