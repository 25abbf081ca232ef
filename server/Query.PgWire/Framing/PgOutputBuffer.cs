using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Query.PgWire.Framing;

/// <summary>
/// Backend messages are encoded synchronously into this one pooled buffer and sent with a single socket write at
/// flush points (ReadyForQuery, Flush, streamed batches). Message lengths are patched in place at
/// <see cref="EndMessage"/>, so no message is built twice.
/// </summary>
public sealed class PgOutputBuffer : IDisposable
{
    private byte[] _buffer;
    private int _length;
    private int _messageStart = -1;

    public PgOutputBuffer(int initialBytes = 16 * 1024) => _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);

    public int Length => _length;

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    public void BeginMessage(byte type)
    {
        EnsureCapacity(5);
        _buffer[_length] = type;
        _messageStart = _length + 1;
        _length += 5;
    }

    public void EndMessage()
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_messageStart), _length - _messageStart);
        _messageStart = -1;
    }

    public void WriteByte(byte value)
    {
        EnsureCapacity(1);
        _buffer[_length++] = value;
    }

    public void WriteInt16(short value)
    {
        EnsureCapacity(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), value);
        _length += 2;
    }

    public void WriteInt32(int value)
    {
        EnsureCapacity(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteInt64(long value)
    {
        EnsureCapacity(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>UTF-8 text without a terminator.</summary>
    public void WriteUtf8(ReadOnlySpan<char> text)
    {
        EnsureCapacity(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    public void WriteCString(ReadOnlySpan<char> text)
    {
        WriteUtf8(text);
        WriteByte(0);
    }

    /// <summary>Reserves <paramref name="count"/> bytes and returns their position, for values patched later.</summary>
    public int Reserve(int count)
    {
        EnsureCapacity(count);
        var position = _length;
        _length += count;
        return position;
    }

    public void PatchInt32(int position, int value) =>
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(position), value);

    /// <summary>
    /// Space to write at least <paramref name="count"/> bytes directly; commit with <see cref="Advance"/>.
    /// </summary>
    public Span<byte> GetSpan(int count)
    {
        EnsureCapacity(count);
        return _buffer.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    /// <summary>
    /// Bytes written from <paramref name="start"/> (used to quote text-format array elements in place).
    /// </summary>
    public Span<byte> Slice(int start, int length) => _buffer.AsSpan(start, length);

    public void Truncate(int length) => _length = length;

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void EnsureCapacity(int count)
    {
        if (_buffer.Length - _length >= count)
            return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
