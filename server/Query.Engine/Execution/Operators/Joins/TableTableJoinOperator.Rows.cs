using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

public sealed partial class TableTableJoinOperator
{
    /// <summary>Brings both states up to date and, for a foreign-key join, indexes the left rows by foreign key.
    /// </summary>
    private void Start(CancellationToken cancellationToken)
    {
        _started = true;
        _left.State.CatchUp(cancellationToken);
        _right.State.CatchUp(cancellationToken);
        if (!_foreignKey)
            return;
        _left.ForEachRow(new BatchLimits(1024, 1 << 20), row => Index(row[_left.KeyColumn], row[_left.Width]));
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
        var at = _left.Width + _right.Width;
        output[at] = Cell.FromInt64(timestampMs);
        output[at + 1] = key;
        if (exists && _filter is not null)
        {
            _joined.Cells = output;
            exists = _filter(_joined);
        }
        if (!exists && !_emitDeletes)
            return;
        output[at + 2] = Cell.FromInt64(exists ? 1 : 0);
        if (_windowed)
            (output[at + 3], output[at + 4]) = (windowStart, windowEnd);
        _outCount++;
    }

    private static void CopyOrNull(Cell[]? source, Cell[] target, int at, int width)
    {
        if (source is null)
            Array.Fill(target, Cell.Null, at, width);
        else
            Array.Copy(source, 0, target, at, width);
    }

    private Cell[] NextOutputRow()
    {
        if (_outCount == _outRows.Count)
            _outRows.Add(new Cell[_outputWidth]);
        return _outRows[_outCount];
    }
}
