using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning;

/// <summary>
/// Names of result columns without an alias, as PostgreSQL gives them (its FigureColname): a column reference
/// or field selection is named after the column or field, a function call after the function (<c>count</c>),
/// a cast after its operand or else its type (<c>1::int</c> is <c>int4</c>), CASE after its ELSE's name or else
/// its keyword, ARRAY and EXISTS after their keyword, a scalar subquery after its one column, and anything else is <c>?column?</c>. Clients key rows by
/// these names (node's <c>row.count</c>, pandas' columns), so they follow PostgreSQL rather than ksqlDB's
/// KSQL_COL_n; persistent queries keep ksqlDB's names for the columns of the relations they create.
/// </summary>
internal static class ResultColumnNames
{
    public const string Unnamed = "?column?";

    public static string Of(Ast.Expr expression) => Figure(expression) ?? Unnamed;

    /// <summary>The name the expression carries, or null when only a weaker name (or none) applies.</summary>
    private static string? Figure(Ast.Expr expression) => expression switch
    {
        Ast.ColumnRef column => column.Name.Value,
        Ast.FieldAccessExpr field => field.Field.Value,
        Ast.SubscriptExpr subscript => Figure(subscript.Base),
        Ast.FunctionCall call => call.Name.Name.Value,
        Ast.CastExpr cast => Figure(cast.Operand) ?? TypeName(cast.Type),
        Ast.CollateExpr collate => Figure(collate.Operand),
        Ast.CaseExpr c => (c.Else is { } otherwise ? Strong(otherwise) : null) ?? "case",
        Ast.ArrayConstructor or Ast.ArraySubqueryExpr => "array",
        Ast.ExistsExpr => "exists",
        Ast.SubqueryExpr subquery => OnlyColumn(subquery.Query),
        _ => null,
    };

    /// <summary>A name PostgreSQL ranks strong: not a cast's type name nor CASE's keyword (a CASE is named after its
    /// ELSE when that has a strong name: <c>CASE WHEN .. THEN '' ELSE c.x::text END</c> is <c>x</c>).</summary>
    private static string? Strong(Ast.Expr expression) => expression switch
    {
        Ast.CastExpr cast => Strong(cast.Operand),
        Ast.CollateExpr collate => Strong(collate.Operand),
        Ast.SubscriptExpr subscript => Strong(subscript.Base),
        Ast.CaseExpr c => c.Else is { } otherwise ? Strong(otherwise) : null,
        _ => Figure(expression),
    };

    private static string? OnlyColumn(Ast.SelectQuery query) =>
        query.Body is Ast.Select { Items: { Count: 1 } items } && items[0] is Ast.SingleColumn single
            ? single.Alias?.Value ?? Figure(single.Expression)
            : null;

    /// <summary>PostgreSQL's own name of a type as written in a cast (<c>int4</c> for INT, <c>text</c> ...).</summary>
    public static string TypeName(Ast.SqlTypeSyntax type) => type.Name switch
    {
        Ast.SqlTypeNames.Boolean => "bool",
        Ast.SqlTypeNames.Int => "int4",
        Ast.SqlTypeNames.BigInt => "int8",
        Ast.SqlTypeNames.Double => "float8",
        Ast.SqlTypeNames.Decimal => "numeric",
        Ast.SqlTypeNames.String => "text",
        Ast.SqlTypeNames.Bytes => "bytea",
        Ast.SqlTypeNames.Timestamp => "timestamp",
        Ast.SqlTypeNames.Array when type.ElementTypes.Count == 1 => TypeName(type.ElementTypes[0]),
        _ => type.Name.ToLowerInvariant(),
    };
}
