using System.Buffers.Binary;

namespace Query.Storage;

/// <summary>Allocation-free, bounds-checked walk over a record's encoded headers (usable in foreach).</summary>
public ref struct RecordHeaderEnumerator
{
    private ReadOnlySpan<byte> _remaining;
    private int _left;

    public RecordHeaderEnumerator(ReadOnlySpan<byte> rawHeaders, int count)
    {
        _remaining = rawHeaders;
        _left = count;
        Current = default;
    }

    public RecordHeaderView Current { get; private set; }

    public readonly RecordHeaderEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_left <= 0 || _remaining.Length < 2)
            return false;
        int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        if (_remaining.Length < 2 + keyLength + 4)
            return false;
        var key = _remaining.Slice(2, keyLength);
        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(_remaining[(2 + keyLength)..]);
        var valueStart = 6 + keyLength;
        if ((uint)valueLength > (uint)(_remaining.Length - valueStart))
            return false;
        Current = new RecordHeaderView(key, _remaining.Slice(valueStart, valueLength));
        _remaining = _remaining[(valueStart + valueLength)..];
        _left--;
        return true;
    }
}
