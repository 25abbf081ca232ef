using System.Buffers;
using System.Buffers.Binary;
using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// GROUP BY over an unbounded input (a push query's or a persistent query's aggregate): each input batch is folded
/// into the groups as <see cref="HashAggregateOperator"/> does, then the groups that batch changed are emitted
/// with their new results (the aggregate's changelog). For a persistent query it also keeps the groups changed
/// since the last commit, whose accumulators the query serializes into its state changelog
/// (<see cref="WriteChanges"/>) and reads back on restart (<see cref="Restore"/>). Memory: the groups are
/// charged to the budget, so a query over too many groups fails with 53200 rather than the server.
/// <para><b>Coalescing</b> (a persistent query, <see cref="ContinuousQueryHooks.EmitDue"/> set): a group is emitted
/// once per commit, not once per input batch (ksqlDB's record cache does the same): see
/// ContinuousAggregateOperator.Coalescing.cs.</para>
/// </summary>
public sealed partial class ContinuousAggregateOperator : RowOperator, IContinuousAggregate
{
    private readonly RecordOperator _input;
    private readonly Action<RecordCursor, Cell[]> _inputs;
    private readonly BoundAggregate[] _aggregates;
    private readonly SqlType[] _keyTypes;
    private readonly GroupKeyTable _groups;
    private readonly RowBatch _output;
    private readonly Limits.QueryMemoryBudget _budget;
    private readonly Action<RecordCursor, Exception>? _rowError;
    private readonly Func<bool>? _emitDue;
    private readonly Cell[] _scratch;
    private readonly List<int> _changedInBatch = [];
    private readonly List<int> _changedSinceCommit = [];
    private readonly ArrayBufferWriter<byte> _key = new(64);
    private readonly ArrayBufferWriter<byte> _state = new(256);
    private readonly FlatAggregates? _flat;
    private readonly bool[] _zeroWhenEmpty;
    private Accumulator[] _accumulators = new Accumulator[16];
    private long[] _batchStamp = new long[16];
    private bool[] _dirty = new bool[16];
    private long _batchNumber = 1;   // above the stamp a new group starts with (0)
    private readonly int _changeTimeAggregate = -1;

    public ContinuousAggregateOperator(RecordOperator input, Action<RecordCursor, Cell[]> inputs, SqlType[] keyTypes,
        BoundAggregate[] aggregates, BatchLimits limits, Limits.QueryMemoryBudget budget, ContinuousQueryHooks? hooks)
    {
        _input = input;
        _inputs = inputs;
        _aggregates = aggregates;
        _keyTypes = keyTypes;
        var kinds = new SqlTypeKind[keyTypes.Length];
        for (var i = 0; i < kinds.Length; i++)
            kinds[i] = keyTypes[i].Kind;
        _groups = GroupKeyTable.For(kinds);
        _output = RowBatch.WithRows(limits.Rows, keyTypes.Length + aggregates.Length);
        _budget = budget;
        _rowError = hooks?.RowError;
        _emitDue = hooks?.EmitDue;
        _scratch = new Cell[keyTypes.Length + aggregates.Length];
        _flat = FlatAggregates.TryCreate(aggregates);
        _zeroWhenEmpty = StreamingAggregateResults.ZeroWhenEmpty(aggregates);
        for (var a = 0; a < aggregates.Length; a++)
        {
            if (aggregates[a].Kind == AggregateKind.ChangeTime)
                _changeTimeAggregate = a;
        }
        if (hooks is not null)
            hooks.AddState(this);   // after a stream-stream join below it, both keep their state
    }

    /// <summary>Groups held.</summary>
    public int GroupCount => _groups.Count;

    public override ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken) =>
        _emitDue is null ? NextPerBatchAsync(cancellationToken) : NextCoalescedAsync(cancellationToken);

    private async ValueTask<RowBatch?> NextPerBatchAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await _input.NextAsync(cancellationToken);
            if (batch is null)
                return null;
            _batchNumber++;
            _changedInBatch.Clear();
            AccumulateBatch(batch, cancellationToken);
            if (_changedInBatch.Count > 0)
                return Emit(0, _changedInBatch.Count);
        }
    }

    private void AccumulateBatch(RecordBatch batch, CancellationToken cancellationToken)
    {
        if (_flat is not null && !batch.AnyRetraction)
        {
            AccumulateFlat(_flat, batch, cancellationToken);
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            if (batch.IsRetraction(i))
                Retract(batch.Select(i), batch.ChangeTimeMs(i));
            else
                Accumulate(batch.Select(i));
        }
    }

    private void Accumulate(RecordCursor row)
    {
        if (!TryEvaluate(row, _scratch, report: true))
            return;
        var group = GroupOf(_scratch);
        if (_flat is not null)
        {
            _flat.Add(group, _scratch.AsSpan(_keyTypes.Length));
        }
        else
        {
            var width = _aggregates.Length;
            for (var a = 0; a < width; a++)
                _accumulators[(group * width) + a].Add(_scratch[_keyTypes.Length + a]);
        }
        Touch(group);
    }

    /// <summary>
    /// Takes a table source's previous row back out of its group (the key was updated or deleted at
    /// <paramref name="changeTimeMs"/>): each accumulator retracts the value it was given when the row was added;
    /// the group's change time moves to the update's time. The group stays, possibly empty (COUNT 0), as ksqlDB's.
    /// </summary>
    private void Retract(RecordCursor row, long changeTimeMs)
    {
        // A row that failed when it was added was reported then; it has nothing to take back.
        if (!TryEvaluate(row, _scratch, report: false))
            return;
        var group = GroupOf(_scratch);
        Touch(group);
        if (_flat is not null)
        {
            _flat.Retract(group, _scratch.AsSpan(_keyTypes.Length), changeTimeMs);
            return;
        }
        var width = _aggregates.Length;
        for (var a = 0; a < width; a++)
        {
            ref var accumulator = ref _accumulators[(group * width) + a];
            if (a == _changeTimeAggregate)
                accumulator.Add(Cell.FromInt64(changeTimeMs));
            else
                accumulator.Retract(_scratch[_keyTypes.Length + a]);
        }
    }

    /// <summary>Evaluates the keys and aggregate inputs of <paramref name="row"/> into <paramref name="target"/>;
    /// false when the row is left out (an expression failed on it, or its key is NULL).</summary>
    private bool TryEvaluate(RecordCursor row, Cell[] target, bool report)
    {
        if (_rowError is null)
        {
            _inputs(row, target);
        }
        else
        {
            try
            {
                _inputs(row, target);
            }
            catch (Exception e) when (ContinuousQueryHooks.IsRowError(e))
            {
                if (report)
                    _rowError(row, e);
                return false;
            }
        }
        // ksqlDB leaves out a row whose GROUP BY key is NULL: a table cannot hold a NULL key.
        for (var k = 0; k < _keyTypes.Length; k++)
        {
            if (target[k].IsNull)
                return false;
        }
        return true;
    }

    private void Touch(int group)
    {
        if (_batchStamp[group] != _batchNumber)
        {
            _batchStamp[group] = _batchNumber;
            _changedInBatch.Add(group);
        }
        if (!_dirty[group])
        {
            _dirty[group] = true;
            _changedSinceCommit.Add(group);
        }
    }

    private int GroupOf(Cell[] scratch)
    {
        var before = _groups.Count;
        var group = _groups.FindOrAdd(scratch);
        if (_groups.Count == before)
            return group;
        var width = _aggregates.Length;
        if (group >= _batchStamp.Length)
        {
            Array.Resize(ref _batchStamp, _batchStamp.Length * 2);
            Array.Resize(ref _dirty, _dirty.Length * 2);
        }
        if (_flat is not null)
        {
            // The key, a table entry, the stamps and the flat state.
            _budget.Charge(Limits.QueryMemoryBudget.EstimateRow(scratch.AsSpan(0, _keyTypes.Length)) + 64
                + _flat.GroupBytes);
            _flat.AddGroup(group);
            return group;
        }
        _budget.Charge(Limits.QueryMemoryBudget.EstimateRow(scratch.AsSpan(0, _keyTypes.Length)) + 64
            + (width * 64L));
        if ((group + 1) * width > _accumulators.Length)
            Array.Resize(ref _accumulators, Math.Max(_accumulators.Length * 2, (group + 1) * width));
        for (var a = 0; a < width; a++)
            _accumulators[(group * width) + a] = AggregateFunctions.Create(_aggregates[a]);
        return group;
    }

    /// <summary>
    /// Emits <paramref name="count"/> changed groups from <paramref name="first"/> in the changed list.
    /// </summary>
    private RowBatch Emit(int first, int count)
    {
        var width = _aggregates.Length;
        var keys = _keyTypes.Length;
        for (var i = 0; i < count; i++)
        {
            var group = _changedInBatch[first + i];
            var row = _output.Rows[i];
            _groups.CopyKey(group, row);
            for (var a = 0; a < width; a++)
            {
                var result = _flat is not null ? _flat.Result(group, a)
                    : _accumulators[(group * width) + a].Result();
                row[keys + a] = _zeroWhenEmpty[a]
                    ? StreamingAggregateResults.OrZero(result, _aggregates[a].ResultType) : result;
            }
        }
        _output.Count = count;
        return _output;
    }

    /// <summary>
    /// Hands each group changed since the last call to <paramref name="write"/> as (key, state) bytes: the key cells
    /// in the accumulator state format, then each accumulator's state behind a 4-byte length.
    /// </summary>
    public void WriteChanges(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var keyRow = new Cell[Math.Max(1, _keyTypes.Length)];
        var width = _aggregates.Length;
        foreach (var group in _changedSinceCommit)
        {
            _dirty[group] = false;
            _key.ResetWrittenCount();
            _groups.CopyKey(group, keyRow);
            for (var k = 0; k < _keyTypes.Length; k++)
                AccumulatorState.WriteCell(_key, keyRow[k], _keyTypes[k]);
            _state.ResetWrittenCount();
            for (var a = 0; a < width; a++)
            {
                var lengthAt = _state.WrittenCount;
                _state.GetSpan(4);
                _state.Advance(4);
                if (_flat is not null)
                    _flat.Serialize(group, a, _state);
                else
                    _accumulators[(group * width) + a].Serialize(_state);
                var length = _state.WrittenCount - lengthAt - 4;
                var span = System.Runtime.InteropServices.MemoryMarshal.AsMemory(_state.WrittenMemory).Span;
                BinaryPrimitives.WriteInt32LittleEndian(span[lengthAt..], length);
            }
            write(_key.WrittenMemory, _state.WrittenMemory);
        }
        _changedSinceCommit.Clear();
    }

    /// <summary>Hands every group to <paramref name="write"/> as <see cref="WriteChanges"/> does (a snapshot).
    /// </summary>
    public void WriteAll(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
        for (var group = 0; group < _groups.Count; group++)
        {
            if (!_dirty[group])
            {
                _dirty[group] = true;
                _changedSinceCommit.Add(group);
            }
        }
        WriteChanges(write);
    }

    /// <summary>Whether groups changed since the last <see cref="WriteChanges"/>.</summary>
    public bool HasChanges => _changedSinceCommit.Count > 0;

    /// <summary>Always 0: without windows no record is late.</summary>
    public long LateRecordsDropped => 0;

    /// <summary>Restores one group from a state changelog entry (written by <see cref="WriteChanges"/>).</summary>
    public void Restore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> state)
    {
        var position = 0;
        for (var k = 0; k < _keyTypes.Length; k++)
            _scratch[k] = AccumulatorState.ReadCell(key, ref position, _keyTypes[k]);
        var group = GroupOf(_scratch);
        var width = _aggregates.Length;
        position = 0;
        for (var a = 0; a < width; a++)
        {
            if (state.Length - position < 4)
                throw Format.NestedValueCodec.Corrupt();
            var length = BinaryPrimitives.ReadInt32LittleEndian(state[position..]);
            position += 4;
            if (length < 0 || length > state.Length - position)
                throw Format.NestedValueCodec.Corrupt();
            if (_flat is not null)
                _flat.Restore(group, a, state.Slice(position, length));
            else
                _accumulators[(group * width) + a].Restore(state.Slice(position, length));
            position += length;
        }
    }

    public override void Dispose()
    {
        _input.Dispose();
        base.Dispose();
    }
}
