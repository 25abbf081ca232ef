using Query.Engine.Limits;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Sets;

/// <summary>
/// UNION [ALL], INTERSECT [ALL], EXCEPT [ALL] of two bounded row inputs. UNION ALL streams the left rows, then the
/// right. The others keep rows in hash tables, charged to the query's memory budget: UNION the rows already
/// given; INTERSECT and EXCEPT first read the right input whole, counting each distinct row, then stream the left
/// through the counts (ALL: each right row matches or removes one left row; otherwise each distinct row once).
/// </summary>
internal sealed class SetOperationOperator : RowOperator
{
    private readonly RowOperator _left;
    private readonly RowOperator _right;
    private readonly SetOperationKind _kind;
    private readonly bool _all;
    private readonly int _width;
    private readonly QueryMemoryBudget _budget;
    private readonly HashSet<Cell[]> _given;
    private readonly Dictionary<Cell[], long> _rightCounts;
    private readonly RowBatch _output;
    private bool _rightRead;
    private bool _leftDone;
    private bool _rightDone;

    public SetOperationOperator(RowOperator left, RowOperator right, SetOperationKind kind, bool all,
        SqlTypeKind[] kinds, BatchLimits limits, QueryMemoryBudget budget)
    {
        _left = left;
        _right = right;
        _kind = kind;
        _all = all;
        _width = kinds.Length;
        _budget = budget;
        var comparer = new RowKeyComparer(kinds);
        _given = new HashSet<Cell[]>(comparer);
        _rightCounts = new Dictionary<Cell[], long>(comparer);
        _output = new RowBatch(limits.Rows);
    }

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (_kind != SetOperationKind.Union && !_rightRead)
            await ReadRightAsync(cancellationToken);
        while (true)
        {
            var fromLeft = !_leftDone;
            var input = fromLeft ? _left : _right;
            if (!fromLeft && (_rightDone || _kind != SetOperationKind.Union))
                return null;
            var batch = await input.NextAsync(cancellationToken);
            if (batch is null)
            {
                if (fromLeft)
                    _leftDone = true;
                else
                    _rightDone = true;
                continue;
            }
            if (_kind == SetOperationKind.Union && _all)
                return batch;
            _output.Count = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                if (Keep(batch.Rows[i], fromLeft) is { } row)
                    _output.Rows[_output.Count++] = row;
            }
            if (_output.Count > 0)
                return _output;
        }
    }

    private async ValueTask ReadRightAsync(CancellationToken cancellationToken)
    {
        _rightRead = true;
        while (await _right.NextAsync(cancellationToken) is { } batch)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var row = batch.Rows[i];
                if (_rightCounts.TryGetValue(row, out var count))
                {
                    _rightCounts[row] = count + 1;
                    continue;
                }
                var copy = Copy(row);
                _rightCounts.Add(copy, 1);
            }
        }
    }

    /// <summary>The row to give (a copy), or null when the operation drops it.</summary>
    private Cell[]? Keep(Cell[] row, bool fromLeft)
    {
        switch (_kind)
        {
            case SetOperationKind.Union:
                return _given.Contains(row) ? null : Remember(row);
            case SetOperationKind.Intersect:
                if (!_rightCounts.TryGetValue(row, out var count) || count == 0)
                    return null;
                _rightCounts[row] = _all ? count - 1 : 0;
                return Copy(row);
            default:
                if (_rightCounts.TryGetValue(row, out var seen) && seen > 0)
                {
                    if (_all)
                        _rightCounts[row] = seen - 1;
                    return null;
                }
                if (_all)
                    return Copy(row);
                return _given.Contains(row) ? null : Remember(row);
        }
    }

    private Cell[] Remember(Cell[] row)
    {
        var copy = Copy(row);
        _given.Add(copy);
        return copy;
    }

    private Cell[] Copy(Cell[] row)
    {
        var copy = new Cell[Math.Max(1, _width)];
        Array.Copy(row, copy, _width);
        _budget.Charge(QueryMemoryBudget.EstimateRow(copy));
        return copy;
    }

    public override void Dispose()
    {
        _left.Dispose();
        _right.Dispose();
        base.Dispose();
    }
}
