using Query.Engine.Functions;
using Query.Engine.SystemCatalog;

namespace Query.Engine.Binding;

/// <summary>
/// Which PostgreSQL type a result column has where it differs from its engine type's mapping: a catalog column's
/// <c>oid</c>, <c>name</c> or <c>"char"</c> stays so through references, CASE, scalar subqueries, GROUP BY /
/// DISTINCT keys and array_agg (an <c>oid[]</c>). asyncpg's type introspection needs it: it can decode only
/// <c>oid[]</c> and <c>"char"</c> there, and asks again about any type it cannot decode.
/// </summary>
internal static class PgTypeOids
{
    /// <summary>The PostgreSQL type of <paramref name="expression"/> over a row of <paramref name="row"/>; 0:
    /// its engine type's own.</summary>
    public static int Of(BoundExpr expression, IReadOnlyList<ColumnInfo> row)
    {
        Limits.DepthGuard.Enter();
        switch (expression)
        {
            case BoundColumn column when column.Ordinal < row.Count && row[column.Ordinal].Type.Equals(column.Type):
                return row[column.Ordinal].PgTypeOid;
            case BoundSubquery { Kind: SubqueryKind.Scalar } subquery when subquery.Query.Columns.Count == 1
                && subquery.Query.Columns[0].Type.Equals(subquery.Type):
                return subquery.Query.Columns[0].PgTypeOid;
            case BoundCase caseExpression:
                var oid = -1;
                foreach (var when in caseExpression.Whens)
                    oid = Agree(oid, when.Result, row);
                if (caseExpression.Else is { } otherwise)
                    oid = Agree(oid, otherwise, row);
                return Math.Max(oid, 0);
            default:
                return 0;
        }
    }

    // Branches that are NULL literals say nothing; the others must agree.
    private static int Agree(int so, BoundExpr branch, IReadOnlyList<ColumnInfo> row)
    {
        if (branch is BoundLiteral { Value: null } || so == 0)
            return so;
        var oid = Of(branch, row);
        return so < 0 || so == oid ? oid : 0;
    }

    /// <summary>An aggregate's result over <paramref name="source"/>: array_agg of an oid column is oid[]. (Only
    /// oid: <c>attname::text</c> binds to the name column itself, so a name[] here could be text[] in
    /// PostgreSQL; text[] is what both read as.)</summary>
    public static int OfAggregate(BoundAggregate aggregate, IReadOnlyList<ColumnInfo> source) =>
        aggregate.Kind == AggregateKind.CollectList && aggregate.Argument is { } argument
            && Of(argument, source) == PgTypes.Oid ? PgTypes.OidArray : 0;
}
