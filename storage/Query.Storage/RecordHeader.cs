namespace Query.Storage;

/// <summary>A record header as given to <see cref="RecordBatchBuilder"/>; the key is stored as UTF-8.</summary>
public readonly record struct RecordHeader(string Key, ReadOnlyMemory<byte> Value);
