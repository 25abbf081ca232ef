using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// The one encoding of a row's key into a record key, used by every writer (INSERT, COPY, DELETE, persistent
/// queries) and by key lookups, so that equal keys are equal bytes: KEY_FORMAT's serializer of the key columns
/// (<see cref="KeyCodec"/>), in every value format. A table's state is keyed by these bytes.
/// </summary>
public static class KeyEncoding
{
    /// <summary>The record key of <paramref name="row"/> (one cell per column); null without a key or when the
    /// key columns are NULL.</summary>
    public static byte[]? Encode(StreamRuntime stream, ReadOnlySpan<Cell> row)
    {
        var key = stream.KeyCodec.Encode(row);
        return key is null || stream.Definition.Window is not { } window ? key : WithWindow(stream, row, key, window);
    }

    /// <summary>A windowed source's key: the key bytes, then the window (both bounds are needed).</summary>
    private static byte[]? WithWindow(StreamRuntime stream, ReadOnlySpan<Cell> row, byte[] key,
        Catalog.TableWindow window)
    {
        var start = row[stream.Definition.WindowStartColumn];
        var end = row[stream.Definition.WindowEndColumn];
        if (start.IsNull || (end.IsNull && window.Kind == Catalog.WindowKind.Session))
            return null;
        return Windows.WindowedKey.Append(key, window.Kind, start.Bits, end.IsNull ? 0 : end.Bits);
    }

    /// <summary>The record key of a one-column key's value alone (of the key column's type); null for NULL.</summary>
    public static byte[]? EncodeKeyValue(StreamRuntime stream, Cell keyValue) => EncodeKeyValues(stream, [keyValue]);

    /// <summary>The record key of the key values alone (one per key column, in key order, already of the key
    /// columns' types); null when any is NULL (a table's key has no NULL part).</summary>
    public static byte[]? EncodeKeyValues(StreamRuntime stream, ReadOnlySpan<Cell> keyValues) =>
        KeyRow(stream, keyValues) is { } row ? Encode(stream, row) : null;

    /// <summary>The key columns' bytes of a windowed source, without a window: what its state's index of windows by
    /// key is keyed by (null when any value is NULL).</summary>
    public static byte[]? EncodeKeyValuesWithoutWindow(StreamRuntime stream, ReadOnlySpan<Cell> keyValues) =>
        KeyRow(stream, keyValues) is { } row ? stream.KeyCodec.Encode(row) : null;

    private static Cell[]? KeyRow(StreamRuntime stream, ReadOnlySpan<Cell> keyValues)
    {
        var row = new Cell[stream.Types.Length];
        row.AsSpan().Fill(Cell.Null);
        var columns = stream.KeyCodec.Columns;
        for (var i = 0; i < columns.Length; i++)
        {
            if (keyValues[i].IsNull)
                return null;
            row[columns[i]] = keyValues[i];
        }
        return row;
    }
}
