using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>UNION, INTERSECT, EXCEPT.</summary>
public enum SetOperationKind
{
    Union,
    Intersect,
    Except,
}

/// <summary>
/// <c>left UNION / INTERSECT / EXCEPT [ALL] right</c>: both inputs have <see cref="Output"/>'s column count and
/// types (the planner casts each side to the common types). Without ALL, duplicates are removed (NULLs equal).
/// </summary>
public sealed record LogicalSetOperation(LogicalPlan Left, LogicalPlan Right, SetOperationKind Kind, bool All,
    EquatableArray<ColumnInfo> Output) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => Output;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitSetOperation(this);
}

/// <summary>
/// The rows a recursive WITH query's recursive term reads: those its previous iteration produced. Filled by the
/// <see cref="LogicalRecursiveUnion"/> that owns it, before each run of the recursive term.
/// </summary>
public sealed class WorkTable(EquatableArray<ColumnInfo> columns, string name)
{
    public EquatableArray<ColumnInfo> Columns { get; } = columns;

    public string Name { get; } = name;

    /// <summary>Whether the recursive term reads it (a term that does not is an ordinary UNION).</summary>
    public bool Referenced { get; set; }

    /// <summary>The previous iteration's rows, during a run.</summary>
    public List<Cell[]> Rows { get; set; } = [];
}

/// <summary>
/// <c>WITH RECURSIVE name AS (anchor UNION [ALL] recursive)</c>: the anchor's rows, then the recursive term run
/// over the previous iteration's new rows (<see cref="WorkTable"/>) until an iteration adds none. Without ALL a row
/// already produced is not produced again.
/// </summary>
public sealed record LogicalRecursiveUnion(LogicalPlan Anchor, LogicalPlan Recursive, WorkTable WorkTable, bool All)
    : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => WorkTable.Columns;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitRecursiveUnion(this);
}

/// <summary>The rows of a <see cref="WorkTable"/> (the recursive reference of a recursive WITH query).</summary>
public sealed record LogicalWorkTableScan(WorkTable WorkTable) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => WorkTable.Columns;

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitWorkTableScan(this);
}
