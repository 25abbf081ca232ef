namespace Query.Storage;

/// <summary>One header as views: the UTF-8 key and the value bytes.</summary>
public readonly ref struct RecordHeaderView
{
    public RecordHeaderView(ReadOnlySpan<byte> keyUtf8, ReadOnlySpan<byte> value)
    {
        KeyUtf8 = keyUtf8;
        Value = value;
    }

    public ReadOnlySpan<byte> KeyUtf8 { get; }
    public ReadOnlySpan<byte> Value { get; }
}
