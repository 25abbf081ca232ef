using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// Two tables joined in a push or persistent query (see <see cref="TableChangelogJoinOperator"/>): a primary-key join
/// touches the changed key (of windowed tables: that key's row of the changed window); a foreign-key join, for a
/// left change the left key, for a right change every left key whose foreign key is the changed key (an index kept
/// here, built from the left table's state when the operator starts). Recomputing from the current states makes each
/// output the result as of now, so the result table always converges to the join of the two tables, also when a
/// restarted query processes changes again.
/// </summary>
public sealed class TableTableJoinOperator : TableChangelogJoinOperator
{
    private readonly TableJoinInput _left;
    private readonly TableJoinInput _right;
    private readonly JoinType _type;
    private readonly bool _foreignKey;
    private readonly JoinKeyIndex? _foreignKeys;   // a foreign-key join: the left keys by foreign key

    /// <param name="left">The left table's changelog scan and how its rows are read.</param>
    /// <param name="right">The right table's.</param>
    /// <param name="type">Which rows exist when one side has none.</param>
    /// <param name="foreignKey">A foreign-key join (left expression = right key).</param>
    /// <param name="filter">The rest of ON and the WHERE clause, over the joined row (null: none).</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="hooks">A persistent query's hooks (null for a push query).</param>
    public TableTableJoinOperator(TableJoinInput left, TableJoinInput right, JoinType type, bool foreignKey,
        Func<CellRow, bool>? filter, BatchLimits limits, ContinuousQueryHooks? hooks)
        : base([left, right], filter, limits, hooks)
    {
        _left = left;
        _right = right;
        _type = type;
        _foreignKey = foreignKey;
        if (foreignKey)
            _foreignKeys = new JoinKeyIndex(left.JoinKeyType.Kind, left.KeyType.Kind);
    }

    /// <summary>A foreign-key join indexes the left rows by foreign key.</summary>
    protected override void Start()
    {
        if (_foreignKey)
            _left.ForEachRow(new BatchLimits(1024, 1 << 20), row => Index(row[_left.KeyColumn], row[_left.Width]));
    }

    protected override void OnChange(int t, TableJoinInput table, long timestampMs)
    {
        var key = table.Scratch[table.KeyColumn];
        if (Windowed)
            EmitKey(key, table.Scratch[table.WindowStartColumn], table.Scratch[table.WindowEndColumn], timestampMs);
        else if (t == 0 || !_foreignKey)
            EmitKey(key, Cell.Null, Cell.Null, timestampMs);
        else if (_foreignKeys!.KeysOf(key) is { } leftKeys)
        {
            foreach (var leftKey in leftKeys)
                EmitKey(leftKey, Cell.Null, Cell.Null, timestampMs);
        }
    }

    private void Index(Cell leftKey, Cell foreignKey) => _foreignKeys!.Set(leftKey, foreignKey);

    /// <summary>The joined row of result key <paramref name="key"/> (of windowed tables: and of the window with these
    /// bounds) as the tables stand now, or its delete.</summary>
    private void EmitKey(Cell key, Cell windowStart, Cell windowEnd, long timestampMs)
    {
        var hasLeft = _left.Lookup(key, windowStart, windowEnd);
        bool hasRight;
        if (_foreignKey)
        {
            var foreignKey = hasLeft ? _left.Row[_left.Width] : Cell.Null;
            Index(key, foreignKey);
            hasRight = _right.Lookup(foreignKey);
        }
        else
        {
            hasRight = _right.Lookup(key, windowStart, windowEnd);
        }
        var exists = _type switch
        {
            JoinType.Inner => hasLeft && hasRight,
            JoinType.Left => hasLeft,
            JoinType.Right => hasRight,
            _ => hasLeft || hasRight,
        };
        var output = NextOutputRow();
        CopyOrNull(hasLeft ? _left.Row : null, output, 0, _left.Width);
        CopyOrNull(hasRight ? _right.Row : null, output, _left.Width, _right.Width);
        Complete(output, key, windowStart, windowEnd, timestampMs, exists);
    }
}
