using Query.Grammar.Ast;

namespace Query.Grammar.Tests;

/// <summary>Short helpers for tests: parse one statement of an expected type, or one expression.</summary>
internal static class Sql
{
    public static T Statement<T>(string sql)
        where T : Statement => Assert.IsType<T>(SqlParser.ParseStatement(sql));

    public static Select Select(string sql) =>
        Assert.IsType<Select>(Statement<QueryStatement>(sql).Query.Body);

    public static Expr Expr(string sql) => SqlParser.ParseExpression(sql);

    public static ColumnRef Column(string name) => new(null, Identifier.Unquoted(name));

    public static ColumnRef Column(string qualifier, string name) =>
        new(Identifier.Unquoted(qualifier), Identifier.Unquoted(name));

    public static SqlSyntaxException Error(string sql) =>
        Assert.Throws<SqlSyntaxException>(() => SqlParser.Parse(sql));
}
