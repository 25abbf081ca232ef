namespace Query.Engine.Execution;

/// <summary>Counters of the storage reads behind one query (summed from every reader it opened).</summary>
public sealed class ScanStatistics
{
    public int SegmentsOpened { get; internal set; }

    public long BatchesRead { get; internal set; }

    public long BatchesSkipped { get; internal set; }

    public long BytesRead { get; internal set; }

    /// <summary>Offsets the query asked for that retention removed before they were read.</summary>
    public long OffsetsSkippedByRetention { get; internal set; }

    public long RecordsScanned { get; internal set; }

    public int PartitionsScanned { get; internal set; }

    /// <summary>Records read from the <see cref="ScanCache"/> instead of the log.</summary>
    public long RecordsFromCache { get; internal set; }

    /// <summary>Batches of rows read by column (cold row groups) instead of as records.</summary>
    public long ColumnBatchesRead { get; internal set; }

    /// <summary>Adds another scan's counters (a worker of a parallel aggregation, once it is done).</summary>
    internal void Add(ScanStatistics other)
    {
        SegmentsOpened += other.SegmentsOpened;
        BatchesRead += other.BatchesRead;
        BatchesSkipped += other.BatchesSkipped;
        BytesRead += other.BytesRead;
        OffsetsSkippedByRetention += other.OffsetsSkippedByRetention;
        RecordsScanned += other.RecordsScanned;
        PartitionsScanned += other.PartitionsScanned;
        RecordsFromCache += other.RecordsFromCache;
        ColumnBatchesRead += other.ColumnBatchesRead;
    }

    internal void Add(Query.Storage.ReadStatistics statistics)
    {
        SegmentsOpened += statistics.SegmentsOpened;
        BatchesRead += statistics.BatchesRead;
        BatchesSkipped += statistics.BatchesSkipped;
        BytesRead += statistics.BytesRead;
        OffsetsSkippedByRetention += statistics.OffsetsSkippedByRetention;
    }
}
