using Query.Grammar.Ast;

namespace Query.Grammar.Tests;

public class ExpressionTests
{
    private static BinaryExpr Binary(BinaryOperator op, Expr left, Expr right) => new(op, left, right);

    private static readonly ColumnRef A = Sql.Column("a");
    private static readonly ColumnRef B = Sql.Column("b");
    private static readonly ColumnRef C = Sql.Column("c");

    [Theory]
    [InlineData("a OR b AND c", "a OR (b AND c)")]
    [InlineData("a AND b OR c", "(a AND b) OR c")]
    [InlineData("NOT a AND b", "(NOT a) AND b")]
    [InlineData("NOT a = b", "NOT (a = b)")]
    [InlineData("NOT a IS NULL", "NOT (a IS NULL)")]
    [InlineData("a = b AND c = d", "(a = b) AND (c = d)")]
    [InlineData("a || b = c", "(a || b) = c")]
    [InlineData("a + b || c", "(a + b) || c")]
    [InlineData("a || b + c", "a || (b + c)")]
    [InlineData("a || b LIKE c", "(a || b) LIKE c")]
    [InlineData("a + b * c", "a + (b * c)")]
    [InlineData("a * b + c", "(a * b) + c")]
    [InlineData("a - b - c", "(a - b) - c")]
    [InlineData("a / b % c", "(a / b) % c")]
    [InlineData("-a * b", "(-a) * b")]
    [InlineData("-a[1]", "-(a[1])")]
    [InlineData("-a::int", "-(CAST(a AS INT))")]
    [InlineData("a::int + 1", "CAST(a AS INT) + 1")]
    [InlineData("a BETWEEN 1 AND 2 AND b", "(a BETWEEN 1 AND 2) AND b")]
    [InlineData("a BETWEEN b + 1 AND c * 2", "a BETWEEN (b + 1) AND (c * 2)")]
    [InlineData("a IN (1, 2) OR b", "(a IN (1, 2)) OR b")]
    [InlineData("s->f->g", "(s->f)->g")]
    [InlineData("a[1][2]", "(a[1])[2]")]
    public void Precedence_follows_sql(string sql, string parenthesized) =>
        Assert.Equal(Sql.Expr(parenthesized), Sql.Expr(sql));

    [Fact]
    public void Or_is_the_loosest_and_and_binds_tighter()
    {
        Assert.Equal(Binary(BinaryOperator.Or, A, Binary(BinaryOperator.And, B, C)), Sql.Expr("a OR b AND c"));
    }

    [Theory]
    [InlineData("a = b", BinaryOperator.Equal)]
    [InlineData("a <> b", BinaryOperator.NotEqual)]
    [InlineData("a != b", BinaryOperator.NotEqual)]
    [InlineData("a < b", BinaryOperator.Less)]
    [InlineData("a <= b", BinaryOperator.LessOrEqual)]
    [InlineData("a > b", BinaryOperator.Greater)]
    [InlineData("a >= b", BinaryOperator.GreaterOrEqual)]
    [InlineData("a ~ b", BinaryOperator.RegexMatch)]
    [InlineData("a !~ b", BinaryOperator.RegexNotMatch)]
    [InlineData("a ~* b", BinaryOperator.RegexMatchInsensitive)]
    [InlineData("a !~* b", BinaryOperator.RegexNotMatchInsensitive)]
    [InlineData("a OPERATOR(pg_catalog.~) b", BinaryOperator.RegexMatch)]
    [InlineData("a IS DISTINCT FROM b", BinaryOperator.IsDistinctFrom)]
    [InlineData("a IS NOT DISTINCT FROM b", BinaryOperator.IsNotDistinctFrom)]
    [InlineData("a || b", BinaryOperator.Concat)]
    [InlineData("a + b", BinaryOperator.Add)]
    [InlineData("a - b", BinaryOperator.Subtract)]
    [InlineData("a * b", BinaryOperator.Multiply)]
    [InlineData("a / b", BinaryOperator.Divide)]
    [InlineData("a % b", BinaryOperator.Modulo)]
    [InlineData("a AND b", BinaryOperator.And)]
    [InlineData("a OR b", BinaryOperator.Or)]
    public void Binary_operators(string sql, BinaryOperator op) => Assert.Equal(Binary(op, A, B), Sql.Expr(sql));

    [Fact]
    public void Unary_operators()
    {
        Assert.Equal(new UnaryExpr(UnaryOperator.Negate, A), Sql.Expr("-a"));
        Assert.Equal(new UnaryExpr(UnaryOperator.Plus, A), Sql.Expr("+a"));
        Assert.Equal(new UnaryExpr(UnaryOperator.Not, A), Sql.Expr("NOT a"));
        Assert.Equal(new UnaryExpr(UnaryOperator.Negate, new IntegerLiteral(1)), Sql.Expr("-1"));
    }

    [Fact]
    public void Predicates()
    {
        Assert.Equal(new IsNullExpr(A, false), Sql.Expr("a IS NULL"));
        Assert.Equal(new IsNullExpr(A, true), Sql.Expr("a IS NOT NULL"));
        Assert.Equal(new BetweenExpr(A, B, C, true), Sql.Expr("a NOT BETWEEN b AND c"));
        Assert.Equal(new InListExpr(A, [new IntegerLiteral(1), B], false), Sql.Expr("a IN (1, b)"));
        Assert.Equal(new InListExpr(A, [new StringLiteral("x")], true), Sql.Expr("a NOT IN ('x')"));
        Assert.Equal(new LikeExpr(A, new StringLiteral("x%"), null, false, false), Sql.Expr("a LIKE 'x%'"));
        Assert.Equal(new LikeExpr(A, new StringLiteral("x!%"), "!", true, false), Sql.Expr("a NOT LIKE 'x!%' ESCAPE '!'"));
        Assert.Equal(new LikeExpr(A, new StringLiteral("X"), null, false, true), Sql.Expr("a ILIKE 'X'"));
        var sub = Assert.IsType<InSubqueryExpr>(Sql.Expr("a NOT IN (SELECT b FROM t)"));
        Assert.True(sub.Negated);
    }

    [Fact]
    public void Quantified_comparisons()
    {
        Assert.Equal(new QuantifiedComparisonExpr(BinaryOperator.Equal, Quantifier.Any, A, B), Sql.Expr("a = ANY(b)"));
        Assert.Equal(new QuantifiedComparisonExpr(BinaryOperator.Less, Quantifier.Any, A, B), Sql.Expr("a < SOME (b)"));
        Assert.Equal(new QuantifiedComparisonExpr(BinaryOperator.Greater, Quantifier.All, A, B), Sql.Expr("a > ALL(b)"));
        var sub = Assert.IsType<QuantifiedComparisonExpr>(Sql.Expr("a = ANY (SELECT b FROM t)"));
        Assert.IsType<SubqueryExpr>(sub.Right);
    }

    [Fact]
    public void Case_searched_and_simple()
    {
        var searched = Assert.IsType<CaseExpr>(Sql.Expr("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END"));
        Assert.Null(searched.Operand);
        Assert.Equal(2, searched.WhenClauses.Count);
        Assert.Equal(new IntegerLiteral(3), searched.Else);
        var simple = Assert.IsType<CaseExpr>(Sql.Expr("CASE a WHEN 1 THEN 'x' END"));
        Assert.Equal(A, simple.Operand);
        Assert.Null(simple.Else);
        Assert.Equal(new WhenClause(new IntegerLiteral(1), new StringLiteral("x")), simple.WhenClauses[0]);
    }

    [Fact]
    public void Cast_and_double_colon_are_the_same_node()
    {
        var expected = new CastExpr(A, SqlTypeSyntax.Simple(SqlTypeNames.BigInt));
        Assert.Equal(expected, Sql.Expr("CAST(a AS BIGINT)"));
        Assert.Equal(expected, Sql.Expr("a::int8"));
        Assert.Equal(new CastExpr(new CastExpr(new StringLiteral("1"), SqlTypeSyntax.Simple("INT")), SqlTypeSyntax.Simple("STRING")),
            Sql.Expr("'1'::int4::text"));
        Assert.Equal(new CastExpr(Sql.Column("oid"), SqlTypeSyntax.Simple("REGCLASS")), Sql.Expr("oid::pg_catalog.regclass"));
    }

    [Fact]
    public void Function_calls_star_distinct_and_over()
    {
        var count = Assert.IsType<FunctionCall>(Sql.Expr("COUNT(*)"));
        Assert.True(count.Star);
        Assert.True(count.Arguments.IsEmpty);
        var distinct = Assert.IsType<FunctionCall>(Sql.Expr("count(DISTINCT a)"));
        Assert.True(distinct.Distinct);
        Assert.Equal("count", distinct.Name.Name.Value);
        Assert.Equal([A], distinct.Arguments);
        var none = Assert.IsType<FunctionCall>(Sql.Expr("version()"));
        Assert.True(none.Arguments.IsEmpty);
        var over = Assert.IsType<FunctionCall>(Sql.Expr("row_number() OVER (PARTITION BY a ORDER BY b DESC)"));
        Assert.Equal([A], over.Over!.PartitionBy);
        Assert.True(over.Over.OrderBy[0].Descending);
    }

    [Fact]
    public void Lambdas_with_one_or_more_parameters()
    {
        var transform = Assert.IsType<FunctionCall>(Sql.Expr("TRANSFORM(arr, x => x + 1)"));
        var lambda = Assert.IsType<LambdaExpr>(transform.Arguments[1]);
        Assert.Equal([Identifier.Unquoted("x")], lambda.Parameters);
        Assert.Equal(Binary(BinaryOperator.Add, Sql.Column("x"), new IntegerLiteral(1)), lambda.Body);
        var reduce = Assert.IsType<FunctionCall>(Sql.Expr("REDUCE(arr, 0, (s, x) => s + x)"));
        Assert.Equal(2, Assert.IsType<LambdaExpr>(reduce.Arguments[2]).Parameters.Count);
    }

    [Fact]
    public void Subscript_and_struct_field_access()
    {
        Assert.Equal(new SubscriptExpr(A, new IntegerLiteral(1)), Sql.Expr("a[1]"));
        Assert.Equal(new SubscriptExpr(Sql.Column("m"), new StringLiteral("k")), Sql.Expr("m['k']"));
        Assert.Equal(new FieldAccessExpr(Sql.Column("s"), Identifier.Unquoted("f")), Sql.Expr("s->f"));
        Assert.Equal(Sql.Expr("s->f"), Sql.Expr("(s).f"));
        Assert.Equal(new SubscriptExpr(new FunctionCall(QualifiedName.Of("f"), default, false, false, null), new IntegerLiteral(1)),
            Sql.Expr("(f())[1]"));
    }

    [Fact]
    public void Constructors()
    {
        Assert.Equal(new ArrayConstructor([new IntegerLiteral(1), A]), Sql.Expr("ARRAY[1, a]"));
        Assert.Equal(new ArrayConstructor(default), Sql.Expr("ARRAY[]"));
        Assert.Equal(new MapConstructor([new MapEntry(new StringLiteral("k"), new IntegerLiteral(1))]), Sql.Expr("MAP('k' := 1)"));
        Assert.Equal(new StructConstructor([new StructFieldValue(Identifier.Unquoted("f"), A)]), Sql.Expr("STRUCT(f := a)"));
        Assert.IsType<ArraySubqueryExpr>(Sql.Expr("ARRAY(SELECT 1)"));
    }

    [Fact]
    public void Subqueries_in_expressions()
    {
        Assert.IsType<SubqueryExpr>(Sql.Expr("(SELECT 1)"));
        Assert.IsType<ExistsExpr>(Sql.Expr("EXISTS (SELECT 1 FROM t)"));
    }

    [Fact]
    public void Collate()
    {
        var c = Assert.IsType<CollateExpr>(Sql.Expr("a COLLATE pg_catalog.default"));
        Assert.Equal(QualifiedName.Of("pg_catalog", "default"), c.Collation);
    }

    [Fact]
    public void Parameters_are_numbered_placeholders()
    {
        Assert.Equal(new Parameter(12), Sql.Expr("$12"));
        Assert.Throws<SqlSyntaxException>(() => Sql.Expr("$0"));
    }

    [Fact]
    public void Pseudo_columns_are_marked()
    {
        Assert.Equal(PseudoColumn.RowTime, Assert.IsType<ColumnRef>(Sql.Expr("rowtime")).PseudoColumn);
        Assert.Equal(PseudoColumn.RowOffset, Assert.IsType<ColumnRef>(Sql.Expr("s.ROWOFFSET")).PseudoColumn);
        Assert.Equal(PseudoColumn.RowPartition, Assert.IsType<ColumnRef>(Sql.Expr("RowPartition")).PseudoColumn);
        Assert.Equal(PseudoColumn.WindowStart, Assert.IsType<ColumnRef>(Sql.Expr("WINDOWSTART")).PseudoColumn);
        Assert.Equal(PseudoColumn.WindowEnd, Assert.IsType<ColumnRef>(Sql.Expr("`windowend`")).PseudoColumn);
        Assert.True(Assert.IsType<ColumnRef>(Sql.Expr("rowtime")).IsPseudoColumn);
        // A quoted upper-case name is a different, ordinary column.
        Assert.False(Assert.IsType<ColumnRef>(Sql.Expr("\"ROWTIME\"")).IsPseudoColumn);
        Assert.False(Assert.IsType<ColumnRef>(Sql.Expr("rowtimes")).IsPseudoColumn);
    }
}
