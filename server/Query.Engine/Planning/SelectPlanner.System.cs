using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Planning.Joins;
using Query.Engine.Planning.Logical;
using Query.Engine.SystemCatalog;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning;

/// <summary>FROM names that mean a system catalog relation (pg_catalog, information_schema).</summary>
public sealed partial class SelectPlanner
{
    private JoinLeaf? _systemLeaf;

    /// <summary>The catalog the system relations are generated from, taken when the query runs; null where the
    /// system catalog cannot be read (a persistent query).</summary>
    public Func<CatalogSnapshot>? SystemCatalog { get; init; }

    /// <summary>The session's user and database, for current_user and the catalog functions.</summary>
    public SessionIdentity? Session { get; init; }

    /// <summary>The system relation <paramref name="table"/> names, as a join leaf; null for a stream or
    /// table.</summary>
    private JoinLeaf? SystemRelationOf(Ast.TableRef table, bool isPush)
    {
        var name = table.Name;
        if (name.Parts.Count > 2 || SystemCatalog is not { } snapshot)
            return null;
        var relation = PgCatalog.Find(name.Schema, name.Name.Value);
        if (relation is null)
        {
            if (PgCatalog.IsSystemSchema(name.Schema))
                throw new SqlException(SqlState.UndefinedTable, $"relation \"{name}\" does not exist",
                    position: PositionOf(table));
            return null;
        }
        if (isPush)
            throw SqlException.FeatureNotSupported($"a push query over the system catalog ({name})",
                PositionOf(table));
        if (table.ColumnAliases.Count > 0)
            throw SqlException.FeatureNotSupported("column aliases in FROM", PositionOf(table));
        return new JoinLeaf(relation.Name, table.Alias?.Value, relation.Columns,
            where => SystemLeaf(relation, snapshot, where), PositionOf(table));
    }

    private static LogicalPlan SystemLeaf(SystemRelation relation, Func<CatalogSnapshot> snapshot, BoundExpr? where)
    {
        LogicalPlan plan = new LogicalSystemScan(relation, snapshot);
        return where is null ? plan : new LogicalFilter(plan, where);
    }
}
