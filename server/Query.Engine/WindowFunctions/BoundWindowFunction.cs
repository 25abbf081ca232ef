using Query.Engine.Binding;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.WindowFunctions;

/// <summary>
/// A window frame with constant offsets: where each row's frame starts and ends within its partition. ROWS counts
/// rows; RANGE without an offset moves by peer groups (rows equal under the window's ORDER BY).
/// </summary>
public sealed record WindowFrameSpec(Ast.FrameUnit Unit, Ast.FrameBoundKind StartKind, long StartOffset,
    Ast.FrameBoundKind EndKind, long EndOffset)
{
    /// <summary>PostgreSQL's default: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (with ORDER BY the row and
    /// its peers so far; without, every row of the partition, since all are peers).</summary>
    public static readonly WindowFrameSpec Default = new(Ast.FrameUnit.Range, Ast.FrameBoundKind.UnboundedPreceding,
        0, Ast.FrameBoundKind.CurrentRow, 0);

    public override string ToString() =>
        $"{(Unit == Ast.FrameUnit.Rows ? "ROWS" : "RANGE")} BETWEEN {Bound(StartKind, StartOffset)} AND "
        + Bound(EndKind, EndOffset);

    private static string Bound(Ast.FrameBoundKind kind, long offset) => kind switch
    {
        Ast.FrameBoundKind.UnboundedPreceding => "UNBOUNDED PRECEDING",
        Ast.FrameBoundKind.UnboundedFollowing => "UNBOUNDED FOLLOWING",
        Ast.FrameBoundKind.CurrentRow => "CURRENT ROW",
        Ast.FrameBoundKind.Preceding => $"{offset} PRECEDING",
        _ => $"{offset} FOLLOWING",
    };
}

/// <summary>
/// One window function of a query, over the columns of the row below the window node: its arguments, the
/// PARTITION BY and ORDER BY keys (columns of that row), its frame and its result type. <see cref="Aggregate"/>
/// is the aggregate an aggregate window function folds (its argument is the first of <see cref="Arguments"/>).
/// </summary>
public sealed record BoundWindowFunction(WindowFunctionKind Kind, string Name, EquatableArray<int> Arguments,
    EquatableArray<int> PartitionBy, EquatableArray<SortKey> OrderBy, WindowFrameSpec Frame, SqlType ResultType)
{
    public BoundAggregate? Aggregate { get; init; }

    /// <summary>Two functions with the same partitioning and order share one sort of the rows.</summary>
    public bool SameWindow(BoundWindowFunction other) =>
        PartitionBy.Equals(other.PartitionBy) && OrderBy.Equals(other.OrderBy);
}
