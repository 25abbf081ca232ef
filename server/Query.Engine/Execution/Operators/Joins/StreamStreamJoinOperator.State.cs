using System.Buffers;
using System.Buffers.Binary;
using Query.Engine.Format;
using Query.Engine.Functions;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// The stream-stream join's state log records (a persistent query commits them with its output and offsets).
/// <para>Keys: <c>[u8 0]</c> for stream time, the late count and the next row id (value <c>[i64 stream time][i64
/// late rows][i64 next id]</c>); <c>[u8 1][i64 row id]</c> for a held row (value <c>[u8 side: 0 left, 1 right][u8
/// matched][i64 time]</c> then the side's cells and its key, each as <see cref="AccumulatorState.WriteCell"/> writes
/// it; an empty value: the row has expired). Little-endian; replayed oldest first, the latest record of a key wins.
/// </para>
/// </summary>
public sealed partial class StreamStreamJoinOperator
{
    private const byte MetaTag = 0;
    private const byte RowTag = 1;

    private readonly List<BufferedJoinRow> _changed = [];
    private readonly List<long> _removals = [];
    private readonly ArrayBufferWriter<byte> _stateKey = new(16);
    private readonly ArrayBufferWriter<byte> _stateValue = new(256);
    private Dictionary<long, BufferedJoinRow>? _restored;
    private bool _metaDirty;

    public bool HasChanges => _metaDirty || _changed.Count > 0 || _removals.Count > 0;

    // A push query never commits: only a persistent query's operator records its changes.
    private void MarkDirty(BufferedJoinRow row)
    {
        if (_hooks is null || row.Dirty)
            return;
        row.Dirty = true;
        _changed.Add(row);
    }

    public void WriteChanges(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        foreach (var id in _removals)
        {
            EncodeKey(id);
            write(_stateKey.WrittenMemory, ReadOnlyMemory<byte>.Empty);
        }
        _removals.Clear();
        foreach (var row in _changed)
        {
            row.Dirty = false;
            if (!row.Alive)
                continue;
            row.Written = true;
            EncodeKey(row.Id);
            EncodeRow(row);
            write(_stateKey.WrittenMemory, _stateValue.WrittenMemory);
        }
        _changed.Clear();
        if (!_metaDirty)
            return;
        var meta = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(meta, _streamTimeMs);
        BinaryPrimitives.WriteInt64LittleEndian(meta.AsSpan(8), _lateRecords);
        BinaryPrimitives.WriteInt64LittleEndian(meta.AsSpan(16), _nextId);
        write(new[] { MetaTag }, meta);
        _metaDirty = false;
    }

    /// <summary>A snapshot: every row held and the meta record (the log before it is no longer replayed).
    /// </summary>
    public void WriteAll(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (_restored is not null)
            ApplyRestoredRows();
        _removals.Clear();
        foreach (var row in _changed)
            row.Dirty = false;
        _changed.Clear();
        foreach (var side in (ReadOnlySpan<StreamJoinSide>)[_left, _right])
        {
            foreach (var (row, _) in side.Expiries.UnorderedItems)
            {
                row.Written = true;
                EncodeKey(row.Id);
                EncodeRow(row);
                write(_stateKey.WrittenMemory, _stateValue.WrittenMemory);
            }
        }
        _metaDirty = true;
        WriteChanges(write);
    }

    private void EncodeKey(long id)
    {
        _stateKey.ResetWrittenCount();
        _stateKey.GetSpan(1)[0] = RowTag;
        _stateKey.Advance(1);
        AccumulatorState.WriteInt64(_stateKey, id);
    }

    private void EncodeRow(BufferedJoinRow row)
    {
        _stateValue.ResetWrittenCount();
        var head = _stateValue.GetSpan(2);
        head[0] = row.IsLeft ? (byte)0 : (byte)1;
        head[1] = row.Matched ? (byte)1 : (byte)0;
        _stateValue.Advance(2);
        AccumulatorState.WriteInt64(_stateValue, row.TimestampMs);
        var types = (row.IsLeft ? _left : _right).Types;
        for (var i = 0; i < types.Length; i++)
            AccumulatorState.WriteCell(_stateValue, row.Cells[i], types[i]);
    }

    public void Restore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> state)
    {
        _restored ??= [];
        if (key.Length == 1 && key[0] == MetaTag)
        {
            if (state.Length != 24)
                throw NestedValueCodec.Corrupt();
            _streamTimeMs = BinaryPrimitives.ReadInt64LittleEndian(state);
            _lateRecords = BinaryPrimitives.ReadInt64LittleEndian(state[8..]);
            _nextId = Math.Max(_nextId, BinaryPrimitives.ReadInt64LittleEndian(state[16..]));
            return;
        }
        if (key.Length != 9 || key[0] != RowTag)
            throw NestedValueCodec.Corrupt();
        var id = BinaryPrimitives.ReadInt64LittleEndian(key[1..]);
        if (state.IsEmpty)
        {
            _restored.Remove(id);
            return;
        }
        if (state.Length < 10 || state[0] > 1)
            throw NestedValueCodec.Corrupt();
        var side = state[0] == 0 ? _left : _right;
        var position = 2;
        var time = AccumulatorState.ReadInt64(state, ref position);
        var cells = new Types.Cell[side.Types.Length];
        for (var i = 0; i < cells.Length; i++)
            cells[i] = AccumulatorState.ReadCell(state, ref position, side.Types[i]);
        _restored[id] = new BufferedJoinRow(id, side.IsLeft, time, cells) { Matched = state[1] == 1, Written = true };
        _nextId = Math.Max(_nextId, id + 1);
    }

    /// <summary>After a restore: the rows held go back into their sides in arrival order; an unmatched row of an
    /// outer side waits for its window to close again (a window already closed was emitted before the commit).
    /// </summary>
    private void ApplyRestoredRows()
    {
        var rows = new List<BufferedJoinRow>(_restored!.Values);
        _restored = null;
        rows.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        foreach (var row in rows)
        {
            var side = row.IsLeft ? _left : _right;
            Hold(side, row);
            if (side.KeepsUnmatched && _window.HasGrace && !row.Matched && CloseAt(row) >= _streamTimeMs)
                _closes.Enqueue(row, CloseAt(row));
        }
    }
}
