using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// One row assembled field by field for a bulk append, reused for every row. STRING and BYTES values stay as
/// bytes in a reused buffer and are copied once, into the encoded row; other values are cells. So a COPY row
/// costs no allocation in the default (binary) value format; the JSON format materializes strings.
/// </summary>
internal sealed class BulkRow
{
    private readonly StreamRuntime _stream;
    private readonly Cell[] _cells;
    private readonly int[] _bytesStart;   // where a STRING/BYTES column's value starts in _bytes, or -1
    private readonly int[] _bytesLength;
    private readonly uint[] _ends;   // per column, the end of its data after the header (the offset table)
    private readonly ArrayBufferWriter<byte> _encoded = new(512);
    private readonly byte[] _key = new byte[8];
    private byte[] _bytes = new byte[512];
    private int _bytesUsed;

    public BulkRow(StreamRuntime stream)
    {
        _stream = stream;
        var width = stream.Types.Length;
        _cells = new Cell[width];
        _bytesStart = new int[width];
        _bytesLength = new int[width];
        _ends = new uint[width];
        Clear();
    }

    /// <summary>Every column NULL.</summary>
    public void Clear()
    {
        _cells.AsSpan().Fill(Cell.Null);
        _bytesStart.AsSpan().Fill(-1);
        _bytesUsed = 0;
    }

    public void SetCell(int column, in Cell cell)
    {
        _cells[column] = cell;
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
    public void AppendTo(RowAppender appender)
    {
        var definition = _stream.Definition;
        // The fast path writes a one-column KAFKA key itself; other keys go through the key codec.
        if (definition.IsExternalFormat || definition.TimestampFormat is not null || definition.KeyColumns.Count > 1
            || definition.KeyFormat != Catalog.KeyFormat.Kafka)
        {
            Materialize();
            appender.Add(_cells);
            return;
        }
        Encode();
        var timestamp = definition.TimestampColumn >= 0 && !_cells[definition.TimestampColumn].IsNull
            && _cells[definition.TimestampColumn].Bits >= 0
            ? _cells[definition.TimestampColumn].Bits
            : Query.Storage.RecordBatchBuilder.UseAppendTime;
        var keyColumn = definition.KeyColumn;
        if (keyColumn < 0 || _cells[keyColumn].IsNull)
            appender.AddEncoded(timestamp, default, hasKey: false, _encoded.WrittenSpan);
        else
            appender.AddEncoded(timestamp, KeyBytes(keyColumn), hasKey: true, _encoded.WrittenSpan);
    }

    /// <summary>The key serialized as <see cref="KafkaPartitioner.SerializeKey"/> does, without allocating.</summary>
    private ReadOnlySpan<byte> KeyBytes(int column)
    {
        if (_bytesStart[column] >= 0)
            return _bytes.AsSpan(_bytesStart[column], _bytesLength[column]);
        var cell = _cells[column];
        switch (_stream.Types[column].Kind)
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

    // BinaryRowFormat's layout, written here so byte-held values need no string: the column data first, then
    // the header (null bitmap, end offsets) filled in one pass over the written bytes.
    private void Encode()
    {
        var types = _stream.Types;
        var count = _cells.Length;
        var headerBytes = BinaryRowFormat.HeaderBytes(count);
        var bitmapBytes = (count + 7) / 8;
        _encoded.ResetWrittenCount();
        _encoded.GetSpan(headerBytes);
        _encoded.Advance(headerBytes);
        for (var i = 0; i < count; i++)
        {
            if (_bytesStart[i] >= 0)
                _encoded.Write(_bytes.AsSpan(_bytesStart[i], _bytesLength[i]));
            else if (!_cells[i].IsNull)
                BinaryRowFormat.WriteCell(_encoded, _cells[i], types[i]);
            _ends[i] = (uint)(_encoded.WrittenCount - headerBytes);
        }
        // The header bytes are ours, so patching them in place is safe (as BinaryRowFormat does).
        var written = System.Runtime.InteropServices.MemoryMarshal.AsMemory(_encoded.WrittenMemory);
        var header = written.Span[..headerBytes];
        header.Clear();
        header[0] = BinaryRowFormat.Version;
        BinaryPrimitives.WriteUInt16LittleEndian(header[1..], (ushort)count);
        var offsets = header[(3 + bitmapBytes)..];
        for (var i = 0; i < count; i++)
        {
            if (_cells[i].IsNull)
                header[3 + (i >> 3)] |= (byte)(1 << (i & 7));
            BinaryPrimitives.WriteUInt32LittleEndian(offsets[(4 * i)..], _ends[i]);
        }
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
