namespace Query.Tiering.Archival;

/// <summary>
/// Live progress of one archival run of one partition, updated by the archiver and read by anyone (SHOW
/// statements, logs): plain fields written with Volatile so readers see whole values.
/// </summary>
public sealed class ArchiveProgress(string stream, int partition, DateTimeOffset started)
{
    private long _segmentsDone;
    private long _segmentsLeft;
    private long _bytesDone;
    private long _bytesLeft;
    private long _rows;
    private long _filesExpired;
    private long _finishedTicks = -1;
    private string? _lastError;

    public string Stream { get; } = stream;
    public int Partition { get; } = partition;
    public DateTimeOffset Started { get; } = started;
    public DateTimeOffset? Finished =>
        Volatile.Read(ref _finishedTicks) is var ticks and >= 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public string? LastError => Volatile.Read(ref _lastError);

    public long SegmentsDone => Volatile.Read(ref _segmentsDone);
    public long SegmentsLeft => Volatile.Read(ref _segmentsLeft);
    public long BytesDone => Volatile.Read(ref _bytesDone);
    public long BytesLeft => Volatile.Read(ref _bytesLeft);
    public long Rows => Volatile.Read(ref _rows);

    /// <summary>Cold files removed by total retention in this run.</summary>
    public long FilesExpired => Volatile.Read(ref _filesExpired);

    /// <summary>Rows archived per second of wall time so far.</summary>
    public double RowsPerSecond(DateTimeOffset now)
    {
        var seconds = ((Finished ?? now) - Started).TotalSeconds;
        return seconds > 0 ? Rows / seconds : 0;
    }

    internal void Plan(long segments, long bytes)
    {
        Volatile.Write(ref _segmentsLeft, segments);
        Volatile.Write(ref _bytesLeft, bytes);
    }

    internal void SegmentDone(long bytes, long rows)
    {
        Interlocked.Increment(ref _segmentsDone);
        Interlocked.Decrement(ref _segmentsLeft);
        Interlocked.Add(ref _bytesDone, bytes);
        Interlocked.Add(ref _bytesLeft, -bytes);
        Interlocked.Add(ref _rows, rows);
    }

    /// <summary>Marks the run finished, with its error (null when it succeeded).</summary>
    public void Finish(DateTimeOffset finished, string? error)
    {
        Volatile.Write(ref _lastError, error);
        Volatile.Write(ref _finishedTicks, finished.UtcTicks);
    }

    /// <summary>Counts cold files that total retention removed.</summary>
    public void AddExpiredFiles(int files) => Interlocked.Add(ref _filesExpired, files);
}
