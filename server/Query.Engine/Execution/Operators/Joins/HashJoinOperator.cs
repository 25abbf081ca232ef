using Query.Engine.Errors;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// A join over bounded inputs. It reads the right input whole into a <see cref="JoinKeyTable"/> (the build side,
/// charged to the query's memory budget and capped by <see cref="JoinSettings.BuildMaxBytes"/>), then streams the
/// left input through it: each left row meets the right rows with an equal key (every right row when the join
/// has no keys: a nested loop), and each pair the condition accepts is one output row, left cells then right
/// cells. Left and full joins pad an unmatched left row with NULLs; right and full joins remember which right
/// rows matched and pad the others after the left input ends. Output rows are written into reused arrays; one left
/// row may fill several batches, so the probe position is kept between calls.
/// </summary>
public sealed class HashJoinOperator : RowOperator
{
    private readonly RowOperator _left;
    private readonly RowOperator _right;
    private readonly JoinSpec _spec;
    private readonly JoinSettings _settings;
    private readonly JoinKeyTable _table;
    private readonly RowBatch _output;
    private readonly Cell[] _key;
    private readonly CellRow _leftRow = new([]);
    private readonly CellRow _joined = new([]);
    private bool[] _matched = [];
    private readonly List<Cell[]> _unkeyedRight = [];
    private bool _built;
    private RowBatch? _probe;
    private int _probeIndex;
    private int _candidate = NotStarted;
    private bool _probeMatched;
    private bool _leftDone;
    private int _unmatchedNext;
    private long _buildBytes;

    public HashJoinOperator(RowOperator left, RowOperator right, JoinSpec spec, JoinSettings settings)
    {
        _left = left;
        _right = right;
        _spec = spec;
        _settings = settings;
        _table = JoinKeyTable.For(spec.KeyKinds);
        _key = new Cell[Math.Max(1, spec.KeyKinds.Length)];
        _output = RowBatch.WithRows(settings.Limits.Rows, spec.LeftWidth + spec.RightWidth);
    }

    private bool KeepsUnmatchedLeft => _spec.Type is JoinType.Left or JoinType.Full;

    private bool KeepsUnmatchedRight => _spec.Type is JoinType.Right or JoinType.Full;

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (!_built)
        {
            await BuildAsync(cancellationToken);
            _built = true;
        }
        _output.Count = 0;
        while (_output.Count < _output.Capacity)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            if (_probe is null || _probeIndex >= _probe.Count)
            {
                if (_leftDone || (_probe = await _left.NextAsync(cancellationToken)) is null)
                {
                    _leftDone = true;
                    EmitUnmatchedRight();
                    break;
                }
                _probeIndex = 0;
                _candidate = NotStarted;
                continue;
            }
            ProbeRow(_probe.Rows[_probeIndex]);
        }
        return _output.Count > 0 ? _output : null;
    }

    private async ValueTask BuildAsync(CancellationToken cancellationToken)
    {
        while (await _right.NextAsync(cancellationToken) is { } batch)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            for (var i = 0; i < batch.Count; i++)
                AddBuildRow(batch.Rows[i]);
        }
        _matched = KeepsUnmatchedRight ? new bool[_table.Count] : [];
    }

    private void AddBuildRow(Cell[] source)
    {
        var row = (Cell[])source.Clone();
        var bytes = Limits.QueryMemoryBudget.EstimateRow(row) + 32;
        _buildBytes += bytes;
        if (_buildBytes > _settings.BuildMaxBytes)
            throw BuildTooLarge();
        _settings.Budget.Charge(bytes);
        _leftRow.Cells = row;
        if (!ComputeKey(_spec.RightKeys, _leftRow))
        {
            // A NULL key matches nothing; a right or full join still returns the row, padded.
            if (KeepsUnmatchedRight)
                _unkeyedRight.Add(row);
            return;
        }
        _table.Add(_key, row);
    }

    /// <summary>Computes a row's key into the scratch key; false when any part is NULL.</summary>
    private bool ComputeKey(Action<CellRow, Cell[]>? keys, CellRow row)
    {
        if (keys is null)
            return true;
        keys(row, _key);
        for (var i = 0; i < _spec.KeyKinds.Length; i++)
        {
            if (_key[i].IsNull)
                return false;
        }
        return true;
    }

    // Where the current left row stands: not yet looked up, its matches all emitted, or the next right row to try.
    private const int NotStarted = -1;
    private const int Exhausted = -2;

    /// <summary>Emits the probe row's matches from where the last call stopped, until the batch is full.</summary>
    private void ProbeRow(Cell[] left)
    {
        if (_candidate == NotStarted)
        {
            _leftRow.Cells = left;
            _candidate = ComputeKey(_spec.LeftKeys, _leftRow) ? _table.First(_key) : Exhausted;
            _candidate = _candidate < 0 ? Exhausted : _candidate;
            _probeMatched = false;
        }
        while (_candidate >= 0 && _output.Count < _output.Capacity)
        {
            var right = _table.Row(_candidate);
            var output = _output.Rows[_output.Count];
            Array.Copy(left, output, _spec.LeftWidth);
            Array.Copy(right, 0, output, _spec.LeftWidth, _spec.RightWidth);
            _joined.Cells = output;
            if (_spec.Condition is null || _spec.Condition(_joined))
            {
                _output.Count++;
                _probeMatched = true;
                if (_matched.Length > 0)
                    _matched[_candidate] = true;
            }
            var next = _table.Next(_candidate);
            _candidate = next >= 0 ? next : Exhausted;
        }
        if (_candidate >= 0)
            return;         // the batch is full: go on with this row's matches next call
        if (!_probeMatched && KeepsUnmatchedLeft)
        {
            if (_output.Count == _output.Capacity)
                return;     // the padded row goes first into the next batch
            var output = _output.Rows[_output.Count++];
            Array.Copy(left, output, _spec.LeftWidth);
            Array.Fill(output, Cell.Null, _spec.LeftWidth, _spec.RightWidth);
        }
        _probeIndex++;
        _candidate = NotStarted;
    }

    private void EmitUnmatchedRight()
    {
        if (!KeepsUnmatchedRight)
            return;
        var total = _table.Count + _unkeyedRight.Count;
        while (_unmatchedNext < total && _output.Count < _output.Capacity)
        {
            var index = _unmatchedNext++;
            Cell[] right;
            if (index < _table.Count)
            {
                if (_matched[index])
                    continue;
                right = _table.Row(index);
            }
            else
            {
                right = _unkeyedRight[index - _table.Count];
            }
            var output = _output.Rows[_output.Count++];
            Array.Fill(output, Cell.Null, 0, _spec.LeftWidth);
            Array.Copy(right, 0, output, _spec.LeftWidth, _spec.RightWidth);
        }
    }

    private SqlException BuildTooLarge() => new(SqlState.OutOfMemory,
        "out of memory: the join's build side (its right input) exceeded the join memory limit",
        $"the rows of the right input needed more than {_settings.BuildMaxBytes:N0} bytes",
        "raise join_build_max_bytes (--join-build-max-bytes), filter the right input with WHERE, or put the "
            + "smaller relation on the right of the JOIN");

    public override void Dispose()
    {
        _left.Dispose();
        _right.Dispose();
        base.Dispose();
    }
}
