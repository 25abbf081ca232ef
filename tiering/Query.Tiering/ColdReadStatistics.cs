namespace Query.Tiering;

/// <summary>Counters of one cold read; plain fields because a reader is single-threaded.</summary>
public sealed class ColdReadStatistics
{
    public int FilesOpened;
    public int FilesSkipped;
    public int RowGroupsRead;
    public int RowGroupsSkipped;
    public long RowsRead;
}
