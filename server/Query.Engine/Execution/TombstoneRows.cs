using System.Buffers;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// How a push query on a table shows a delete: as ksqlDB does, a row with the deleted key and NULL in every other
/// column (ksqlDB's REST API adds <c>"tombstone": true</c>; the PostgreSQL protocol has no such flag, so a client
/// tells a delete from an upsert by its NULL values). The tombstone's key is turned into a value the table's cursor
/// decodes like any row: an all-NULL value in an external format (the key stays in the record key), or our binary
/// row with the key column set (the binary format keeps the key inside the value).
/// </summary>
internal sealed class TombstoneRows
{
    private readonly StreamRuntime _table;
    private readonly ArrayBufferWriter<byte> _value = new(64);
    private readonly Cell[] _row;
    private readonly byte[]? _external;

    public TombstoneRows(StreamRuntime table)
    {
        _table = table;
        _row = new Cell[table.Types.Length];
        _row.AsSpan().Fill(Cell.Null);
        if (table.Codec is { } codec)
        {
            codec.EncodeValue(_value, _row);
            _external = _value.WrittenSpan.ToArray();
        }
    }

    /// <summary>The value that reads as <paramref name="key"/>'s delete row; false when the key does not decode.
    /// </summary>
    public bool TryEncode(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        if (_external is not null)
        {
            value = _external;
            return true;
        }
        value = default;
        if (_table.Definition.KeyColumn < 0)
            return false;
        try
        {
            if (!TryDecodeKey(key))
                return false;
        }
        catch (Exception e) when (e is Errors.SqlException or ArgumentException or FormatException
            or System.Text.DecoderFallbackException or System.Text.Json.JsonException or InvalidOperationException
            or OverflowException)
        {
            return false;
        }
        _value.ResetWrittenCount();
        BinaryRowFormat.Write(_value, _row, _table.Types);
        value = _value.WrittenSpan;
        return true;
    }

    /// <summary>Sets the key columns from a record key; a windowed table's key also gives WINDOWSTART and WINDOWEND
    /// (the delete is of one window's row).</summary>
    private bool TryDecodeKey(ReadOnlySpan<byte> key)
    {
        var definition = _table.Definition;
        if (definition.Window is not { } window)
        {
            _table.KeyCodec.Decode(key, _row);
            return true;
        }
        if (!Windows.WindowedKey.TrySplit(key, window, out var inner, out var startMs, out var endMs))
            return false;
        _table.KeyCodec.Decode(inner, _row);
        if (definition.WindowStartColumn >= 0)
            _row[definition.WindowStartColumn] = Cell.FromInt64(startMs);
        if (definition.WindowEndColumn >= 0)
            _row[definition.WindowEndColumn] = Cell.FromInt64(endMs);
        return true;
    }
}
