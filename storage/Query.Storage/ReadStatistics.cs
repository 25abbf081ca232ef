namespace Query.Storage;

/// <summary>Counters of one <see cref="LogReader"/>; plain fields because the reader is single-threaded.</summary>
public sealed class ReadStatistics
{
    public int SegmentsOpened;
    public long BatchesRead;
    public long BatchesSkipped;
    public long BytesRead;
}
