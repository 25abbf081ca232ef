using Query.Engine.Binding;
using Query.Engine.Types;
using Query.Engine.WindowFunctions;

namespace Query.Engine.Planning.Logical;

/// <summary>
/// Window functions over a bounded input: every row is kept, each function is computed over its partition, and the
/// output row is the input's first <see cref="PassThrough"/> columns followed by one column per function. The input
/// (a projection) ends with the functions' arguments and keys, which the output leaves out.
/// </summary>
public sealed record LogicalWindow(LogicalPlan Input, int PassThrough, EquatableArray<BoundWindowFunction> Functions)
    : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns
    {
        get
        {
            var columns = new ColumnInfo[PassThrough + Functions.Count];
            for (var i = 0; i < PassThrough; i++)
                columns[i] = Input.Columns[i];
            for (var i = 0; i < Functions.Count; i++)
                columns[PassThrough + i] = new ColumnInfo(Functions[i].Name, Functions[i].ResultType);
            return new(columns);
        }
    }

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitWindow(this);
}
