namespace Query.Tiering.Layout;

/// <summary>
/// What tiering knows of a stream's rows, supplied by the engine so that tiering never sees SQL: the typed
/// columns, a description of the schema for the files' metadata, and the two halves of the value format.
/// <para><see cref="TryDecode"/> turns a record's value bytes into one value per column; it returns false when
/// <see cref="Encode"/> of those values would not give back exactly these bytes (an older row shape, a value
/// the format cannot describe), and then the archive keeps the raw bytes beside the typed columns. Both are
/// called from one thread per archival or read, never concurrently on the same row buffer.</para>
/// </summary>
public interface IColumnLayout
{
    /// <summary>The stream's value columns in row order (names as declared; written lower-case).</summary>
    IReadOnlyList<ColdColumn> Columns { get; }

    /// <summary>The stream's schema as the engine spells it, stored in each file's key-value metadata.</summary>
    string SchemaText { get; }

    /// <summary>Increases with every schema change; stored per file.</summary>
    int SchemaVersion { get; }

    /// <summary>Fills <paramref name="row"/> (one slot per column); false: keep the raw bytes too.</summary>
    bool TryDecode(ReadOnlySpan<byte> value, Span<ColdValue> row);

    /// <summary>
    /// <see cref="TryDecode"/> for archival: a layout may return a top-level STRING or BYTES column as
    /// <see cref="ColdValue.FromValueRange"/> (a range of <paramref name="value"/>, UTF-8 for STRING) rather than a
    /// string or byte[], which saves an allocation per value. Nested values and other types are as for
    /// <see cref="TryDecode"/>; by default it is <see cref="TryDecode"/>.
    /// </summary>
    bool TryDecodeRanges(ReadOnlySpan<byte> value, Span<ColdValue> row) => TryDecode(value, row);

    /// <summary>Appends the value bytes of <paramref name="row"/>; columns a query did not ask for are NULL.</summary>
    void Encode(ReadOnlySpan<ColdValue> row, System.Buffers.IBufferWriter<byte> value);
}
