namespace Query.Storage;

/// <summary>
/// One record as a view into the reader's pooled buffer; valid until the next <see cref="LogReader.TryRead"/>.
/// </summary>
public ref struct LogRecord
{
    public long Offset;
    public long TimestampMs;
    public bool HasKey;
    public ReadOnlySpan<byte> Key;
    public ReadOnlySpan<byte> Value;

    /// <summary>
    /// A null value, as Kafka's tombstone (a table's changelog deletes the key); <see cref="Value"/> is then empty.
    /// </summary>
    public bool ValueIsNull;

    /// <summary>Number of headers encoded in <see cref="RawHeaders"/>.</summary>
    public int HeaderCount;

    /// <summary>The encoded headers (see storage/FORMAT.md); walk them with <see cref="GetHeaders"/>.</summary>
    public ReadOnlySpan<byte> RawHeaders;

    public readonly RecordHeaderEnumerator GetHeaders() => new(RawHeaders, HeaderCount);
}
