namespace Query.Storage;

/// <summary>
/// A reader had already returned records that <see cref="PartitionLog.TruncateAfterAsync"/> has since removed:
/// going on would hand out new records under offsets it already passed. Open a new reader (at or below
/// <see cref="EndOffset"/>) to go on from the truncated log.
/// </summary>
public sealed class LogTruncatedException : StorageException
{
    public LogTruncatedException(string logName, int partition, long nextOffset, long endOffset)
        : base($"partition {partition} of log \"{logName}\" was truncated to end at offset {endOffset} while a " +
            $"reader was at offset {nextOffset}; read again from {endOffset} or below")
    {
        NextOffset = nextOffset;
        EndOffset = endOffset;
    }

    /// <summary>Where the reader was: one past the last record it returned.</summary>
    public long NextOffset { get; }

    /// <summary>The end offset the truncation left.</summary>
    public long EndOffset { get; }
}
