using System.Buffers.Binary;

namespace Query.Storage;

/// <summary>
/// One record as a view into the reader's pooled buffer; valid until the next <see cref="LogReader.TryRead"/>.
/// </summary>
public ref struct LogRecord
{
    public long Offset;
    public long TimestampMs;
    public bool HasKey;
    public ReadOnlySpan<byte> Key;
    public ReadOnlySpan<byte> Value;

    /// <summary>Number of headers encoded in <see cref="RawHeaders"/>.</summary>
    public int HeaderCount;

    /// <summary>The encoded headers (see storage/FORMAT.md); walk them with <see cref="GetHeaders"/>.</summary>
    public ReadOnlySpan<byte> RawHeaders;

    public readonly RecordHeaderEnumerator GetHeaders() => new(RawHeaders, HeaderCount);
}

/// <summary>One header as views: the UTF-8 key and the value bytes.</summary>
public readonly ref struct RecordHeaderView
{
    public RecordHeaderView(ReadOnlySpan<byte> keyUtf8, ReadOnlySpan<byte> value)
    {
        KeyUtf8 = keyUtf8;
        Value = value;
    }

    public ReadOnlySpan<byte> KeyUtf8 { get; }
    public ReadOnlySpan<byte> Value { get; }
}

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
