using System.Buffers;
using System.Buffers.Binary;
using Query.Engine.Catalog;
using Query.Engine.Format;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Windows;

/// <summary>
/// The windowed aggregate's state: expiry and close order, and the state log records a persistent query commits.
/// <para>State log record keys: <c>[u8 0]</c> for stream time and the late count (value <c>[i64 stream time][i64
/// late records]</c>, then <c>[i64]</c> per partition clock, <see cref="StreamClocks.Encode"/>); <c>[u8 1][key
/// cells][i64 start][i64 end]</c> for a window, followed by <c>[i64 clock]</c> when a partition's clock governs it
/// (value: each accumulator's state behind a 4-byte length; an empty value removes the window). Little-endian;
/// replayed oldest first, the latest record of a key wins.</para>
/// <para>Windows close and expire by their own clock: one priority queue per clock.</para>
/// </summary>
public sealed partial class WindowedAggregateOperator
{
    private const byte MetaTag = 0;
    private const byte WindowTag = 1;

    private readonly WindowGroups _groups;
    private readonly PriorityQueue<(int Slot, int Generation), long>[] _expiries;
    private readonly PriorityQueue<(int Slot, int Generation), long>[] _closes;
    private readonly List<int> _changedSinceCommit = [];
    // The state keys of windows removed since the last commit, back to back (reused: no allocation per removal).
    private readonly ArrayBufferWriter<byte> _removedKeys = new(256);
    private readonly List<int> _removedKeyEnds = [];
    private readonly ArrayBufferWriter<byte> _stateKey = new(64);
    private readonly ArrayBufferWriter<byte> _stateValue = new(256);
    private readonly Cell[] _keyRow;
    private bool _metaDirty;
    private bool _queuesStale;

    /// <summary>Stream time at which a window has closed (no record is accepted any more).</summary>
    private long CloseAt(int slot) => _window.Kind == WindowKind.Session
        ? _groups.End[slot] + _window.SizeMs + _window.GraceMs + 1
        : _groups.End[slot] + _window.GraceMs;

    /// <summary>Stream time at which a window leaves the state: RETENTION after its start (a session: its end),
    /// and never before it has closed.</summary>
    private long ExpireAt(int slot) => Math.Max(CloseAt(slot),
        (_window.Kind == WindowKind.Session ? _groups.End[slot] : _groups.Start[slot]) + _window.RetentionMs);

    private static PriorityQueue<(int Slot, int Generation), long>[] NewQueues(int count)
    {
        var queues = new PriorityQueue<(int Slot, int Generation), long>[count];
        for (var i = 0; i < count; i++)
            queues[i] = new PriorityQueue<(int Slot, int Generation), long>();
        return queues;
    }

    private void Schedule(int slot)
    {
        var entry = (slot, _groups.Generation[slot]);
        var clock = _groups.Clock[slot];
        _expiries[clock].Enqueue(entry, ExpireAt(slot));
        if (_emitFinal && CloseAt(slot) > _clocks[clock])
            _closes[clock].Enqueue(entry, CloseAt(slot));
    }

    /// <summary>EMIT FINAL: the windows whose close their clock has reached, in close order per clock.</summary>
    private void CloseWindows()
    {
        for (var clock = 0; clock < _closes.Length; clock++)
        {
            var closes = _closes[clock];
            while (closes.TryPeek(out var entry, out var closeAt) && closeAt <= _clocks[clock])
            {
                closes.Dequeue();
                if (_groups.Alive[entry.Slot] && _groups.Generation[entry.Slot] == entry.Generation)
                    _closedInBatch.Add(entry.Slot);
            }
        }
    }

    /// <summary>Whether a window may have reached its retention (the queues may hold stale entries).</summary>
    private bool ExpiryDue
    {
        get
        {
            for (var clock = 0; clock < _expiries.Length; clock++)
            {
                if (_expiries[clock].TryPeek(out _, out var expireAt) && expireAt <= _clocks[clock])
                    return true;
            }
            return false;
        }
    }

    /// <summary>Removes the windows whose retention has passed (before the next batch, after the last one's rows
    /// were emitted).</summary>
    private void ExpireWindows()
    {
        for (var clock = 0; clock < _expiries.Length; clock++)
        {
            var expiries = _expiries[clock];
            while (expiries.TryPeek(out var entry, out var expireAt) && expireAt <= _clocks[clock])
            {
                expiries.Dequeue();
                if (_groups.Alive[entry.Slot] && _groups.Generation[entry.Slot] == entry.Generation)
                    RemoveGroup(entry.Slot, writeRemoval: true);
            }
        }
    }

    private void RemoveGroup(int slot, bool writeRemoval)
    {
        if (writeRemoval && _groups.Written[slot])
        {
            EncodeStateKey(slot);
            _removedKeys.Write(_stateKey.WrittenSpan);
            _removedKeyEnds.Add(_removedKeys.WrittenCount);
        }
        if (_window.Kind == WindowKind.Session)
            DetachSession(slot);
        else
            _keys.Remove(slot);
        _budget.Release(_groups.Charged[slot]);
        _groups.Free(slot);
    }

    /// <summary>After a restore, the queues are rebuilt from the windows held and the restored stream time (windows
    /// already closed are not emitted again).</summary>
    private void RebuildQueues()
    {
        _queuesStale = false;
        foreach (var queue in _expiries)
            queue.Clear();
        foreach (var queue in _closes)
            queue.Clear();
        for (var slot = 0; slot < _groups.HighWater; slot++)
        {
            if (_groups.Alive[slot])
                Schedule(slot);
        }
    }

    private void MarkDirty(int slot)
    {
        if (_groups.Dirty[slot])
            return;
        _groups.Dirty[slot] = true;
        _changedSinceCommit.Add(slot);
    }

    public bool HasChanges => _metaDirty || _changedSinceCommit.Count > 0 || _removedKeyEnds.Count > 0;

    /// <summary>
    /// The live entries a snapshot decision weighs the state log against: four per window held, so the log is
    /// snapshotted once it holds eight times the windows (at most an eighth more writes). Windows come and go at the
    /// stream's rate, so snapshotting at twice the windows, as a plain aggregate does, cost the aggregation a quarter
    /// of its time (`bench pq-window`).
    /// </summary>
    public long SnapshotWeight => 4 * (WindowCount + 1L);

    /// <summary>
    /// A snapshot: stream time and every window held, for a commit whose records a restart replays from (the state
    /// log before it is deleted), so the state log is bounded by the windows held, not by the stream. The removals
    /// since the last commit are left out: a replay from the snapshot never saw those windows.
    /// </summary>
    public void WriteAll(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
        _removedKeyEnds.Clear();
        _removedKeys.ResetWrittenCount();
        for (var slot = 0; slot < _groups.HighWater; slot++)
        {
            if (_groups.Alive[slot])
                MarkDirty(slot);
        }
        _metaDirty = true;
        WriteChanges(write);
    }

    public void WriteChanges(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var removalStart = 0;
        foreach (var end in _removedKeyEnds)
        {
            write(_removedKeys.WrittenMemory[removalStart..end], ReadOnlyMemory<byte>.Empty);
            removalStart = end;
        }
        _removedKeyEnds.Clear();
        _removedKeys.ResetWrittenCount();
        foreach (var slot in _changedSinceCommit)
        {
            if (!_groups.Alive[slot] || !_groups.Dirty[slot])
                continue;
            _groups.Dirty[slot] = false;
            _groups.Written[slot] = true;
            EncodeStateKey(slot);
            EncodeStateValue(slot);
            write(_stateKey.WrittenMemory, _stateValue.WrittenMemory);
        }
        _changedSinceCommit.Clear();
        if (_metaDirty)
        {
            write(new[] { MetaTag }, _clocks.Encode(_lateRecords));
            _metaDirty = false;
        }
    }

    private void EncodeStateKey(int slot)
    {
        _stateKey.ResetWrittenCount();
        _stateKey.GetSpan(1)[0] = WindowTag;
        _stateKey.Advance(1);
        CopyGroupKey(slot, _keyRow);
        for (var k = 0; k < _keyTypes.Length; k++)
            AccumulatorState.WriteCell(_stateKey, _keyRow[k], _keyTypes[k]);
        AccumulatorState.WriteInt64(_stateKey, _groups.Start[slot]);
        AccumulatorState.WriteInt64(_stateKey, _groups.End[slot]);
        if (_groups.Clock[slot] != _clocks.All)
            AccumulatorState.WriteInt64(_stateKey, _groups.Clock[slot]);
    }

    private void EncodeStateValue(int slot)
    {
        _stateValue.ResetWrittenCount();
        var width = _aggregates.Length;
        for (var a = 0; a < width; a++)
        {
            var lengthAt = _stateValue.WrittenCount;
            _stateValue.GetSpan(4);
            _stateValue.Advance(4);
            SerializeAggregate(slot, a, _stateValue);
            var span = System.Runtime.InteropServices.MemoryMarshal.AsMemory(_stateValue.WrittenMemory).Span;
            BinaryPrimitives.WriteInt32LittleEndian(span[lengthAt..], _stateValue.WrittenCount - lengthAt - 4);
        }
        // A window with no aggregates still needs a non-empty value (empty means removed).
        if (width == 0)
        {
            _stateValue.GetSpan(1)[0] = 0;
            _stateValue.Advance(1);
        }
    }

    public void Restore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> state)
    {
        _queuesStale = true;
        if (key.Length == 1 && key[0] == MetaTag)
        {
            _lateRecords = _clocks.Decode(state);
            return;
        }
        if (key.IsEmpty || key[0] != WindowTag)
            throw NestedValueCodec.Corrupt();
        var position = 1;
        for (var k = 0; k < _keyTypes.Length; k++)
            _scratch[k] = AccumulatorState.ReadCell(key, ref position, _keyTypes[k]);
        var start = AccumulatorState.ReadInt64(key, ref position);
        var end = AccumulatorState.ReadInt64(key, ref position);
        // A window a partition's clock governs names it; one without (or whose partition is gone) takes the clock
        // over all partitions.
        var clock = position < key.Length ? AccumulatorState.ReadInt64(key, ref position) : _clocks.All;
        var slot = _window.Kind == WindowKind.Session ? FindSession(start, end) : _keys.Find(_scratch, start);
        if (state.IsEmpty)
        {
            if (slot >= 0)
                RemoveGroup(slot, writeRemoval: false);
            return;
        }
        if (slot < 0)
            slot = RestoredGroup(start, end, clock is >= 0 and < int.MaxValue ? _clocks.Of((int)clock) : _clocks.All);
        RestoreAccumulators(slot, state);
        _groups.Written[slot] = true;
    }

    private int RestoredGroup(long start, long end, int clock)
    {
        if (_window.Kind != WindowKind.Session)
        {
            var slot = NewGroup(_scratch, start, end, keyEntry: -1, clock);
            _keys.Add(_scratch, start, slot);
            return slot;
        }
        var entry = _keys.Find(_scratch, 0);
        if (entry < 0)
            entry = NewKeyEntry();
        var session = NewGroup(_scratch, start, end, entry, clock);
        _sessionsOfKey[entry]!.Add(session);
        return session;
    }

    private void RestoreAccumulators(int slot, ReadOnlySpan<byte> state)
    {
        var width = _aggregates.Length;
        var position = 0;
        for (var a = 0; a < width; a++)
        {
            if (state.Length - position < 4)
                throw NestedValueCodec.Corrupt();
            var length = BinaryPrimitives.ReadInt32LittleEndian(state[position..]);
            position += 4;
            if (length < 0 || length > state.Length - position)
                throw NestedValueCodec.Corrupt();
            RestoreAggregate(slot, a, state.Slice(position, length));
            position += length;
        }
    }
}
