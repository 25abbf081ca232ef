using System.Runtime.CompilerServices;
using Query.Engine.Execution.Operators;
using Query.Engine.Planning;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

/// <summary>
/// Walks a <see cref="ScanPlan"/>: one reader per offset range, opened on the partition's source (which skips
/// what retention removed since planning), records copied batch by batch into a <see cref="RecordBatch"/>
/// (undecoded: the filter above decides what gets decoded). With a <see cref="ScanCache"/>, a range of the hot
/// log without a time window is read chunk by chunk instead: a kept chunk is handed up as a read-only view (no
/// storage read, no copy), and a missing one is read from the log, kept and handed up the same way
/// (ScanSource.Chunks.cs).
/// <para>The methods a scan runs per record (here, in the record cursor and batch, the prefilter, LIKE, and the
/// log reader and CRC below) are compiled optimized at once (<c>AggressiveOptimization</c>), as COPY's are: left to
/// tiered compilation, a fresh server's first scans ran them unoptimized and then instrumented (dynamic PGO) for
/// their first several queries, at 4-5x the steady time (bench engine-scan-cold).</para>
/// </summary>
public sealed partial class ScanSource : IDisposable
{
    private readonly ScanPlan _plan;
    private readonly ScanStatistics _statistics;
    private int _partitionIndex;
    private int _rangeIndex = -1;
    private IRecordReader? _reader;
    private int _partition;
    private long _position;            // the next offset of the current range not yet handed to a reader or a chunk
    private long _rangeEnd;
    private long _minTimestampMs;
    private long _maxTimestampMs;

    public ScanSource(ScanPlan plan, ScanStatistics statistics, ScanCache? cache = null)
    {
        _plan = plan;
        _statistics = statistics;
        _cache = cache is { Enabled: true } ? cache : null;
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

    /// <summary>
    /// The next records: the batch <paramref name="own"/> gives (made when first needed: a scan answered from kept
    /// chunks, or with nothing to read, never makes it) refilled from the log, or a view of a kept chunk through
    /// <paramref name="cursor"/> (valid until the next call); null when the plan is exhausted.
    /// </summary>
    public RecordBatch? Next(RecordCursor cursor, Func<RecordBatch> own)
    {
        while (true)
        {
            if (_columnReader is not null)
            {
                var columns = own();
                if (FillColumns(columns))
                    return columns;
                continue;
            }
            if (_reader is not null)
            {
                var batch = own();
                if (Fill(batch))
                    return batch;
                continue;
            }
            if (_position >= _rangeEnd)
            {
                if (!NextRange())
                    return null;
                continue;
            }
            if (_hot is null)
            {
                OpenReader(_rangeEnd);
                continue;
            }
            if (NextChunk(cursor) is { } view)
                return view;
        }
    }

    /// <summary>Refills <paramref name="batch"/> from the open reader; true when it holds records. The reader is
    /// closed when it ends.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Fill(RecordBatch batch)
    {
        batch.Clear();
        while (!batch.IsFull)
        {
            if (!_reader!.TryRead(out var record))
            {
                CloseReader();
                break;
            }
            _statistics.RecordsScanned++;
            if (CancellationToken.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            if (record.ValueIsNull)
                continue;   // a tombstone (a table's delete) is no row of a stream over the same log
            // Outside the ROWTIME window: not copied nor admitted. The log's record time is the row time written
            // (from the TIMESTAMP column when the stream has one), which the reader already skips batches by.
            if (record.TimestampMs < _minTimestampMs || record.TimestampMs > _maxTimestampMs)
                continue;
            if (batch.Add(record.Key, record.HasKey, record.Value, record.Offset, record.TimestampMs, _partition,
                    record.RawHeaders, record.HeaderCount) && Predicate is { } predicate && !predicate(batch.Cursor))
                batch.RemoveLast();
        }
        return batch.RecordCount > 0;
    }

    private bool NextRange()
    {
        _pending.Clear();
        CloseColumnReader();
        CloseChunkReader();
        while (_partitionIndex < _plan.Partitions.Count)
        {
            var partition = _plan.Partitions[_partitionIndex];
            if (++_rangeIndex < partition.Ranges.Count)
            {
                (_position, _rangeEnd) = partition.Ranges[_rangeIndex];
                _partition = partition.Partition;
                _minTimestampMs = partition.MinTimestampMs;
                _maxTimestampMs = partition.MaxTimestampMs;
                _hot = CachedSource(partition);
                return true;
            }
            _partitionIndex++;
            _rangeIndex = -1;
        }
        return false;
    }

    // Reads [_position, end) of the current range: by column where the source can (ScanSource.Columns.cs), else
    // as records.
    private void OpenReader(long end)
    {
        var source = _plan.Stream.Sources[_partition];
        if (OpenColumnReader(source, end))
        {
            _position = end;
            return;
        }
        OpenRecordReader(source, end);
    }

    private void OpenRecordReader(IPartitionSource source, long end)
    {
        _reader = source is IFilteringPartitionSource filtering && _plan.Filter.Count > 0
            ? filtering.OpenReader(_position, end, _minTimestampMs, _maxTimestampMs, _plan.Columns, _plan.Filter)
            : source is IProjectingPartitionSource projecting && _plan.Columns is { } columns
            ? projecting.OpenReader(_position, end, _minTimestampMs, _maxTimestampMs, columns)
            : source.OpenReader(_position, end, _minTimestampMs, _maxTimestampMs);
        _position = end;
    }

    private void CloseReader()
    {
        if (_reader is null)
            return;
        _statistics.Add(_reader.Statistics);
        _reader.Dispose();
        _reader = null;
    }

    public void Dispose()
    {
        CloseColumnReader();
        CloseReader();
        CloseChunkReader();
    }
}
