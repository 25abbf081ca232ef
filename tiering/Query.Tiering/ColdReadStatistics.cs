namespace Query.Tiering;

/// <summary>Counters of one cold read; plain fields because a reader is single-threaded.</summary>
public sealed class ColdReadStatistics
{
    public int FilesOpened;
    public int FilesSkipped;
    public int RowGroupsRead;

    /// <summary>Row groups skipped by their statistics, whatever excluded them (offsets, ROWTIME,
    /// predicates).</summary>
    public int RowGroupsSkipped;

    /// <summary>Of <see cref="RowGroupsSkipped"/>, those the column predicates excluded.</summary>
    public int RowGroupsSkippedByFilter;
    public long RowsRead;

    /// <summary>Rows of row groups read that the column predicates left out before they were rebuilt.</summary>
    public long RowsFilteredOut;

    /// <summary>Column chunks our own page decoder read, and those it left to Parquet.Net (nested columns,
    /// DECIMAL, encodings or codecs it does not handle).</summary>
    public int ColumnChunksDecoded;
    public int ColumnChunksDeclined;

    /// <summary>Column chunks of a column read only to admit rows that were not decoded: their statistics showed a
    /// non-negative value in every row (<see cref="ColdScanRange.AdmissionColumn"/>).</summary>
    public int ColumnChunksLeftOut;

    /// <summary>Adds another read's counters (a file's into its partition's, a partition's into a query's).</summary>
    public void Add(ColdReadStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        FilesOpened += other.FilesOpened;
        FilesSkipped += other.FilesSkipped;
        RowGroupsRead += other.RowGroupsRead;
        RowGroupsSkipped += other.RowGroupsSkipped;
        RowGroupsSkippedByFilter += other.RowGroupsSkippedByFilter;
        RowsRead += other.RowsRead;
        RowsFilteredOut += other.RowsFilteredOut;
        ColumnChunksDecoded += other.ColumnChunksDecoded;
        ColumnChunksDeclined += other.ColumnChunksDeclined;
        ColumnChunksLeftOut += other.ColumnChunksLeftOut;
    }
}
