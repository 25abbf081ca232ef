using Query.Engine.Binding;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Persistent;

/// <summary>
/// ksqlDB keys the result of a stream-stream or stream-table join by the join: a persistent query over one writes
/// the joined key as its sink's key, as a PARTITION BY would (a hidden output column after the others). The key
/// column is the selected column that is the last join's left (or right) key, or, for a FULL OUTER join (either key
/// may be NULL), ksqlDB's synthetic <c>ROWKEY</c>: the first key that is not NULL, a new first column of the sink.
/// When the query selects neither key (ksqlDB refuses that), the sink is keyed as a query over the left stream is.
/// </summary>
internal static class StreamJoinKeyColumns
{
    /// <summary>The name ksqlDB gives a synthetic join key.</summary>
    public const string SyntheticKeyName = "rowkey";

    /// <summary>The stream-stream or stream-table join under the projection, or null.</summary>
    public static LogicalJoin? Find(BoundQuery bound) => bound.Root switch
    {
        LogicalProject { Input: LogicalJoin { StreamTime: true, TableTable: null } join } => join,
        LogicalProject { Input: LogicalFilter { Input: LogicalJoin { StreamTime: true, TableTable: null } join } }
            => join,
        _ => null,
    };

    /// <summary>The query with the join key appended as a hidden column (null when the key is neither selected
    /// nor synthetic: the query is then left as it is).</summary>
    public static BoundQuery? Append(BoundQuery bound, LogicalJoin join, int visible, out int keyIndex,
        out string keyName)
    {
        keyIndex = -1;
        keyName = "";
        var project = (LogicalProject)bound.Root;
        var leftWidth = join.Columns.Count - join.Right.Columns.Count - 1;
        var left = Unwrap(join.LeftKeys[0]);
        var right = BoundColumns.Shift(Unwrap(join.RightKeys[0]), leftWidth);
        BoundExpr key;
        if (join.Type == JoinType.Full)
        {
            key = new BoundCase(new([new BoundWhen(new BoundIsNull(left, Negated: true), left)]), right, left.Type);
            keyName = SyntheticName(bound, visible);
        }
        else if (Selected(project, visible, left) is { } l)
        {
            (key, keyName) = (left, bound.Columns[l].Name);
        }
        else if (Selected(project, visible, right) is { } r && right.Type == left.Type)
        {
            (key, keyName) = (right, bound.Columns[r].Name);
        }
        else
        {
            return null;
        }
        keyIndex = project.Expressions.Count;
        BoundExpr[] expressions = [.. project.Expressions.AsSpan(), key];
        ColumnInfo[] output = [.. project.Output.AsSpan(), new ColumnInfo(keyName, key.Type)];
        ColumnInfo[] columns = [.. bound.Columns.AsSpan(), new ColumnInfo(keyName, key.Type)];
        return bound with
        {
            Root = project with { Expressions = new(expressions), Output = new(output) },
            Columns = new(columns),
        };
    }

    // The key as the join compares it may be cast to the other side's type; the column itself keys the sink.
    private static BoundExpr Unwrap(BoundExpr key) => key is BoundCast { Operand: BoundColumn column } ? column : key;

    private static int? Selected(LogicalProject project, int visible, BoundExpr key)
    {
        if (key is not BoundColumn column)
            return null;
        for (var i = 0; i < visible; i++)
        {
            if (project.Expressions[i] is BoundColumn selected && selected.Ordinal == column.Ordinal)
                return i;
        }
        return null;
    }

    /// <summary>ROWKEY, or ROWKEY_1, ROWKEY_2, ... when an output column already has the name.</summary>
    private static string SyntheticName(BoundQuery bound, int visible)
    {
        var name = SyntheticKeyName;
        for (var n = 1; Taken(bound, visible, name); n++)
            name = $"{SyntheticKeyName}_{n}";
        return name;
    }

    private static bool Taken(BoundQuery bound, int visible, string name)
    {
        for (var i = 0; i < visible; i++)
        {
            if (bound.Columns[i].Name == name)
                return true;
        }
        return false;
    }
}
