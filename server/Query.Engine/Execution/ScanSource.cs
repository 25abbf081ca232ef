using Query.Engine.Execution.Operators;
using Query.Engine.Planning;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

/// <summary>
/// Walks a <see cref="ScanPlan"/>: one reader per offset range, opened on the partition's source (which skips
/// what retention removed since planning), records copied batch by batch into a <see cref="RecordBatch"/>
/// (undecoded: the filter above decides what gets decoded).
/// </summary>
public sealed class ScanSource : IDisposable
{
    private readonly ScanPlan _plan;
    private readonly ScanStatistics _statistics;
    private int _partitionIndex;
    private int _rangeIndex = -1;
    private IRecordReader? _reader;
    private int _partition;

    public ScanSource(ScanPlan plan, ScanStatistics statistics)
    {
        _plan = plan;
        _statistics = statistics;
        statistics.PartitionsScanned = plan.Partitions.Count;
    }

    /// <summary>
    /// Checked before every record read (one field read), so a scan over millions of rows answers a cancel at once.
    /// </summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// A WHERE predicate evaluated on each record as it is added, while its bytes are still in the cache: a record
    /// it refuses is taken back out at once, so batches carry only kept records and nothing is positioned twice.
    /// Null: every record is kept.
    /// </summary>
    public Func<RecordCursor, bool>? Predicate { get; init; }

    /// <summary>Refills <paramref name="batch"/> with the next records; false when the plan is exhausted.</summary>
    public bool Fill(RecordBatch batch)
    {
        batch.Clear();
        while (!batch.IsFull)
        {
            if (_reader is null && !OpenNextRange())
                break;
            if (!_reader!.TryRead(out var record))
            {
                CloseReader();
                continue;
            }
            _statistics.RecordsScanned++;
            if (CancellationToken.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            if (record.ValueIsNull)
                continue;   // a tombstone (a table's delete) is no row of a stream over the same log
            if (batch.Add(record.Key, record.HasKey, record.Value, record.Offset, record.TimestampMs, _partition,
                    record.RawHeaders, record.HeaderCount) && Predicate is { } predicate && !predicate(batch.Cursor))
                batch.RemoveLast();
        }
        return batch.RecordCount > 0;
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
                var source = _plan.Stream.Sources[partition.Partition];
                _reader = source is IFilteringPartitionSource filtering && _plan.Filter.Count > 0
                    ? filtering.OpenReader(start, end, partition.MinTimestampMs, partition.MaxTimestampMs,
                        _plan.Columns, _plan.Filter)
                    : source is IProjectingPartitionSource projecting && _plan.Columns is { } columns
                    ? projecting.OpenReader(start, end, partition.MinTimestampMs, partition.MaxTimestampMs, columns)
                    : source.OpenReader(start, end, partition.MinTimestampMs, partition.MaxTimestampMs);
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
