namespace Query.Storage.Sealing;

/// <summary>
/// Ends a <see cref="SealedSegmentWatch"/> whose consumer fell so far behind that its bounded queue was full
/// when another segment was sealed. Nothing is lost on disk: watch again, then enumerate
/// <see cref="PartitionLog.GetSealedSegments"/> to find what was sealed meanwhile.
/// </summary>
public sealed class SealedSegmentsMissedException : StorageException
{
    public SealedSegmentsMissedException(string logName, int partition, int capacity)
        : base($"a watch of sealed segments of partition {partition} of log \"{logName}\" fell {capacity} " +
            "notices behind and was ended; watch again and enumerate the sealed segments")
    {
    }
}
