using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Query.Engine.Format;
using Query.Engine.Types;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

/// <summary>
/// The current log record of a scan, decoded lazily: positioning on a record (in a batch's buffer, or copied by
/// <see cref="Load(ReadOnlySpan{byte}, long, long, int)"/>) reads the 3-byte header; each column access reads only
/// that column through the row's offset table. Compiled
/// expressions call the <c>TryGet…</c> methods (true when the value is not NULL). Rows in an external format
/// (JSON, DELIMITED, KAFKA, NONE) are decoded whole when loaded, key included; a record that does not decode is
/// refused when loaded, and the scan skips and counts it. Positioning and the accessors are compiled optimized at
/// once: a scan calls them per record (see ScanSource).
/// </summary>
public sealed partial class RecordCursor
{
    private readonly SqlType[] _types;
    private readonly string[] _names;
    private readonly bool _json;
    private readonly RecordCodec? _codec;
    private readonly StreamRuntime? _stream;
    private readonly int _timestampColumn;
    private readonly string? _timestampFormat;
    private byte[] _ownBuffer = new byte[512];
    private byte[] _row;
    private int _rowStart;
    private int _rowLength;
    private int _columnCount;
    private int _dataStart;
    private Cell[]? _jsonCells;
    private bool _jsonDecoded;
    private ColumnVector?[]? _vectors;     // positioned on a row of a column batch (RecordCursor.Columns.cs)
    private int _vectorRow;

    public long Offset;
    public long TimestampMs;
    public int Partition;

    public RecordCursor(SqlType[] types, string[] names, RecordCodec? codec, StreamRuntime? stream = null)
    {
        _types = types;
        _names = names;
        _json = codec is not null;
        _codec = codec;
        _stream = stream;
        _timestampColumn = stream?.Definition.TimestampColumn ?? -1;
        _timestampFormat = stream?.Definition.TimestampFormat;
        _row = _ownBuffer;
    }

    /// <summary>
    /// Loads a record; false (and counted on the stream) when a record in an external format cannot be decoded.
    /// </summary>
    public bool Load(ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value, long offset, long timestampMs,
        int partition)
    {
        if (_codec is not null)
        {
            if (!Decode(key, hasKey, value, offset, timestampMs, partition))
                return Skip();
        }
        else
        {
            Load(value, offset, timestampMs, partition);
        }
        return ApplyTimestampColumn();
    }

    /// <summary>
    /// Points the cursor at a record held in a batch's buffer, without copying a binary row. With
    /// <paramref name="admit"/> it is the record's first load (decode failures and the timestamp column are
    /// applied and counted, as <see cref="Load(ReadOnlySpan{byte}, bool, ReadOnlySpan{byte}, long, long, int)"/>
    /// does); without it the batch already admitted the record and stored its row time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Position(byte[] buffer, int valueStart, int valueLength, ReadOnlySpan<byte> key, bool hasKey,
        long offset, long timestampMs, int partition, bool admit, ReadOnlySpan<byte> rawHeaders = default,
        int headerCount = 0)
    {
        if (_codec is not null)
        {
            if (!Decode(key, hasKey, buffer.AsSpan(valueStart, valueLength), offset, timestampMs, partition,
                    rawHeaders, headerCount))
                return admit && Skip();
        }
        else
        {
            PositionBinary(buffer, valueStart, valueLength, offset, timestampMs, partition);
        }
        return !admit || ApplyTimestampColumn();
    }

    /// <summary>
    /// Points the cursor at a record whose value is null: its key columns, every other column NULL (a persistent
    /// stream query passes it on as a null value). With <paramref name="admit"/> a key that does not decode, or a
    /// timestamp column that gives no row time, refuses (and counts) the record.
    /// </summary>
    public bool PositionNullValue(ReadOnlySpan<byte> key, bool hasKey, long offset, long timestampMs, int partition,
        bool admit)
    {
        Offset = offset;
        TimestampMs = timestampMs;
        Partition = partition;
        _vectors = null;
        _jsonCells ??= new Cell[_types.Length];
        _jsonDecoded = _codec is not null && _codec.TryDecodeKeyOnly(key, hasKey, _jsonCells);
        if (!_jsonDecoded)
            return admit && Skip();
        return !admit || ApplyTimestampColumn();
    }

    private bool Decode(ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value, long offset,
        long timestampMs, int partition, ReadOnlySpan<byte> rawHeaders = default, int headerCount = 0)
    {
        Offset = offset;
        TimestampMs = timestampMs;
        Partition = partition;
        _jsonCells ??= new Cell[_types.Length];
        _jsonDecoded = _codec!.TryDecode(key, hasKey, value, rawHeaders, headerCount, _jsonCells);
        return _jsonDecoded;
    }

    /// <summary>
    /// ksqlDB's timestamp extractor: with TIMESTAMP = 'col' the row time is the column's value; a NULL or
    /// negative row time drops the record (counted), as it does for records that do not decode.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ApplyTimestampColumn()
    {
        if (_timestampColumn >= 0)
        {
            long fromColumn;
            if (_timestampFormat is not null)
            {
                if (!TryGetString(_timestampColumn, out var text)
                    || RowTimeText.Parse(text, _timestampFormat) is not { } parsed)
                    return Skip();
                fromColumn = parsed;
            }
            else if (!TryGetInt64(_timestampColumn, out fromColumn))
            {
                return Skip();
            }
            TimestampMs = fromColumn;
        }
        return TimestampMs >= 0 || Skip();
    }

    private bool Skip()
    {
        _stream?.CountSkippedRecord();
        return false;
    }

    /// <summary>Loads a record of the engine's binary row format (no codec).</summary>
    public void Load(ReadOnlySpan<byte> value, long offset, long timestampMs, int partition)
    {
        if (value.Length > _ownBuffer.Length)
            _ownBuffer = new byte[Math.Max(value.Length, _ownBuffer.Length * 2)];
        value.CopyTo(_ownBuffer);
        PositionBinary(_ownBuffer, 0, value.Length, offset, timestampMs, partition);
    }

    /// <summary>Whether records are in the engine's binary row format (no codec): <see cref="PositionBinary"/>
    /// positions on one.</summary>
    internal bool IsBinary => _codec is null;

    /// <summary>Points the cursor at a binary row (already admitted) in <paramref name="buffer"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void PositionBinary(byte[] buffer, int start, int length, long offset, long timestampMs, int partition)
    {
        _vectors = null;
        _row = buffer;
        _rowStart = start;
        _rowLength = length;
        Offset = offset;
        TimestampMs = timestampMs;
        Partition = partition;
        var value = buffer.AsSpan(start, length);
        if (value.Length < 3 || value[0] != BinaryRowFormat.Version)
            throw NestedValueCodec.Corrupt();
        _columnCount = BinaryPrimitives.ReadUInt16LittleEndian(value[1..]);
        _dataStart = BinaryRowFormat.HeaderBytes(_columnCount);
        if (_dataStart > value.Length)
            throw NestedValueCodec.Corrupt();
    }

    /// <summary>
    /// The bytes of a binary column, or false when it is NULL or absent (added after the row was written).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryGetSpan(int column, out ReadOnlySpan<byte> data)
    {
        var row = _row.AsSpan(_rowStart, _rowLength);
        if (column >= _columnCount || (row[3 + (column >> 3)] & (1 << (column & 7))) != 0)
        {
            data = default;
            return false;
        }
        var offsets = 3 + ((_columnCount + 7) >> 3);
        var end = BinaryPrimitives.ReadUInt32LittleEndian(row[(offsets + (4 * column))..]);
        var start = column == 0 ? 0u : BinaryPrimitives.ReadUInt32LittleEndian(row[(offsets + (4 * column) - 4)..]);
        if (start > end || end > (uint)(_rowLength - _dataStart))
            throw NestedValueCodec.Corrupt();
        data = row.Slice(_dataStart + (int)start, (int)(end - start));
        return true;
    }

    private ref readonly Cell JsonCell(int column) => ref _jsonCells![column];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetBoolean(int column, out bool value)
    {
        if (_vectors is not null)
            return TryGetVectorBoolean(column, out value);
        if (_json)
        {
            ref readonly var cell = ref JsonCell(column);
            value = cell.Bits != 0;
            return !cell.IsNull;
        }
        var found = TryGetSpan(column, out var data);
        value = found && data.Length > 0 && data[0] != 0;
        return found;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetInt32(int column, out int value)
    {
        if (_vectors is not null)
            return TryGetVectorInt32(column, out value);
        if (_json)
        {
            ref readonly var cell = ref JsonCell(column);
            value = (int)cell.Bits;
            return !cell.IsNull;
        }
        var found = TryGetSpan(column, out var data);
        value = found ? BinaryPrimitives.ReadInt32LittleEndian(data) : 0;
        return found;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetInt64(int column, out long value)
    {
        if (_vectors is not null)
            return TryGetVectorInt64(column, out value);
        if (_json)
        {
            ref readonly var cell = ref JsonCell(column);
            value = cell.Bits;
            return !cell.IsNull;
        }
        var found = TryGetSpan(column, out var data);
        value = found ? BinaryPrimitives.ReadInt64LittleEndian(data) : 0;
        return found;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetDouble(int column, out double value)
    {
        if (_vectors is not null)
            return TryGetVectorDouble(column, out value);
        var found = TryGetInt64(column, out var bits);
        value = BitConverter.Int64BitsToDouble(bits);
        return found;
    }

    public bool TryGetDecimal(int column, out decimal value)
    {
        if (_vectors is not null)
            return TryGetVectorDecimal(column, out value);
        if (_json)
        {
            ref readonly var cell = ref JsonCell(column);
            value = cell.Decimal;
            return !cell.IsNull;
        }
        var found = TryGetSpan(column, out var data);
        value = found ? NestedValueCodec.ReadDecimal(data) : 0m;
        return found;
    }

    public bool TryGetWideDecimal(int column, out WideDecimal value)
    {
        if (_json)
        {
            ref readonly var cell = ref JsonCell(column);
            value = cell.Ref is WideDecimal wide ? wide : default;
            return !cell.IsNull;
        }
        var found = TryGetSpan(column, out var data);
        value = found ? NestedValueCodec.ReadWideDecimal(data) : default;
        return found;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetString(int column, out string value)
    {
        if (_vectors is not null)
            return TryGetVectorString(column, out value);
        if (_json)
            return TryGetJsonRef(column, out value);
        var found = TryGetSpan(column, out var data);
        value = found ? Encoding.UTF8.GetString(data) : null!;
        return found;
    }

    /// <summary>Whether a STRING column's UTF-8 equals <paramref name="expected"/>; false when NULL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetUtf8Equals(int column, byte[] expected, out bool equal)
    {
        if (_vectors is not null)
            return TryGetVectorUtf8Equals(column, expected, out equal);
        if (_json)
        {
            var found = TryGetJsonRef(column, out string text);
            equal = found && text == Encoding.UTF8.GetString(expected);
            return found;
        }
        var present = TryGetSpan(column, out var data);
        equal = present && data.SequenceEqual(expected);
        return present;
    }

    public bool TryGetBytes(int column, out byte[] value) => TryGetObject(column, out value);

    public bool TryGetArray(int column, out SqlArray value) => TryGetObject(column, out value);

    public bool TryGetMap(int column, out SqlMap value) => TryGetObject(column, out value);

    public bool TryGetStruct(int column, out SqlStruct value) => TryGetObject(column, out value);

    private bool TryGetObject<T>(int column, out T value) where T : class
    {
        if (_vectors is not null)
            return TryGetVectorObject(column, out value);
        if (_json)
            return TryGetJsonRef(column, out value);
        var found = TryGetSpan(column, out var data);
        value = found ? (T)NestedValueCodec.ReadTopLevel(data, _types[column]) : null!;
        return found;
    }

    private bool TryGetJsonRef<T>(int column, out T value) where T : class
    {
        ref readonly var cell = ref JsonCell(column);
        value = (cell.Ref as T)!;
        return !cell.IsNull;
    }

    /// <summary>Reads any column into a cell (used by SELECT * style copies and aggregation inputs).</summary>
    public Cell GetCell(int column)
    {
        var type = _types[column];
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean:
                return TryGetBoolean(column, out var b) ? Cell.FromInt64(b ? 1 : 0) : Cell.Null;
            case SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time:
                return TryGetInt32(column, out var i) ? Cell.FromInt64(i) : Cell.Null;
            case SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Double:
                return TryGetInt64(column, out var l) ? Cell.FromInt64(l) : Cell.Null;
            case SqlTypeKind.Decimal when type is DecimalType { IsWide: true }:
                return TryGetWideDecimal(column, out var w) ? Cell.FromWideDecimal(w) : Cell.Null;
            case SqlTypeKind.Decimal:
                return TryGetDecimal(column, out var d) ? Cell.FromDecimal(d) : Cell.Null;
            case SqlTypeKind.String:
                return TryGetString(column, out var s) ? Cell.FromRef(s) : Cell.Null;
            default:
                return TryGetObject(column, out object o) ? Cell.FromRef(o) : Cell.Null;
        }
    }
}
