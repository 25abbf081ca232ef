using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// The one encoding of a row's key into a record key, used by every writer (INSERT, COPY, DELETE, persistent
/// queries) and by key lookups, so that equal keys are equal bytes: KEY_FORMAT's serializer for an external
/// format, Kafka's primitive serializers for the binary format. A table's state is keyed by these bytes.
/// </summary>
public static class KeyEncoding
{
    /// <summary>The record key of <paramref name="row"/> (one cell per column); null without a key or when the
    /// key is NULL.</summary>
    public static byte[]? Encode(StreamRuntime stream, ReadOnlySpan<Cell> row)
    {
        var column = stream.Definition.KeyColumn;
        if (column < 0 || row[column].IsNull)
            return null;
        var key = stream.Codec is { } codec ? codec.EncodeKey(row) : KafkaPartitioner.SerializeKey(row[column],
            stream.Types[column]);
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

    /// <summary>The record key of a key value alone (already of the key column's type); null for NULL.</summary>
    public static byte[]? EncodeKeyValue(StreamRuntime stream, Cell keyValue)
    {
        var row = new Cell[stream.Types.Length];
        row.AsSpan().Fill(Cell.Null);
        row[stream.Definition.KeyColumn] = keyValue;
        return Encode(stream, row);
    }
}
