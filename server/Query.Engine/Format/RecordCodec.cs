using System.Buffers;
using System.Text;
using System.Text.Json;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Format;

/// <summary>
/// A record of a stream in an external format (VALUE_FORMAT JSON, DELIMITED, KAFKA, PROTOBUF_NOSR or NONE), as
/// ksqlDB lays it out: the KEY columns are in the record key (KEY_FORMAT KAFKA, JSON or DELIMITED:
/// <see cref="KeyCodec"/>), the other columns in the value.
/// Records other tools wrote can be malformed: <c>TryDecode</c> says so instead of throwing, and the reader
/// skips and counts them (ksqlDB's processing log). JSON rows written before keys moved out of the value still read:
/// a record without a key takes the key column from the value.
/// </summary>
public sealed class RecordCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly StreamDefinition _definition;
    private readonly SqlType[] _types;
    private readonly string[] _names;
    private readonly KeyCodec _key;
    private readonly int[] _valueColumns;
    private readonly int _windowStart;
    private readonly int _windowEnd;

    public RecordCodec(StreamDefinition definition)
    {
        _definition = definition;
        _types = definition.ColumnTypes();
        _names = definition.ColumnNames();
        _key = new KeyCodec(definition);
        var values = new List<int>();
        _windowStart = definition.WindowStartColumn;
        _windowEnd = definition.WindowEndColumn;
        for (var i = 0; i < _types.Length; i++)
        {
            if (!definition.IsKeyColumn(i) && !definition.IsHeaderColumn(i) && i != _windowStart && i != _windowEnd)
                values.Add(i);
        }
        _valueColumns = [.. values];
    }

    /// <summary>
    /// Decodes a record with its headers (<see cref="Storage.LogRecord.RawHeaders"/>), which fill the stream's
    /// header columns.
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value,
        ReadOnlySpan<byte> rawHeaders, int headerCount, Cell[] cells)
    {
        if (!TryDecode(key, hasKey, value, cells))
            return false;
        foreach (var header in _definition.Headers)
            cells[header.Column] = RecordHeaders.Read(rawHeaders, headerCount, header.Key);
        return true;
    }

    /// <summary>Decodes a record into one cell per column; false when the key or value cannot be read.</summary>
    public bool TryDecode(ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value, Cell[] cells)
    {
        cells.AsSpan(0, _types.Length).Fill(Cell.Null);
        try
        {
            if (!DecodeValue(value, cells, takeKey: !hasKey))
                return false;
            if (hasKey && _definition.KeyColumn >= 0)
                DecodeKey(key, cells);
            return true;
        }
        catch (Exception e) when (e is SqlException or JsonException or FormatException or OverflowException
            or InvalidOperationException or ArgumentException or DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>
    /// A record whose value is null (a stream's tombstone): the key columns from the key, every other column NULL.
    /// ksqlDB passes such a record through a projection as a null value (see ContinuousQueryHooks.NullValueRows).
    /// </summary>
    public bool TryDecodeKeyOnly(ReadOnlySpan<byte> key, bool hasKey, Cell[] cells)
    {
        cells.AsSpan(0, _types.Length).Fill(Cell.Null);
        if (!hasKey || _definition.KeyColumn < 0)
            return true;
        try
        {
            DecodeKey(key, cells);
            return true;
        }
        catch (Exception e) when (e is SqlException or JsonException or FormatException or OverflowException
            or InvalidOperationException or ArgumentException or DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>A windowed key: the key columns, and WINDOWSTART / WINDOWEND from the window after them.</summary>
    private void DecodeKey(ReadOnlySpan<byte> key, Cell[] cells)
    {
        if (_definition.Window is { } window)
            DecodeWindowedKey(key, window, cells);
        else
            _key.Decode(key, cells);
    }

    private void DecodeWindowedKey(ReadOnlySpan<byte> key, TableWindow window, Cell[] cells)
    {
        if (!Windows.WindowedKey.TrySplit(key, window, out var inner, out var start, out var end))
            throw NestedValueCodec.Corrupt();
        if (_windowStart >= 0)
            cells[_windowStart] = Cell.FromInt64(start);
        if (_windowEnd >= 0)
            cells[_windowEnd] = Cell.FromInt64(end);
        _key.Decode(inner, cells);
    }

    private bool DecodeValue(ReadOnlySpan<byte> value, Cell[] cells, bool takeKey)
    {
        switch (_definition.ValueFormat)
        {
            case ValueFormat.Json:
                return DecodeJson(value, cells, takeKey);
            case ValueFormat.Delimited:
                // A value of no columns is empty; so is one of a single NULL column, which does not decode, as in
                // ksqlDB ("No fields in record").
                if (value.IsEmpty)
                    return _valueColumns.Length == 0;
                var fields = DelimitedFormat.Split(StrictUtf8.GetString(value), _definition.ValueDelimiter);
                if (fields.Count != _valueColumns.Length)
                    return false;
                for (var i = 0; i < fields.Count; i++)
                    cells[_valueColumns[i]] = DelimitedFormat.ParseField(fields[i], _types[_valueColumns[i]]);
                return true;
            case ValueFormat.Kafka:
                if (_valueColumns.Length == 1 && !value.IsEmpty)
                    cells[_valueColumns[0]] = KafkaSerde.Read(value, _types[_valueColumns[0]]);
                return true;
            case ValueFormat.ProtobufNoSr:
                var values = new object?[_valueColumns.Length];
                ProtobufFormat.ReadMessage(value, ValueTypes, values);
                for (var i = 0; i < values.Length; i++)
                    cells[_valueColumns[i]] = Cell.FromObject(values[i], _types[_valueColumns[i]]);
                return true;
            default:
                return true;
        }
    }

    /// <summary>The value columns' types, in value order.</summary>
    private SqlType[] ValueTypes => _valueTypes ??= [.. _valueColumns.Select(c => _types[c])];

    private SqlType[]? _valueTypes;

    private bool DecodeJson(ReadOnlySpan<byte> value, Cell[] cells, bool takeKey)
    {
        if (value.IsEmpty)
            return false;
        using var document = JsonDocument.Parse(value.ToArray());
        var root = document.RootElement;
        if (!_definition.WrapSingleValue && _valueColumns.Length == 1)
        {
            var type = _types[_valueColumns[0]];
            cells[_valueColumns[0]] = Cell.FromObject(JsonRowFormat.FromElement(root, type), type);
            return true;
        }
        if (root.ValueKind != JsonValueKind.Object)
            return false;
        foreach (var property in root.EnumerateObject())
        {
            var index = IndexOf(property.Name);
            if (index >= 0 && (takeKey || !_definition.IsKeyColumn(index)) && !_definition.IsHeaderColumn(index))
                cells[index] = Cell.FromObject(JsonRowFormat.FromElement(property.Value, _types[index]), _types[index]);
        }
        return true;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }

    /// <summary>The serialized key of a row, or null when the stream has no key or its key columns are NULL.
    /// </summary>
    public byte[]? EncodeKey(ReadOnlySpan<Cell> row) => _key.Encode(row);

    /// <summary>Appends the value of a row (the non-key columns) to <paramref name="buffer"/>.</summary>
    public void EncodeValue(ArrayBufferWriter<byte> buffer, ReadOnlySpan<Cell> row)
    {
        switch (_definition.ValueFormat)
        {
            case ValueFormat.Json:
                EncodeJson(buffer, row);
                break;
            case ValueFormat.Delimited:
                var line = new StringBuilder();
                for (var i = 0; i < _valueColumns.Length; i++)
                {
                    if (i > 0)
                        line.Append(_definition.ValueDelimiter);
                    DelimitedFormat.AppendField(line, row[_valueColumns[i]], _types[_valueColumns[i]],
                        _definition.ValueDelimiter, firstOfValue: i == 0);
                }
                Encoding.UTF8.GetBytes(line.ToString(), buffer);
                break;
            case ValueFormat.ProtobufNoSr:
                var values = new object?[_valueColumns.Length];
                for (var i = 0; i < values.Length; i++)
                    values[i] = row[_valueColumns[i]].ToObject(_types[_valueColumns[i]]);
                ProtobufFormat.WriteMessage(buffer, values, ValueTypes);
                break;
            case ValueFormat.Kafka when _valueColumns.Length == 1 && !row[_valueColumns[0]].IsNull:
                buffer.Write(KafkaSerde.Write(row[_valueColumns[0]], _types[_valueColumns[0]]));
                break;
        }
    }

    private void EncodeJson(ArrayBufferWriter<byte> buffer, ReadOnlySpan<Cell> row)
    {
        using var writer = new Utf8JsonWriter(buffer);
        if (!_definition.WrapSingleValue && _valueColumns.Length == 1)
        {
            var type = _types[_valueColumns[0]];
            JsonValueWriter.Write(writer, row[_valueColumns[0]].ToObject(type), type);
            return;
        }
        writer.WriteStartObject();
        foreach (var i in _valueColumns)
        {
            writer.WritePropertyName(_names[i]);
            JsonValueWriter.Write(writer, row[i].ToObject(_types[i]), _types[i]);
        }
        writer.WriteEndObject();
    }
}
