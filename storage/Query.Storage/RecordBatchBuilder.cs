using System.Buffers;
using Query.Storage.Format;

namespace Query.Storage;

/// <summary>
/// Encodes records straight into one pooled buffer in the on-disk batch format, leaving room for the header,
/// so appending a batch costs one copy into the segment. Reuse it: <see cref="Clear"/> keeps the buffer.
/// Do not modify the builder while an <see cref="PartitionLog.AppendAsync"/> of it is pending.
/// </summary>
public sealed class RecordBatchBuilder : IDisposable
{
    /// <summary>Pass as a timestamp to have the record stamped with the append time.</summary>
    public const long UseAppendTime = long.MinValue;

    private byte[] _buffer;
    private int _length = BatchHeader.Size;
    private long _minTimestampMs = long.MaxValue;
    private long _maxTimestampMs = long.MinValue;
    private bool _needsAppendTime;

    public RecordBatchBuilder(int initialCapacityBytes = 4096) =>
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacityBytes, BatchHeader.Size + 64));

    public int Count { get; private set; }

    /// <summary>Encoded size of the batch so far, header included.</summary>
    public int SizeBytes => _length;

    /// <summary>Encoded size of the largest record added since the last <see cref="Clear"/>.</summary>
    public int MaxRecordSizeBytes { get; private set; }

    public void Add(long timestampMs, ReadOnlySpan<byte> value) => Add(timestampMs, default, false, value, default);

    public void Add(long timestampMs, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        Add(timestampMs, key, true, value, default);

    public void Add(long timestampMs, ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value,
        ReadOnlySpan<RecordHeader> headers) => Add(timestampMs, key, hasKey, value, false, headers);

    /// <summary>Adds a record whose value is null (Kafka's tombstone: a table's changelog deletes the key).</summary>
    public void AddNullValue(long timestampMs, ReadOnlySpan<byte> key, bool hasKey) =>
        Add(timestampMs, key, hasKey, default, true, default);

    private void Add(long timestampMs, ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value,
        bool valueIsNull, ReadOnlySpan<RecordHeader> headers)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (headers.Length > ushort.MaxValue)
            throw new ArgumentException("a record holds at most 65535 headers", nameof(headers));
        foreach (var header in headers)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(header.Key) > ushort.MaxValue)
                throw new ArgumentException("a header key is at most 65535 UTF-8 bytes", nameof(headers));
        }
        var size = RecordFormat.SizeOf(hasKey ? key.Length : 0, value.Length, headers);
        if ((long)_length + size > LogOptions.MaxBatchBytes)
            throw new RecordTooLargeException((long)_length + size, LogOptions.MaxBatchBytes, "batch");
        EnsureCapacity(_length + size);
        RecordFormat.Write(_buffer.AsSpan(_length, size), size, timestampMs, key, hasKey, value, valueIsNull,
            headers);
        _length += size;
        Count++;
        MaxRecordSizeBytes = Math.Max(MaxRecordSizeBytes, size);
        if (timestampMs == UseAppendTime)
        {
            _needsAppendTime = true;
            return;
        }
        _minTimestampMs = Math.Min(_minTimestampMs, timestampMs);
        _maxTimestampMs = Math.Max(_maxTimestampMs, timestampMs);
    }

    public void Clear()
    {
        _length = BatchHeader.Size;
        Count = 0;
        MaxRecordSizeBytes = 0;
        _minTimestampMs = long.MaxValue;
        _maxTimestampMs = long.MinValue;
        _needsAppendTime = false;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Stamps append-time records, fills the header and CRC; the base offset is patched by the
    /// writer.</summary>
    internal ReadOnlyMemory<byte> Seal(long appendTimeMs, byte attributes = 0)
    {
        var batch = _buffer.AsSpan(0, _length);
        var min = _minTimestampMs;
        var max = _maxTimestampMs;
        if (_needsAppendTime)
            StampAppendTime(batch[BatchHeader.Size..], appendTimeMs, ref min, ref max);
        BatchHeader.Seal(batch, Count, min, max, attributes);
        return _buffer.AsMemory(0, _length);
    }

    private static void StampAppendTime(Span<byte> records, long appendTimeMs, ref long min, ref long max)
    {
        while (records.Length > 0)
        {
            var size = 4 + System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(records);
            if (RecordFormat.ReadTimestamp(records) == UseAppendTime)
                RecordFormat.WriteTimestamp(records, appendTimeMs);
            min = Math.Min(min, RecordFormat.ReadTimestamp(records));
            max = Math.Max(max, RecordFormat.ReadTimestamp(records));
            records = records[size..];
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
            return;
        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, (long)_buffer.Length * 2),
            int.MaxValue));
        _buffer.AsSpan(0, _length).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }
}
