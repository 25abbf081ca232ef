using Query.Engine.Errors;
using Query.Engine.Planning;
using Query.Storage;
using Query.Storage.Reading;

namespace Query.Engine.Execution.Operators;

/// <summary>Where a push query starts (and, with a ROWOFFSET upper bound, stops) in one partition.</summary>
public sealed record PushStart(int Partition, long StartOffset, long EndOffsetExclusive, long MinTimestampMs,
    long MaxTimestampMs);

/// <summary>
/// The scan of a push query (EMIT CHANGES): a lightweight tail of the log, not a thread or a copy of the data.
/// Each call fills a batch with what the partition sources hold now, round robin; when every partition is at its
/// live end it awaits the sources' data signal. The consumer's pace drives the reads, so a slow consumer only
/// falls behind in the log (bounded memory, writers never wait), and an idle query holds no read buffer: its
/// reader is closed at the live end and reopened at the saved offset. Replay and live reading are the same loop over
/// offsets, so the seam has no gap and no duplicate.
/// </summary>
public sealed class TailScanOperator : RecordOperator
{
    private readonly StreamRuntime _stream;
    private readonly PartitionState[] _partitions;
    private readonly ScanStatistics _statistics;
    private readonly RecordBatch _batch;
    private readonly ContinuousQueryHooks? _hooks;
    private readonly TableChangeTracker? _tableRows;
    private TombstoneRows? _tombstones;
    private readonly int _partitionIdBase;
    private readonly IReadOnlySet<int>? _columns;
    private readonly IReadOnlyList<ColumnPredicate>? _filter;
    private int _current;
    private bool _caughtUpSignalled;

    private sealed class PartitionState(PushStart start, IPartitionSource source)
    {
        public PushStart Start { get; } = start;
        public IPartitionSource Source { get; } = source;
        public long NextOffset { get; set; } = start.StartOffset;
        public IRecordReader? Reader { get; set; }
        public bool Done => NextOffset >= Start.EndOffsetExclusive;
    }

    /// <param name="stream">The stream or table to tail.</param>
    /// <param name="starts">Where each partition starts.</param>
    /// <param name="statistics">Where reads are counted.</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="hooks">A persistent query's resume offsets and commit hook.</param>
    /// <param name="tableRows">For an aggregate over a table: the current row per key, so that each update or
    /// delete first retracts the key's previous row (<see cref="RecordBatch.AddRetraction"/>).</param>
    /// <param name="partitionIdBase">Added to each partition number in <see cref="Positions"/> and the resume
    /// offsets, so that a query reading two streams (a stream-stream join) keeps both in one checkpoint.</param>
    /// <param name="columns">The stream columns the query reads (null: all): a source that stores columns apart
    /// (cold files) reads only those, as a pull query's scan does; other columns come back NULL.</param>
    /// <param name="filter">Column predicates the WHERE above this scan implies (a stream's, not a table's): such a
    /// source skips parts and rows that fail them, as for a pull query.</param>
    public TailScanOperator(StreamRuntime stream, IReadOnlyList<PushStart> starts, ScanStatistics statistics,
        BatchLimits limits, ContinuousQueryHooks? hooks = null, TableChangeTracker? tableRows = null,
        int partitionIdBase = 0, IReadOnlySet<int>? columns = null, IReadOnlyList<ColumnPredicate>? filter = null)
    {
        _columns = columns;
        // Rows a filtering source leaves out are rows the WHERE drops; a query passing on null values or reading a
        // table's changes must see every record.
        _filter = filter is { Count: > 0 } && tableRows is null && hooks?.NullValueRows != true
            && !stream.Definition.IsTable ? filter : null;
        _stream = stream;
        _hooks = hooks;
        _tableRows = tableRows;
        _partitionIdBase = partitionIdBase;
        if (hooks?.ResumeOffsets is { } resume)
            starts = Resume(starts, resume, partitionIdBase);
        _statistics = statistics;
        // A change of a table row takes two records (the retraction and the new row): room for a pair per row.
        _batch = new RecordBatch(tableRows is null ? limits.Rows : limits.Rows * 2, limits.Bytes,
            stream.CreateCursor());
        _partitions = new PartitionState[starts.Count];
        for (var i = 0; i < starts.Count; i++)
            _partitions[i] = new PartitionState(starts[i], stream.Sources[starts[i].Partition]);
        statistics.PartitionsScanned = starts.Count;
        if (hooks is not null)
        {
            hooks.AddScan(this);
            hooks.TableChanges = tableRows;
        }
    }

    /// <summary>The stream this scan reads.</summary>
    public StreamRuntime Stream => _stream;

    /// <summary>
    /// Each scanned partition with the offset of the next record to read: every record below it has been handed
    /// to the operators above (a persistent query commits these as its consumed offsets).
    /// </summary>
    public List<(int Partition, long NextOffset)> Positions()
    {
        var positions = new List<(int, long)>(_partitions.Length);
        foreach (var state in _partitions)
            positions.Add((state.Start.Partition + _partitionIdBase, state.NextOffset));
        return positions;
    }

    private static List<PushStart> Resume(IReadOnlyList<PushStart> starts, IReadOnlyDictionary<int, long> resume,
        int partitionIdBase)
    {
        var resumed = new List<PushStart>(starts.Count);
        foreach (var start in starts)
            resumed.Add(resume.TryGetValue(start.Partition + partitionIdBase, out var offset)
                ? start with { StartOffset = offset } : start);
        return resumed;
    }

    public override async ValueTask<RecordBatch?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            if (ReadAvailable() is not { } batch)
                return null;
            if (batch.RecordCount > 0)
            {
                _caughtUpSignalled = false;
                return batch;
            }
            if (_hooks?.EmitDue is not null && !_caughtUpSignalled)
            {
                _caughtUpSignalled = true;
                return _batch;   // empty: caught up (see ContinuousQueryHooks.EmitDue)
            }
            if (_hooks?.BeforeWait is { } beforeWait)
                await beforeWait(cancellationToken);
            await WaitForDataAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Reads what the partitions hold now, round robin, without waiting: a batch (empty when every partition still
    /// open is at its live end), or null when every partition has reached its end. The batch is overwritten by the
    /// next read.
    /// </summary>
    public RecordBatch? ReadAvailable()
    {
        _batch.Clear();
        var anyOpen = false;
        for (var n = 0; n < _partitions.Length && !_batch.IsFull; n++)
        {
            var state = _partitions[_current];
            _current = (_current + 1) % _partitions.Length;
            if (state.Done)
                continue;
            anyOpen = true;
            ReadAvailable(state);
        }
        return anyOpen || _batch.RecordCount > 0 ? _batch : null;
    }

    /// <summary>Adds what the partition holds now to the batch, until the batch is full.</summary>
    private void ReadAvailable(PartitionState state)
    {
        var reader = state.Reader ??= OpenReader(state, _columns, _filter);
        while (HasRoom())
        {
            if (!reader.TryRead(out var record))
            {
                state.NextOffset = Math.Max(state.NextOffset, reader.NextOffset);
                _statistics.Add(reader.Statistics);
                reader.Dispose();
                state.Reader = null;
                return;
            }
            state.NextOffset = record.Offset + 1;
            _statistics.RecordsScanned++;
            if (_tableRows is not null)
            {
                AddTableChange(record, state.Start.Partition);
                continue;
            }
            if (record.ValueIsNull)
            {
                AddDelete(record, state.Start.Partition);
                continue;
            }
            // A table's record without a key addresses no row: the table ignores it, and so does its stream of
            // changes (ksqlDB drops it as invalid).
            if (!record.HasKey && _stream.Definition.IsTable)
                continue;
            _batch.Add(record.Key, record.HasKey, record.Value, record.Offset, record.TimestampMs,
                state.Start.Partition, record.RawHeaders, record.HeaderCount);
        }
    }

    /// <summary>
    /// A table's tombstone is streamed as its key with NULL values (<see cref="TombstoneRows"/>); in a stream a
    /// record without a value has no row, unless a persistent query passes it on
    /// (<see cref="ContinuousQueryHooks.NullValueRows"/>).
    /// </summary>
    private void AddDelete(in LogRecord record, int partition)
    {
        var nullValueRows = _hooks?.NullValueRows == true;
        if (nullValueRows && !_stream.Definition.IsTable)
        {
            _batch.AddNullValue(record.Key, record.HasKey, record.Offset, record.TimestampMs, partition);
            return;
        }
        if (!record.HasKey || !_stream.Definition.IsTable)
            return;
        _tombstones ??= new TombstoneRows(_stream);
        if (_tombstones.TryEncode(record.Key, out var value)
            && _batch.Add(record.Key, true, value, record.Offset, record.TimestampMs, partition) && nullValueRows)
            _batch.MarkNullValue(_batch.Count - 1);
    }

    private bool HasRoom() => _tableRows is null ? !_batch.IsFull
        : !_batch.IsFull && _batch.RecordCount + 2 <= _batch.Capacity;

    /// <summary>
    /// One record of a table's changelog for an aggregate: the key's previous row is retracted, then the new row
    /// added (a tombstone adds nothing). A record without a key addresses no row and is ignored, as the table's
    /// state ignores it; a new row that does not decode leaves the key without a row, as a pull query sees it.
    /// </summary>
    private void AddTableChange(in LogRecord record, int partition)
    {
        if (!record.HasKey)
            return;
        var tracker = _tableRows!;
        if (tracker.TryGetRow(record.Key, out var oldTime, out var oldOffset, out var oldPartition, out var old))
            _batch.AddRetraction(record.Key, old, oldOffset, oldTime, oldPartition, record.TimestampMs);
        if (!record.ValueIsNull && _batch.Add(record.Key, true, record.Value, record.Offset, record.TimestampMs,
                partition, record.RawHeaders, record.HeaderCount))
            tracker.Set(record.Key, record.TimestampMs, record.Offset, partition, record.Value);
        else
            tracker.Remove(record.Key);
    }

    private static IRecordReader OpenReader(PartitionState state, IReadOnlySet<int>? columns,
        IReadOnlyList<ColumnPredicate>? filter)
    {
        // A consumer slower than retention loses the deleted records: the source moves the reader on to what
        // remains (and counts what it skipped), so the saved position follows the reader.
        var start = state.Start;
        var reader = state.Source is IFilteringPartitionSource filtering && filter is not null
            ? filtering.OpenReader(state.NextOffset, start.EndOffsetExclusive, start.MinTimestampMs,
                start.MaxTimestampMs, columns, filter)
            : state.Source is IProjectingPartitionSource projecting && columns is not null
            ? projecting.OpenReader(state.NextOffset, start.EndOffsetExclusive, start.MinTimestampMs,
                start.MaxTimestampMs, columns)
            : state.Source.OpenReader(state.NextOffset, start.EndOffsetExclusive, start.MinTimestampMs,
                start.MaxTimestampMs);
        state.NextOffset = reader.NextOffset;
        return reader;
    }

    /// <summary>Waits until a partition that is still open has a record past where this scan stands.</summary>
    public async ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_partitions.Length == 1)
            {
                await _partitions[0].Source.WaitForDataAsync(_partitions[0].NextOffset, cancellationToken);
                return;
            }
            using var any = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waits = new List<Task>(_partitions.Length);
            foreach (var state in _partitions)
            {
                if (!state.Done)
                    waits.Add(state.Source.WaitForDataAsync(state.NextOffset, any.Token).AsTask());
            }
            var first = await Task.WhenAny(waits);
            await any.CancelAsync();
            await first;
        }
        catch (OperationCanceledException)
        {
            throw SqlException.Canceled();
        }
        catch (LogDeletedException)
        {
            throw new SqlException(SqlState.UndefinedTable,
                $"stream \"{_stream.Definition.Name}\" was dropped while the push query ran");
        }
    }

    private void CloseReaders()
    {
        foreach (var state in _partitions)
        {
            if (state.Reader is null)
                continue;
            _statistics.Add(state.Reader.Statistics);
            state.Reader.Dispose();
            state.Reader = null;
        }
    }

    public override void Dispose()
    {
        CloseReaders();
        base.Dispose();
    }

    /// <summary>
    /// Start offsets per partition: a lower bound on ROWOFFSET or ROWTIME in WHERE replays from there (offsets
    /// that retention removed are skipped by the source when read); otherwise 'earliest' starts at the source's
    /// start and 'latest' (the default) at its last stable offset. An upper bound on ROWOFFSET ends the partition
    /// there.
    /// </summary>
    public static List<PushStart> PlanStarts(StreamRuntime stream, Binding.BoundExpr? where, bool earliest)
    {
        var starts = new List<PushStart>();
        for (var p = 0; p < stream.Sources.Count; p++)
        {
            var region = PushdownAnalyzer.Analyze(where, p);
            if (region.IsEmpty)
                continue;
            var source = stream.Sources[p];
            var (minTs, maxTs) = ScanPlan.TimeWindow(region);
            var offsetMin = region.Offsets.Min;
            long start;
            if (offsetMin != long.MinValue || minTs != long.MinValue)
            {
                start = Math.Max(offsetMin, 0);                 // offsets are never negative
                if (minTs != long.MinValue)
                    start = Math.Max(start, source.FindOffsetForTimestamp(minTs));
            }
            else
            {
                start = earliest ? source.StartOffset : source.LastStableOffset;
            }
            var end = region.Offsets.Max == long.MaxValue ? long.MaxValue : region.Offsets.Max + 1;
            starts.Add(new PushStart(p, start, end, minTs, maxTs));
        }
        return starts;
    }
}
