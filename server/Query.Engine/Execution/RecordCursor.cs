using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// The current log record of a scan, decoded lazily: positioning on a record (in a batch's buffer, or copied by
/// <see cref="Load"/>) reads the 3-byte header; each column access reads only that column through the row's
/// offset table. Compiled expressions call the <c>TryGet…</c> methods (true when the value is not NULL). JSON rows
/// are parsed whole on the first column access, since JSON has no offset table.
/// </summary>
public sealed class RecordCursor
{
    private readonly SqlType[] _types;
    private readonly string[] _names;
    private readonly bool _json;
    private byte[] _ownBuffer = new byte[512];
    private byte[] _row;
    private int _rowStart;
    private int _rowLength;
    private int _columnCount;
    private int _dataStart;
    private Cell[]? _jsonCells;
    private bool _jsonDecoded;

    public long Offset;
    public long TimestampMs;
    public int Partition;

    public RecordCursor(SqlType[] types, string[] names, bool json)
    {
        _types = types;
        _names = names;
        _json = json;
        _row = _ownBuffer;
    }

    /// <summary>Copies a record's value into the cursor (the value span is only valid until the next read).</summary>
    public void Load(ReadOnlySpan<byte> value, long offset, long timestampMs, int partition)
    {
        if (value.Length > _ownBuffer.Length)
            _ownBuffer = new byte[Math.Max(value.Length, _ownBuffer.Length * 2)];
        value.CopyTo(_ownBuffer);
        Position(_ownBuffer, 0, value.Length, offset, timestampMs, partition);
    }

    /// <summary>
    /// Points the cursor at a record held in <paramref name="buffer"/> (a batch's bytes) without copying it; valid
    /// while the buffer is not overwritten.
    /// </summary>
    public void Position(byte[] buffer, int start, int length, long offset, long timestampMs, int partition)
    {
        _row = buffer;
        _rowStart = start;
        _rowLength = length;
        Offset = offset;
        TimestampMs = timestampMs;
        Partition = partition;
        if (_json)
        {
            _jsonDecoded = false;
            return;
        }
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

    private ref readonly Cell JsonCell(int column)
    {
        if (!_jsonDecoded)
        {
            _jsonCells ??= new Cell[_types.Length];
            JsonRowFormat.Read(_row.AsSpan(_rowStart, _rowLength), _names, _types, _jsonCells);
            _jsonDecoded = true;
        }
        return ref _jsonCells![column];
    }

    public bool TryGetBoolean(int column, out bool value)
    {
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

    public bool TryGetInt32(int column, out int value)
    {
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

    public bool TryGetInt64(int column, out long value)
    {
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

    public bool TryGetDouble(int column, out double value)
    {
        var found = TryGetInt64(column, out var bits);
        value = BitConverter.Int64BitsToDouble(bits);
        return found;
    }

    public bool TryGetDecimal(int column, out decimal value)
    {
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

    public bool TryGetString(int column, out string value)
    {
        if (_json)
            return TryGetJsonRef(column, out value);
        var found = TryGetSpan(column, out var data);
        value = found ? Encoding.UTF8.GetString(data) : null!;
        return found;
    }

    /// <summary>Whether a STRING column's UTF-8 equals <paramref name="expected"/>; false when NULL.</summary>
    public bool TryGetUtf8Equals(int column, byte[] expected, out bool equal)
    {
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
            case SqlTypeKind.Decimal:
                return TryGetDecimal(column, out var d) ? Cell.FromDecimal(d) : Cell.Null;
            case SqlTypeKind.String:
                return TryGetString(column, out var s) ? Cell.FromRef(s) : Cell.Null;
            default:
                return TryGetObject(column, out object o) ? Cell.FromRef(o) : Cell.Null;
        }
    }
}
