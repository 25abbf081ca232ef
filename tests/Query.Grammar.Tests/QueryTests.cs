using Query.Grammar.Ast;

namespace Query.Grammar.Tests;

public class QueryTests
{
    [Fact]
    public void Select_reads_every_clause()
    {
        var q = Sql.Statement<QueryStatement>(
            "SELECT DISTINCT k, COUNT(*) AS n FROM s AS x WINDOW TUMBLING (SIZE 1 MINUTE) WHERE ROWTIME > 5 " +
            "GROUP BY k HAVING COUNT(*) > 1 PARTITION BY k ORDER BY n DESC EMIT FINAL LIMIT 3 OFFSET 1").Query;
        var s = Assert.IsType<Select>(q.Body);
        Assert.True(s.Distinct);
        Assert.Equal(2, s.Items.Count);
        Assert.Equal("n", Assert.IsType<SingleColumn>(s.Items[1]).Alias!.Value);
        Assert.Equal(new TableRef(QualifiedName.Of("s"), Identifier.Unquoted("x"), default), s.From);
        Assert.IsType<TumblingWindow>(s.Window);
        Assert.IsType<BinaryExpr>(s.Where);
        Assert.Single(s.GroupBy);
        Assert.NotNull(s.Having);
        Assert.Single(s.PartitionBy);
        Assert.True(q.OrderBy[0].Descending);
        Assert.Equal(EmitKind.Final, q.Emit);
        Assert.Equal(new IntegerLiteral(3), q.Limit);
        Assert.Equal(new IntegerLiteral(1), q.Offset);
    }

    [Fact]
    public void Select_without_from()
    {
        var s = Sql.Select("SELECT 1");
        Assert.Null(s.From);
        Assert.Equal(new SingleColumn(new IntegerLiteral(1), null), s.Items[0]);
    }

    [Fact]
    public void Star_and_qualified_star()
    {
        var s = Sql.Select("SELECT *, t.* FROM t");
        Assert.Equal(new AllColumns(null), s.Items[0]);
        Assert.Equal(new AllColumns(Identifier.Unquoted("t")), s.Items[1]);
    }

    [Theory]
    [InlineData("JOIN", JoinKind.Inner)]
    [InlineData("INNER JOIN", JoinKind.Inner)]
    [InlineData("LEFT JOIN", JoinKind.Left)]
    [InlineData("LEFT OUTER JOIN", JoinKind.Left)]
    [InlineData("RIGHT OUTER JOIN", JoinKind.Right)]
    [InlineData("FULL JOIN", JoinKind.Full)]
    [InlineData("FULL OUTER JOIN", JoinKind.Full)]
    public void Join_kinds(string join, JoinKind kind)
    {
        var j = Assert.IsType<Join>(Sql.Select($"SELECT * FROM a {join} b ON a.id = b.id").From);
        Assert.Equal(kind, j.Kind);
        Assert.Equal(new BinaryExpr(BinaryOperator.Equal, Sql.Column("a", "id"), Sql.Column("b", "id")), j.On);
    }

    [Fact]
    public void Join_within_one_or_two_durations_and_grace()
    {
        var one = Assert.IsType<Join>(Sql.Select("SELECT * FROM a JOIN b WITHIN 1 HOUR ON a.x = b.x").From);
        Assert.Equal(new WithinClause(new Duration(1, TimeUnit.Hour), null, null), one.Within);
        Assert.Equal(one, Sql.Select("SELECT * FROM a JOIN b WITHIN (1 HOURS) ON a.x = b.x").From);
        var two = Assert.IsType<Join>(Sql.Select(
            "SELECT * FROM a LEFT JOIN b WITHIN (10 SECONDS, 5 MINUTES) GRACE PERIOD 2 MILLISECONDS ON a.x = b.x").From);
        Assert.Equal(new WithinClause(new Duration(10, TimeUnit.Second), new Duration(5, TimeUnit.Minute),
            new Duration(2, TimeUnit.Millisecond)), two.Within);
    }

    [Fact]
    public void Join_chains_are_left_deep_and_comma_binds_looser()
    {
        var chain = Assert.IsType<Join>(Sql.Select("SELECT * FROM a JOIN b ON x JOIN c ON y").From);
        Assert.IsType<Join>(chain.Left);
        Assert.IsType<TableRef>(chain.Right);
        var comma = Assert.IsType<Join>(Sql.Select("SELECT * FROM a, b LEFT JOIN c ON y").From);
        Assert.Equal(JoinKind.Comma, comma.Kind);
        Assert.Equal(JoinKind.Left, Assert.IsType<Join>(comma.Right).Kind);
    }

    [Fact]
    public void Using_and_cross_join()
    {
        var j = Assert.IsType<Join>(Sql.Select("SELECT * FROM a JOIN b USING (id)").From);
        Assert.Equal([Identifier.Unquoted("id")], j.Using);
        Assert.Equal(JoinKind.Cross, Assert.IsType<Join>(Sql.Select("SELECT * FROM a CROSS JOIN b").From).Kind);
    }

    [Fact]
    public void Subquery_and_table_function_relations_with_column_aliases()
    {
        var sub = Assert.IsType<SubqueryRef>(Sql.Select("SELECT * FROM (SELECT a FROM s) AS t(x)").From);
        Assert.Equal("t", sub.Alias!.Value);
        Assert.Equal([Identifier.Unquoted("x")], sub.ColumnAliases);
        var fn = Assert.IsType<FunctionRef>(Sql.Select("SELECT r FROM generate_series(1, 5) s(r)").From);
        Assert.Equal("generate_series", fn.Call.Name.Name.Value);
        Assert.Equal(2, fn.Call.Arguments.Count);
    }

    [Fact]
    public void Windows_read_size_advance_retention_and_grace()
    {
        Assert.Equal(new TumblingWindow(new Duration(5, TimeUnit.Minute), new Duration(1, TimeUnit.Day),
                new Duration(10, TimeUnit.Second)),
            Sql.Select("SELECT k FROM s WINDOW TUMBLING (SIZE 5 MINUTES, RETENTION 1 DAY, GRACE PERIOD 10 SECONDS)").Window);
        Assert.Equal(new HoppingWindow(new Duration(1, TimeUnit.Hour), new Duration(10, TimeUnit.Minute), null,
                new Duration(1, TimeUnit.Millisecond)),
            Sql.Select("SELECT k FROM s WINDOW HOPPING (SIZE 1 HOUR, ADVANCE BY 10 MINUTES, GRACE PERIOD 1 MILLISECOND)").Window);
        Assert.Equal(new SessionWindow(new Duration(30, TimeUnit.Second), null, null),
            Sql.Select("SELECT k FROM s WINDOW SESSION (30 SECONDS)").Window);
        Assert.Equal(TimeSpan.FromMinutes(5), new Duration(5, TimeUnit.Minute).ToTimeSpan());
    }

    [Fact]
    public void Window_option_given_twice_is_an_error()
    {
        const string sql = "SELECT k FROM s WINDOW TUMBLING (SIZE 1 SECOND, RETENTION 1 DAY, RETENTION 2 DAYS)";
        var e = Sql.Error(sql);
        Assert.Contains("RETENTION", e.Message);
        Assert.Equal(sql.IndexOf(", RETENTION 2", StringComparison.Ordinal), e.Offset);
    }

    [Fact]
    public void Emit_changes_marks_a_push_query()
    {
        Assert.Equal(EmitKind.Changes, Sql.Statement<QueryStatement>("SELECT * FROM s EMIT CHANGES").Query.Emit);
        Assert.Equal(EmitKind.None, Sql.Statement<QueryStatement>("SELECT * FROM s").Query.Emit);
    }

    [Fact]
    public void Set_operations_are_left_associative_and_parenthesized_queries_nest()
    {
        var q = Sql.Statement<QueryStatement>("SELECT a FROM s UNION ALL SELECT b FROM t EXCEPT SELECT c FROM u").Query;
        var except = Assert.IsType<SetOperation>(q.Body);
        Assert.Equal(SetOperator.Except, except.Operator);
        var union = Assert.IsType<SetOperation>(except.Left);
        Assert.True(union.All);
        var nested = Sql.Statement<QueryStatement>("(SELECT a FROM s LIMIT 1) UNION SELECT b FROM t").Query;
        Assert.IsType<SelectQuery>(Assert.IsType<SetOperation>(nested.Body).Left);
        // Plain parentheses add nothing to the tree.
        Assert.Equal(Sql.Statement<QueryStatement>("SELECT 1"), Sql.Statement<QueryStatement>("((SELECT 1))"));
    }

    [Fact]
    public void Order_by_reads_direction_and_nulls()
    {
        var q = Sql.Statement<QueryStatement>("SELECT * FROM s ORDER BY a, b DESC NULLS FIRST, c ASC NULLS LAST").Query;
        Assert.Equal(new SortItem(Sql.Column("a"), false, NullsOrder.Default), q.OrderBy[0]);
        Assert.Equal(new SortItem(Sql.Column("b"), true, NullsOrder.First), q.OrderBy[1]);
        Assert.Equal(new SortItem(Sql.Column("c"), false, NullsOrder.Last), q.OrderBy[2]);
    }

    [Fact]
    public void Limit_all_is_no_limit_and_limit_may_be_a_parameter()
    {
        Assert.Null(Sql.Statement<QueryStatement>("SELECT * FROM s LIMIT ALL").Query.Limit);
        Assert.Equal(new Parameter(1), Sql.Statement<QueryStatement>("SELECT * FROM s LIMIT $1").Query.Limit);
    }

    [Fact]
    public void Catalog_names_are_schema_qualified_everywhere()
    {
        var s = Sql.Select("SELECT pg_catalog.version(), n.nspname FROM pg_catalog.pg_namespace n");
        var call = Assert.IsType<FunctionCall>(Assert.IsType<SingleColumn>(s.Items[0]).Expression);
        Assert.Equal("pg_catalog", call.Name.Schema);
        Assert.Equal("pg_namespace", Assert.IsType<TableRef>(s.From).Name.Name.Value);
        Assert.Equal("pg_catalog", Assert.IsType<TableRef>(s.From).Name.Schema);
    }
}
