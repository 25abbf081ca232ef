using Query.Engine.Binding;
using Query.Engine.Planning.Joins;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Persistent;

/// <summary>
/// A persistent table-table join writes a table: its key is the join's result key (the output column that selects
/// either table's key, or a new first column named after the left key when none does), and a result row that no
/// longer exists deletes its key. Both come from the join's two hidden columns, appended to the projection here:
/// the key as the sink's key source (as a PARTITION BY value is), the exists flag as a HAVING value is (a tombstone
/// when false and the table holds the key).
/// </summary>
internal static class TableJoinColumns
{
    /// <summary>The table-table join under the projection, or null.</summary>
    public static LogicalJoin? Find(BoundQuery bound) => bound.Root switch
    {
        LogicalProject { Input: LogicalJoin { TableTable: not null } join } => join,
        LogicalProject { Input: LogicalFilter { Input: LogicalJoin { TableTable: not null } join } } => join,
        _ => null,
    };

    /// <summary>The query with the join's key and exists columns (and, for windowed tables, the result's window
    /// bounds) appended after every other output column.</summary>
    public static BoundQuery Append(BoundQuery bound, LogicalJoin join, out int keyIndex, out int existsIndex,
        out string keyName)
    {
        var project = (LogicalProject)bound.Root;
        var spec = join.TableTable!;
        var hidden = join.Columns.Count - spec.HiddenColumns;
        var appended = new List<BoundColumn>
        {
            new(hidden, TableJoinSpec.KeyColumnName, spec.ResultKeyType),
            new(hidden + 1, TableJoinSpec.ExistsColumnName, SqlType.Boolean),
        };
        if (spec.Window is not null)
        {
            appended.Add(new(hidden + 2, TableJoinSpec.WindowStartColumnName, SqlType.BigInt));
            appended.Add(new(hidden + 3, TableJoinSpec.WindowEndColumnName, SqlType.BigInt));
        }
        keyIndex = project.Expressions.Count;
        existsIndex = keyIndex + 1;
        keyName = KeyName(bound, project, join);
        var expressions = new List<BoundExpr>(project.Expressions.AsSpan().ToArray());
        var columns = new List<ColumnInfo>(bound.Columns.AsSpan().ToArray());
        var output = new List<ColumnInfo>(project.Output.AsSpan().ToArray());
        foreach (var column in appended)
        {
            expressions.Add(column);
            columns.Add(new ColumnInfo(column.Name, column.Type));
            output.Add(new ColumnInfo(column.Name, column.Type));
        }
        return bound with
        {
            Root = project with { Expressions = new([.. expressions]), Output = new([.. output]) },
            Columns = new([.. columns]),
        };
    }

    /// <summary>The selected column that is a key of the join (either table's for a primary-key join, the left's
    /// for a foreign-key join; of a multi-way join, the first table's or that of a table joined on it), else the
    /// left key's name (the sink then gets a key column of that name).</summary>
    private static string KeyName(BoundQuery bound, LogicalProject project, LogicalJoin join)
    {
        var keys = new List<int>();
        var left = KeyOrdinals(join, keys);
        for (var i = 0; i < project.Expressions.Count; i++)
        {
            if (project.Expressions[i] is BoundColumn column && keys.Contains(column.Ordinal))
                return bound.Columns[i].Name;
        }
        var right = ((LogicalScan)join.Right).Source;
        return join.Type == JoinType.Right ? right.Names[right.Definition.KeyColumn]
            : left.Names[left.Definition.KeyColumn];
    }

    /// <summary>Adds the ordinals of the joined row's columns that hold the result key; returns the first table.
    /// </summary>
    private static Execution.StreamRuntime KeyOrdinals(LogicalJoin join, List<int> keys)
    {
        Execution.StreamRuntime first;
        if (join.Left is LogicalJoin inner)
        {
            first = KeyOrdinals(inner, keys);
        }
        else
        {
            first = ((LogicalScan)join.Left).Source;
            keys.Add(first.Definition.KeyColumn);
        }
        if (!join.TableTable!.ForeignKey)
        {
            var right = ((LogicalScan)join.Right).Source;
            keys.Add(join.Columns.Count - 1 - join.TableTable.HiddenColumns - right.Types.Length
                + right.Definition.KeyColumn);
        }
        return first;
    }
}
