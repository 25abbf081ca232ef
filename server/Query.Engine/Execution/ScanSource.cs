using Query.Engine.Planning;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

/// <summary>
/// Walks a <see cref="ScanPlan"/>: one reader per offset range, opened on the partition's source (which skips
/// what retention removed since planning), records loaded into a reusable
/// <see cref="RecordCursor"/>, the compiled WHERE applied before anything else is decoded.
/// </summary>
public sealed class ScanSource : IDisposable
{
    private readonly ScanPlan _plan;
    private readonly Func<RecordCursor, bool>? _filter;
    private readonly ScanStatistics _statistics;
    private int _partitionIndex;
    private int _rangeIndex = -1;
    private IRecordReader? _reader;
    private int _partition;

    public ScanSource(ScanPlan plan, Func<RecordCursor, bool>? filter, ScanStatistics statistics)
    {
        _plan = plan;
        _filter = filter;
        _statistics = statistics;
        Cursor = plan.Stream.CreateCursor();
        statistics.PartitionsScanned = plan.Partitions.Count;
    }

    public RecordCursor Cursor { get; }

    /// <summary>
    /// Checked before every record read, matching or not (one field read), so a filter that rejects millions of
    /// rows, or spends milliseconds on each, still answers a cancel at once.
    /// </summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Advances to the next record that passes the filter; false when the plan is exhausted.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            if (_reader is null && !OpenNextRange())
                return false;
            if (!_reader!.TryRead(out var record))
            {
                CloseReader();
                continue;
            }
            _statistics.RecordsScanned++;
            if (CancellationToken.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            if (!Cursor.Load(record.Key, record.HasKey, record.Value, record.Offset, record.TimestampMs, _partition))
                continue;
            if (_filter is null || _filter(Cursor))
                return true;
        }
    }

    private bool OpenNextRange()
    {
        while (_partitionIndex < _plan.Partitions.Count)
        {
            var partition = _plan.Partitions[_partitionIndex];
            if (++_rangeIndex < partition.Ranges.Count)
            {
                var (start, end) = partition.Ranges[_rangeIndex];
                _partition = partition.Partition;
                _reader = _plan.Stream.Sources[partition.Partition].OpenReader(start, end, partition.MinTimestampMs,
                    partition.MaxTimestampMs);
                return true;
            }
            _partitionIndex++;
            _rangeIndex = -1;
        }
        return false;
    }

    private void CloseReader()
    {
        if (_reader is null)
            return;
        _statistics.Add(_reader.Statistics);
        _reader.Dispose();
        _reader = null;
    }

    public void Dispose() => CloseReader();
}
