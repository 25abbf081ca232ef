namespace Query.Storage;

/// <summary>A read below the log start offset (its segments were deleted).</summary>
public sealed class OffsetOutOfRangeException : StorageException
{
    public OffsetOutOfRangeException(long offset, long startOffset, long endOffset)
        : base($"offset {offset} is out of range: the partition holds [{startOffset}, {endOffset})")
    {
        Offset = offset;
        StartOffset = startOffset;
        EndOffset = endOffset;
    }

    public long Offset { get; }
    public long StartOffset { get; }
    public long EndOffset { get; }
}
