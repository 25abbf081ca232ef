using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

public sealed partial class StreamStreamJoinOperator
{
    // Bytes charged per held row beyond its cells: the row object, its key entry and its queue slots.
    private const long HeldRowOverheadBytes = 96;

    /// <summary>How far after a row's time its window reaches on the other side (its close, before the grace).
    /// </summary>
    private long LookAheadMs(StreamJoinSide side) => side.IsLeft ? _window.AfterMs : _window.BeforeMs;

    /// <summary>Joins one row (its columns and key in <paramref name="side"/>'s scratch) with the rows the other
    /// side holds, then keeps it.</summary>
    private void Process(StreamJoinSide side, StreamJoinSide other, long timestampMs)
    {
        ref readonly var key = ref side.Scratch[side.Width];
        if (key.IsNull)
            return;
        if (_streamTimeMs != long.MinValue && timestampMs + LookAheadMs(side) + _window.GraceMs < _streamTimeMs)
        {
            _lateRecords++;
            _metaDirty = true;
            return;
        }
        if (timestampMs > _streamTimeMs)
        {
            _streamTimeMs = timestampMs;
            _metaDirty = true;
            EmitClosedUnmatched();
            Expire(_left);
            Expire(_right);
        }
        var matched = Probe(side, other, key, timestampMs);
        var row = Keep(side, timestampMs, matched);
        if (matched || !side.KeepsUnmatched)
            return;
        if (_window.HasGrace)
            _closes.Enqueue(row, CloseAt(row));
        else
            EmitPadded(row);
    }

    /// <summary>Stream time past which a row's window has closed (its padded row is due, later rows are late).
    /// </summary>
    private long CloseAt(BufferedJoinRow row) =>
        row.TimestampMs + (row.IsLeft ? _window.AfterMs : _window.BeforeMs) + _window.GraceMs;

    /// <summary>Emits a joined row for each row of <paramref name="other"/> in the window; true if any.</summary>
    private bool Probe(StreamJoinSide side, StreamJoinSide other, in Cell key, long timestampMs)
    {
        if (!other.Rows.TryGetValue(key, out var bucket))
            return false;
        var from = timestampMs - (side.IsLeft ? _window.BeforeMs : _window.AfterMs);
        var to = timestampMs + (side.IsLeft ? _window.AfterMs : _window.BeforeMs);
        var matched = false;
        foreach (var held in bucket.Rows)
        {
            if (!held.Alive || held.TimestampMs < from || held.TimestampMs > to)
                continue;
            var output = NextOutputRow();
            var (leftCells, rightCells) = side.IsLeft ? (side.Scratch, held.Cells) : (held.Cells, side.Scratch);
            Array.Copy(leftCells, 0, output, 0, _left.Width);
            Array.Copy(rightCells, 0, output, _left.Width, _right.Width);
            output[^1] = Cell.FromInt64(Math.Max(timestampMs, held.TimestampMs));
            if (_condition is not null)
            {
                _joined.Cells = output;
                if (!_condition(_joined))
                    continue;
            }
            _outCount++;
            matched = true;
            if (!held.Matched)
            {
                held.Matched = true;
                if (other.KeepsUnmatched && _window.HasGrace)
                    MarkDirty(held);
            }
        }
        return matched;
    }

    /// <summary>Keeps a copy of the row in its side's state.</summary>
    private BufferedJoinRow Keep(StreamJoinSide side, long timestampMs, bool matched)
    {
        var row = new BufferedJoinRow(_nextId++, side.IsLeft, timestampMs, (Cell[])side.Scratch.Clone())
        {
            Matched = matched,
        };
        Hold(side, row);
        _metaDirty = true;
        MarkDirty(row);
        return row;
    }

    private void Hold(StreamJoinSide side, BufferedJoinRow row)
    {
        var bytes = Limits.QueryMemoryBudget.EstimateRow(row.Cells) + HeldRowOverheadBytes;
        _budget.Charge(bytes);
        row.ChargedBytes = bytes;
        if (!side.Rows.TryGetValue(row.Cells[side.Width], out var bucket))
        {
            bucket = new KeyRows();
            side.Rows.Add(row.Cells[side.Width], bucket);
        }
        bucket.Rows.Add(row);
        side.Expiries.Enqueue(row, row.TimestampMs);
    }

    /// <summary>Pads the rows of outer sides whose window has closed without a match (with a GRACE PERIOD).
    /// </summary>
    private void EmitClosedUnmatched()
    {
        while (_closes.TryPeek(out var row, out var closeAt) && closeAt < _streamTimeMs)
        {
            _closes.Dequeue();
            if (!row.Alive || row.Matched)
                continue;
            EmitPadded(row);
            row.Matched = true;   // padded once: a restart must not pad it again
            MarkDirty(row);
        }
    }

    private void EmitPadded(BufferedJoinRow row)
    {
        var output = NextOutputRow();
        Array.Fill(output, Cell.Null);
        if (row.IsLeft)
            Array.Copy(row.Cells, 0, output, 0, _left.Width);
        else
            Array.Copy(row.Cells, 0, output, _left.Width, _right.Width);
        output[^1] = Cell.FromInt64(row.TimestampMs);
        _outCount++;
    }

    /// <summary>Drops the side's rows that no row still to come could match.</summary>
    private void Expire(StreamJoinSide side)
    {
        var horizon = _streamTimeMs - _window.RetentionMs;
        while (side.Expiries.TryPeek(out var row, out var timestampMs) && timestampMs < horizon)
        {
            side.Expiries.Dequeue();
            Forget(side, row);
        }
    }

    private void Forget(StreamJoinSide side, BufferedJoinRow row)
    {
        row.Alive = false;
        _budget.Release(row.ChargedBytes);
        if (row.Written)
            _removals.Add(row.Id);
        var key = row.Cells[side.Width];
        var bucket = side.Rows[key];
        bucket.Dead++;
        if (bucket.Dead * 2 < bucket.Rows.Count)
            return;
        bucket.Rows.RemoveAll(static r => !r.Alive);
        bucket.Dead = 0;
        if (bucket.Rows.Count == 0)
            side.Rows.Remove(key);
    }

    /// <summary>The next pooled output row (kept only when the caller counts it in <see cref="_outCount"/>).
    /// </summary>
    private Cell[] NextOutputRow()
    {
        if (_outCount == _outRows.Count)
            _outRows.Add(new Cell[_outputWidth]);
        return _outRows[_outCount];
    }
}
