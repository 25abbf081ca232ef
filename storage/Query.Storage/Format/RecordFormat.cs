using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Query.Storage.Format;

/// <summary>
/// One record inside a batch (little-endian, fixed-width fields so parsing is a few loads):
/// <code>
/// int32 length (bytes after this field) | int64 timestampMs | int32 keyLength (-1: no key) | key
/// int32 valueLength | value | uint16 headerCount | headerCount x (uint16 keyLength | UTF-8 key | int32 valueLength |
/// value)
/// </code>
/// The record's offset is implicit: the batch base offset plus its index in the batch.
/// </summary>
internal static class RecordFormat
{
    public const int MinRecordBytes = 4 + 8 + 4 + 4 + 2;

    public static int SizeOf(int keyLength, int valueLength, ReadOnlySpan<RecordHeader> headers)
    {
        long size = MinRecordBytes + (long)keyLength + valueLength;
        foreach (var header in headers)
            size += 2 + Encoding.UTF8.GetByteCount(header.Key) + 4 + header.Value.Length;
        return size > int.MaxValue ? int.MaxValue : (int)size;
    }

    /// <summary>Writes a record of exactly <paramref name="size"/> bytes (from <see cref="SizeOf"/>).</summary>
    public static void Write(Span<byte> destination, int size, long timestampMs, ReadOnlySpan<byte> key, bool hasKey,
        ReadOnlySpan<byte> value, bool valueIsNull, ReadOnlySpan<RecordHeader> headers)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, size - 4);
        BinaryPrimitives.WriteInt64LittleEndian(destination[4..], timestampMs);
        var position = 12;
        BinaryPrimitives.WriteInt32LittleEndian(destination[position..], hasKey ? key.Length : -1);
        position += 4;
        if (hasKey)
        {
            key.CopyTo(destination[position..]);
            position += key.Length;
        }
        BinaryPrimitives.WriteInt32LittleEndian(destination[position..], valueIsNull ? -1 : value.Length);
        position += 4;
        value.CopyTo(destination[position..]);
        position += value.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[position..], (ushort)headers.Length);
        position += 2;
        foreach (var header in headers)
        {
            var keyBytes = Encoding.UTF8.GetBytes(header.Key, destination[(position + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(destination[position..], (ushort)keyBytes);
            position += 2 + keyBytes;
            BinaryPrimitives.WriteInt32LittleEndian(destination[position..], header.Value.Length);
            header.Value.Span.CopyTo(destination[(position + 4)..]);
            position += 4 + header.Value.Length;
        }
    }

    public static long ReadTimestamp(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[4..]);

    public static void WriteTimestamp(Span<byte> record, long timestampMs) =>
        BinaryPrimitives.WriteInt64LittleEndian(record[4..], timestampMs);

    /// <summary>
    /// Parses the record at the start of <paramref name="records"/>; returns its total size, or -1 when the
    /// lengths do not fit (the caller reports corruption: CRC-valid data should never get here).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryParse(ReadOnlySpan<byte> records, long offset, out LogRecord record)
    {
        record = default;
        if (records.Length < MinRecordBytes)
            return -1;
        var length = BinaryPrimitives.ReadInt32LittleEndian(records);
        if ((uint)length > (uint)(records.Length - 4) || length < MinRecordBytes - 4)
            return -1;
        var body = records.Slice(4, length);
        record.Offset = offset;
        record.TimestampMs = BinaryPrimitives.ReadInt64LittleEndian(body);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(body[8..]);
        var position = 12;
        if (keyLength < -1)
            return -1;
        record.HasKey = keyLength >= 0;
        if (record.HasKey)
        {
            if ((uint)keyLength > (uint)(body.Length - position - 6))
                return -1;
            record.Key = body.Slice(position, keyLength);
            position += keyLength;
        }
        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(body[position..]);
        position += 4;
        record.ValueIsNull = valueLength == -1;
        if (record.ValueIsNull)
            valueLength = 0;
        if ((uint)valueLength > (uint)(body.Length - position - 2))
            return -1;
        record.Value = body.Slice(position, valueLength);
        position += valueLength;
        record.HeaderCount = BinaryPrimitives.ReadUInt16LittleEndian(body[position..]);
        record.RawHeaders = body[(position + 2)..];
        return length + 4;
    }
}
