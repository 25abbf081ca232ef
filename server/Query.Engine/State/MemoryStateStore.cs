namespace Query.Engine.State;

/// <summary>
/// An <see cref="IStateStore"/> in memory: a hash index from key to slot, and slots holding each entry's key and
/// value arrays. A slot keeps its entry while it lives (an update replaces the value in place when it has the same
/// length), and a freed slot is reused, so a walk by slot position sees every entry that lives throughout exactly
/// once. Every byte is charged to the budget first: keys, values and <see cref="EntryOverheadBytes"/> per entry
/// (two array headers, the dictionary entry and the slot).
/// </summary>
public sealed class MemoryStateStore : IStateStore
{
    /// <summary>Managed overhead per entry besides its bytes: two arrays (24 each), a dictionary entry (24 with
    /// the key reference, hash and next) and the two slot references (16), rounded up.</summary>
    public const int EntryOverheadBytes = 96;

    private readonly StateMemoryBudget _budget;
    private readonly Dictionary<byte[], int> _index = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private byte[]?[] _keys = new byte[]?[16];
    private byte[]?[] _values = new byte[]?[16];
    private readonly Stack<int> _free = new();
    private int _slotsUsed;
    private bool _disposed;

    public MemoryStateStore(StateMemoryBudget budget)
    {
        _budget = budget;
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public long Count => _index.Count;

    public long MemoryBytes { get; private set; }

    public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        if (_lookup.TryGetValue(key, out var slot))
        {
            value = _values[slot];
            return true;
        }
        value = default;
        return false;
    }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_lookup.TryGetValue(key, out var slot))
        {
            var old = _values[slot]!;
            if (old.Length == value.Length)
            {
                value.CopyTo(old);
                return;
            }
            Charge(value.Length - old.Length);
            _values[slot] = value.ToArray();
            return;
        }
        Charge(key.Length + value.Length + EntryOverheadBytes);
        slot = _free.Count > 0 ? _free.Pop() : NextSlot();
        var keyBytes = key.ToArray();
        _keys[slot] = keyBytes;
        _values[slot] = value.ToArray();
        _index.Add(keyBytes, slot);
    }

    public bool Delete(ReadOnlySpan<byte> key)
    {
        if (!_lookup.Remove(key, out var keyBytes, out var slot))
            return false;
        var bytes = keyBytes.Length + _values[slot]!.Length + EntryOverheadBytes;
        _keys[slot] = null;
        _values[slot] = null;
        _free.Push(slot);
        MemoryBytes -= bytes;
        _budget.Release(bytes);
        return true;
    }

    public bool TryGetNext(ref long position, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        while (position < _slotsUsed)
        {
            var slot = (int)position++;
            if (_keys[slot] is { } found)
            {
                key = found;
                value = _values[slot];
                return true;
            }
        }
        key = default;
        value = default;
        return false;
    }

    public void Clear()
    {
        _index.Clear();
        Array.Clear(_keys);
        Array.Clear(_values);
        _free.Clear();
        _slotsUsed = 0;
        _budget.Release(MemoryBytes);
        MemoryBytes = 0;
    }

    private void Charge(long bytes)
    {
        _budget.Charge(bytes);
        MemoryBytes += bytes;
    }

    private int NextSlot()
    {
        if (_slotsUsed == _keys.Length)
        {
            Array.Resize(ref _keys, _keys.Length * 2);
            Array.Resize(ref _values, _values.Length * 2);
        }
        return _slotsUsed++;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        Clear();
        _disposed = true;
    }
}
