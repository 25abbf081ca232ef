using Query.Engine.Binding;
using Query.Engine.SystemCatalog;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>
/// The rows of a system catalog relation (pg_catalog, information_schema): bounded, generated from
/// <see cref="Snapshot"/> when the query runs, so a prepared statement sees the catalog of its execution.
/// </summary>
public sealed record LogicalSystemScan(SystemRelation Relation, Func<CatalogSnapshot> Snapshot) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => new([.. Relation.Columns]);

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitSystemScan(this);
}
