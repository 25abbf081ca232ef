using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// One row assembled field by field for a bulk append, reused for every row. STRING and BYTES values stay as
/// bytes in a reused buffer and are copied once, into the encoded row; other values are cells. So a COPY row
/// costs no allocation in the default (binary) value format; the JSON format materializes strings. What the
/// stream's definition decides (the encoding path, the time and key columns) is read once, not per row; the
/// per-row methods are compiled optimized at once (a bulk load would otherwise run its first rows through
/// unoptimized and profiling code).
/// </summary>
internal sealed class BulkRow
{
    private readonly StreamRuntime _stream;
    private readonly Cell[] _cells;
    private readonly SqlTypeKind[] _kinds;
    private readonly int[] _bytesStart;   // where a STRING/BYTES column's value starts in _bytes, or -1
    private readonly int[] _bytesLength;
    private readonly ArrayBufferWriter<byte> _other = new(64);   // a value of a type without a fixed width
    private readonly byte[] _key = new byte[8];
    private readonly bool _encodes;   // a binary value and a one-column KAFKA key (or none): encoded here
    private readonly int _timestampColumn;
    private readonly int _keyColumn;
    private readonly int _headerBytes;
    private byte[] _encoded = new byte[512];
    private byte[] _bytes = new byte[512];
    private int _bytesUsed;

    public BulkRow(StreamRuntime stream)
    {
        _stream = stream;
        var width = stream.Types.Length;
        _cells = new Cell[width];
        _kinds = new SqlTypeKind[width];
        for (var i = 0; i < width; i++)
            _kinds[i] = stream.Types[i].Kind;
        _bytesStart = new int[width];
        _bytesLength = new int[width];
        var definition = stream.Definition;
        // The fast path writes a one-column KAFKA key itself; other keys go through the key codec.
        _encodes = !(definition.IsExternalFormat || definition.TimestampFormat is not null
            || definition.KeyColumns.Count > 1 || definition.KeyFormat != Catalog.KeyFormat.Kafka);
        _timestampColumn = definition.TimestampColumn;
        _keyColumn = definition.KeyColumn;
        _headerBytes = BinaryRowFormat.HeaderBytes(width);
        Clear();
    }

    /// <summary>Every column NULL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Clear()
    {
        // Element by element: a cleared cell holds no reference, so no store needs a GC write barrier.
        var cells = _cells;
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = default;
            cells[i].IsNull = true;
        }
        _bytesStart.AsSpan().Fill(-1);
        _bytesUsed = 0;
    }

    public void SetCell(int column, in Cell cell)
    {
        _cells[column] = cell;
        _bytesStart[column] = -1;
    }

    /// <summary>A value held in <see cref="Cell.Bits"/> alone (integers, timestamps, doubles' bits).</summary>
    public void SetBits(int column, long bits)
    {
        ref var cell = ref _cells[column];
        cell = default;
        cell.Bits = bits;
        _bytesStart[column] = -1;
    }

    /// <summary>A STRING (UTF-8, already validated) or BYTES value, copied.</summary>
    public void SetBytes(int column, ReadOnlySpan<byte> value)
    {
        if (_bytes.Length - _bytesUsed < value.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _bytesUsed + value.Length));
        value.CopyTo(_bytes.AsSpan(_bytesUsed));
        _cells[column] = default;
        _bytesStart[column] = _bytesUsed;
        _bytesLength[column] = value.Length;
        _bytesUsed += value.Length;
    }

    /// <summary>Encodes the row once and adds it to <paramref name="appender"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AppendTo(RowAppender appender)
    {
        if (!_encodes)
        {
            Materialize();
            appender.Add(_cells);
            return;
        }
        var length = Encode();   // first: it may grow _encoded
        var encoded = _encoded.AsSpan(0, length);
        var time = _timestampColumn;
        var timestamp = time >= 0 && !_cells[time].IsNull && _cells[time].Bits >= 0
            ? _cells[time].Bits
            : Query.Storage.RecordBatchBuilder.UseAppendTime;
        if (_keyColumn < 0 || _cells[_keyColumn].IsNull)
            appender.AddEncoded(timestamp, default, hasKey: false, encoded);
        else
            appender.AddEncoded(timestamp, KeyBytes(_keyColumn), hasKey: true, encoded);
    }

    /// <summary>The key serialized as <see cref="KafkaPartitioner.SerializeKey"/> does, without allocating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<byte> KeyBytes(int column)
    {
        if (_bytesStart[column] >= 0)
            return _bytes.AsSpan(_bytesStart[column], _bytesLength[column]);
        var cell = _cells[column];
        switch (_kinds[column])
        {
            case SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time:
                BinaryPrimitives.WriteInt32BigEndian(_key, (int)cell.Bits);
                return _key.AsSpan(0, 4);
            case SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Double:
                BinaryPrimitives.WriteInt64BigEndian(_key, cell.Bits);
                return _key;
            default:
                return KafkaPartitioner.SerializeKey(cell, _stream.Types[column]);
        }
    }

    /// <summary>
    /// Writes BinaryRowFormat's layout into <see cref="_encoded"/> (header: version, column count, null bitmap, end
    /// offsets; then the column data) and returns its length. Fixed-width values are written in place, byte-held
    /// values copied; any other type goes through <see cref="BinaryRowFormat.WriteCell"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Encode()
    {
        var count = _cells.Length;
        var headerBytes = _headerBytes;
        var offsets = 3 + ((count + 7) / 8);
        // Room for every value but those of other types, which make room themselves.
        EnsureEncoded(headerBytes + _bytesUsed + (8 * count));
        var buffer = _encoded;
        buffer.AsSpan(0, headerBytes).Clear();
        buffer[0] = BinaryRowFormat.Version;
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(1), (ushort)count);
        var at = headerBytes;
        for (var i = 0; i < count; i++)
        {
            if (_bytesStart[i] >= 0)
            {
                _bytes.AsSpan(_bytesStart[i], _bytesLength[i]).CopyTo(buffer.AsSpan(at));
                at += _bytesLength[i];
            }
            else if (_cells[i].IsNull)
            {
                buffer[3 + (i >> 3)] |= (byte)(1 << (i & 7));
            }
            else
            {
                switch (_kinds[i])
                {
                    case SqlTypeKind.Boolean:
                        buffer[at++] = _cells[i].Bits != 0 ? (byte)1 : (byte)0;
                        break;
                    case SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time:
                        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), (int)_cells[i].Bits);
                        at += 4;
                        break;
                    case SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Double:
                        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(at), _cells[i].Bits);
                        at += 8;
                        break;
                    default:
                        at = EncodeOther(i, at);
                        buffer = _encoded;
                        break;
                }
            }
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offsets + (4 * i)), (uint)(at - headerBytes));
        }
        return at;
    }

    private int EncodeOther(int column, int at)
    {
        _other.ResetWrittenCount();
        BinaryRowFormat.WriteCell(_other, _cells[column], _stream.Types[column]);
        EnsureEncoded(at + _other.WrittenCount + _bytesUsed + (8 * _cells.Length));
        _other.WrittenSpan.CopyTo(_encoded.AsSpan(at));
        return at + _other.WrittenCount;
    }

    private void EnsureEncoded(int size)
    {
        if (_encoded.Length < size)
            Array.Resize(ref _encoded, Math.Max(size, _encoded.Length * 2));
    }

    private void Materialize()
    {
        for (var i = 0; i < _cells.Length; i++)
        {
            if (_bytesStart[i] < 0)
                continue;
            var bytes = _bytes.AsSpan(_bytesStart[i], _bytesLength[i]);
            _cells[i] = Cell.FromRef(_stream.Types[i].Kind == SqlTypeKind.String
                ? Encoding.UTF8.GetString(bytes)
                : bytes.ToArray());
            _bytesStart[i] = -1;
        }
    }
}
