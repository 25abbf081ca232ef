using System.Buffers;
using System.Text;
using System.Text.Json;
using Query.Engine.Catalog;
using Query.Engine.Types;

namespace Query.Engine.Format;

/// <summary>
/// A source's key columns in a record key, as ksqlDB's key formats hold them: KAFKA one column in Kafka's primitive
/// serialization; JSON one column as its bare JSON value, several as an object of column name to value; DELIMITED
/// the columns as the fields of one line, separated by KEY_DELIMITER (a comma by default) and CSV-quoted. A row
/// whose key columns are all NULL has no key (a null record key). Every writer and every key lookup encodes through
/// this one class (see <see cref="Execution.KeyEncoding"/>), so equal keys are equal bytes: the partition, the
/// table's state and a tombstone all depend on it. The binary value format keeps its key columns in the value as
/// well; its record key is encoded the same way.
/// </summary>
public sealed class KeyCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly int[] _columns;
    private readonly SqlType[] _types;
    private readonly string[] _names;
    private readonly KeyFormat _format;
    private readonly char _delimiter;

    public KeyCodec(StreamDefinition definition)
    {
        _columns = [.. definition.KeyColumns];
        _types = new SqlType[_columns.Length];
        _names = new string[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            _types[i] = definition.Columns[_columns[i]].Type;
            _names[i] = definition.Columns[_columns[i]].Name;
        }
        _format = definition.KeyFormat;
        _delimiter = definition.KeyDelimiter;
    }

    /// <summary>The key columns, in key order.</summary>
    public ReadOnlySpan<int> Columns => _columns;

    /// <summary>The record key of <paramref name="row"/> (one cell per column); null without key columns or when
    /// all of them are NULL.</summary>
    public byte[]? Encode(ReadOnlySpan<Cell> row)
    {
        if (_columns.Length == 0 || AllNull(row))
            return null;
        if (_columns.Length == 1)
            return EncodeSingle(row[_columns[0]], _types[0]);
        return _format == KeyFormat.Delimited ? EncodeDelimited(row) : EncodeJsonObject(row);
    }

    private bool AllNull(ReadOnlySpan<Cell> row)
    {
        foreach (var column in _columns)
        {
            if (!row[column].IsNull)
                return false;
        }
        return true;
    }

    private byte[] EncodeSingle(in Cell cell, SqlType type)
    {
        switch (_format)
        {
            case KeyFormat.Json:
                return Encoding.UTF8.GetBytes(ValueText.ToJson(cell.ToObject(type), type));
            case KeyFormat.Delimited:
                var line = new StringBuilder();
                // The key is a line of its own to ksqlDB's CSV printer: its first field is quoted as a value's is.
                DelimitedFormat.AppendField(line, cell, type, _delimiter, firstOfValue: true);
                return Encoding.UTF8.GetBytes(line.ToString());
            default:
                return KafkaSerde.Write(cell, type);
        }
    }

    private byte[] EncodeDelimited(ReadOnlySpan<Cell> row)
    {
        var line = new StringBuilder();
        for (var i = 0; i < _columns.Length; i++)
        {
            if (i > 0)
                line.Append(_delimiter);
            DelimitedFormat.AppendField(line, row[_columns[i]], _types[i], _delimiter, firstOfValue: i == 0);
        }
        return Encoding.UTF8.GetBytes(line.ToString());
    }

    private byte[] EncodeJsonObject(ReadOnlySpan<Cell> row)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < _columns.Length; i++)
            {
                writer.WritePropertyName(_names[i]);
                JsonValueWriter.Write(writer, row[_columns[i]].ToObject(_types[i]), _types[i]);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads the key columns of <paramref name="key"/> into <paramref name="cells"/>; throws (JsonException,
    /// FormatException, SqlException, ...) when the key is not of the format, which the record's reader counts and
    /// skips.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> key, Cell[] cells)
    {
        if (_columns.Length == 1)
        {
            cells[_columns[0]] = DecodeSingle(key, _types[0]);
            return;
        }
        if (_format == KeyFormat.Delimited)
            DecodeDelimited(key, cells);
        else
            DecodeJsonObject(key, cells);
    }

    private Cell DecodeSingle(ReadOnlySpan<byte> key, SqlType type)
    {
        switch (_format)
        {
            case KeyFormat.Json:
                using (var document = JsonDocument.Parse(key.ToArray()))
                    return Cell.FromObject(JsonRowFormat.FromElement(document.RootElement, type), type);
            case KeyFormat.Delimited:
                var fields = DelimitedFormat.Split(StrictUtf8.GetString(key), _delimiter);
                return fields.Count == 1 ? DelimitedFormat.ParseField(fields[0], type)
                    : throw NestedValueCodec.Corrupt();
            default:
                return KafkaSerde.Read(key, type);
        }
    }

    private void DecodeDelimited(ReadOnlySpan<byte> key, Cell[] cells)
    {
        var fields = DelimitedFormat.Split(StrictUtf8.GetString(key), _delimiter);
        if (fields.Count != _columns.Length)
            throw NestedValueCodec.Corrupt();
        for (var i = 0; i < _columns.Length; i++)
            cells[_columns[i]] = DelimitedFormat.ParseField(fields[i], _types[i]);
    }

    private void DecodeJsonObject(ReadOnlySpan<byte> key, Cell[] cells)
    {
        using var document = JsonDocument.Parse(key.ToArray());
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null)
            return;
        if (root.ValueKind != JsonValueKind.Object)
            throw NestedValueCodec.Corrupt();
        foreach (var property in root.EnumerateObject())
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                // Names compare as identifiers do (ksqlDB writes them upper case, we fold to lower case).
                if (string.Equals(_names[i], property.Name, StringComparison.OrdinalIgnoreCase))
                    cells[_columns[i]] = Cell.FromObject(JsonRowFormat.FromElement(property.Value, _types[i]),
                        _types[i]);
            }
        }
    }
}
