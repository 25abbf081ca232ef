namespace Query.Storage;

/// <summary>
/// Counters of one reader (<see cref="Reading.IRecordReader"/>); plain fields because a reader is single-threaded.
/// </summary>
public sealed class ReadStatistics
{
    public int SegmentsOpened;
    public long BatchesRead;
    public long BatchesSkipped;
    public long BytesRead;

    /// <summary>Offsets in the requested range that retention removed before the reader got to them.</summary>
    public long OffsetsSkippedByRetention;
}
