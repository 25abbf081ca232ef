namespace Query.Storage;

/// <summary>A record over LogOptions.MaxRecordBytes, or a batch over LogOptions.MaxBatchBytes.</summary>
public sealed class RecordTooLargeException : StorageException
{
    public RecordTooLargeException(long sizeBytes, long maxBytes, string what = "record")
        : base($"{what} of {sizeBytes} bytes exceeds the limit of {maxBytes} bytes")
    {
        SizeBytes = sizeBytes;
        MaxBytes = maxBytes;
    }

    public long SizeBytes { get; }
    public long MaxBytes { get; }
}
