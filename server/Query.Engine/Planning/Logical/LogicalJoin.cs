using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>Which unmatched rows a join keeps (padded with NULLs on the other side).</summary>
public enum JoinType
{
    Inner,
    Left,
    Right,
    Full,
    Cross,
}

/// <summary>
/// The rows of <see cref="Left"/> and <see cref="Right"/> side by side (the left's columns, then the right's), for
/// every pair whose <see cref="LeftKeys"/> equal their <see cref="RightKeys"/> (SQL equality: a NULL key matches
/// nothing) and for which <see cref="Condition"/> is TRUE; outer joins also keep their side's unmatched rows.
/// Each side's keys are bound over that side's own row; the condition over the joined row. Without keys every
/// pair is a candidate (a cross join, or a join on a condition that is not an equality of the two sides). The
/// inputs are any relations: streams, tables, other joins, or whatever else the planner can read as rows.
/// </summary>
public sealed record LogicalJoin(LogicalPlan Left, LogicalPlan Right, JoinType Type,
    EquatableArray<BoundExpr> LeftKeys, EquatableArray<BoundExpr> RightKeys, BoundExpr? Condition) : LogicalPlan
{
    public override EquatableArray<ColumnInfo> Columns => TableTable switch
    {
        null => Concat(Left, Right.Columns, StreamTime),
        { Window: null } => new([.. Concat(Left, Right.Columns, StreamTime).AsSpan(),
            new ColumnInfo(Joins.TableJoinSpec.KeyColumnName, TableTable.ResultKeyType),
            new ColumnInfo(Joins.TableJoinSpec.ExistsColumnName, SqlType.Boolean)]),
        _ => new([.. Concat(Left, Right.Columns, StreamTime).AsSpan(),
            new ColumnInfo(Joins.TableJoinSpec.KeyColumnName, TableTable.ResultKeyType),
            new ColumnInfo(Joins.TableJoinSpec.ExistsColumnName, SqlType.Boolean),
            new ColumnInfo(Joins.TableJoinSpec.WindowStartColumnName, SqlType.BigInt),
            new ColumnInfo(Joins.TableJoinSpec.WindowEndColumnName, SqlType.BigInt)]),
    };

    /// <summary>
    /// A streaming join (a push or persistent query): the left input is a stream read for ever, the right a
    /// table looked up by its key in its materialized state for each stream row, and the joined row ends with a
    /// hidden ROWTIME column holding the stream row's time.
    /// </summary>
    public bool StreamTime { get; init; }

    /// <summary>A stream-stream join (with <see cref="StreamTime"/>): both inputs are streams read for ever, and
    /// rows match within this window of each other's time.</summary>
    public Joins.StreamJoinWindow? Within { get; init; }

    /// <summary>A table-table join (with <see cref="StreamTime"/>): both inputs are tables whose changelogs are
    /// read for ever; see <see cref="Joins.TableJoinSpec"/>.</summary>
    public Joins.TableJoinSpec? TableTable { get; init; }

    public override TResult Accept<TResult>(LogicalPlanVisitor<TResult> visitor) => visitor.VisitJoin(this);

    // A streaming join over another (a multi-way join) drops its input's trailing ROWTIME (and a table-table join's
    // result key and exists flag): the joined row has its own.
    private static EquatableArray<ColumnInfo> Concat(LogicalPlan leftInput, EquatableArray<ColumnInfo> right,
        bool streamTime)
    {
        var left = leftInput.Columns.AsSpan();
        if (streamTime && leftInput is LogicalJoin { StreamTime: true } inner)
            left = left[..^(1 + (inner.TableTable?.HiddenColumns ?? 0))];
        var all = new ColumnInfo[left.Length + right.Count + (streamTime ? 1 : 0)];
        left.CopyTo(all);
        right.AsSpan().CopyTo(all.AsSpan(left.Length));
        if (streamTime)
            all[^1] = new ColumnInfo("ROWTIME", SqlType.BigInt);
        return new(all);
    }
}
