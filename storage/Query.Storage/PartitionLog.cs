using System.Runtime.CompilerServices;
using Query.Storage.Commit;
using Query.Storage.Journal;
using Query.Storage.Log;
using Query.Storage.Transactions;

namespace Query.Storage;

/// <summary>
/// One partition: a chain of segments, the last of which takes appends. One <see cref="PartitionWriter"/>
/// appends (group commit); readers share the segment files without locks, seeing only published batches.
/// <para>Concurrency: <see cref="EndOffset"/> and each segment's size are published with volatile writes
/// after the bytes are written (and fsynced, under Sync durability); the segment list is an immutable array
/// replaced under a lock by roll, retention and <see cref="DeleteSegmentsBefore"/>.</para>
/// </summary>
public sealed partial class PartitionLog
{
    private const int Open = 0, Closing = 1, Deleted = 2;

    private readonly object _segmentsLock = new();
    private readonly PartitionWriter _writer;
    private Segment[] _segments;
    private long _endOffset;
    private TaskCompletionSource _dataSignal = NewSignal();
    private int _waiterRegistered;
    private volatile Exception? _failure;
    private volatile int _state;

    internal PartitionLog(string logName, int partition, string directory, LogOptions options, TimeProvider time,
        Segment[] segments, TransactionCoordinator coordinator, StoreJournal? journal = null,
        bool appenderWritesIdlePartition = false)
    {
        AppenderWritesIdlePartition = appenderWritesIdlePartition;
        LogName = logName;
        Coordinator = coordinator;
        Journal = journal;
        Partition = partition;
        Directory = directory;
        Options = options;
        Time = time;
        _segments = segments;
        _endOffset = segments[^1].EndOffset;
        _writer = new PartitionWriter(this);
    }

    public int Partition { get; }

    /// <summary>First readable offset: the base offset of the oldest segment.</summary>
    public long StartOffset => Volatile.Read(ref _segments)[0].BaseOffset;

    /// <summary>Next offset to assign: one past the last acknowledged, visible record.</summary>
    public long EndOffset => Volatile.Read(ref _endOffset);

    internal string LogName { get; }

    /// <summary>See <see cref="LogStoreOptions.AppenderWritesIdlePartition"/>.</summary>
    internal bool AppenderWritesIdlePartition { get; }
    internal TransactionCoordinator Coordinator { get; }

    /// <summary>The store's shared journal when this log's durable appends go through it (durability Sync).</summary>
    internal StoreJournal? Journal { get; }
    internal string Directory { get; }
    internal LogOptions Options { get; }
    internal TimeProvider Time { get; }
    internal Segment[] Segments => Volatile.Read(ref _segments);
    internal Segment ActiveSegment => Volatile.Read(ref _segments)[^1];
    internal bool IsDeleted => _state == Deleted;
    internal bool HasFailed => _failure is not null;

    /// <summary>Durable writes the writer waited for so far: fsyncs of segment data, or journal writes carrying
    /// a group of this partition (tests and benchmarks watch group commit with it).</summary>
    internal long SyncCount => _writer.SyncCount;

    /// <summary>Groups written by one of their appenders itself, and by the writer's loop (tests watch the write
    /// path with them).</summary>
    internal (long LedGroups, long LoopGroups) LeaderCounts => (_writer.LedGroupCount, _writer.LoopGroupCount);

    /// <summary>Test hook run before each data write: throw an IOException to simulate a full disk.</summary>
    internal Action<string, long, int>? WriteFault { get; set; }

    /// <summary>
    /// Appends the batch and completes once it is durable per the log's durability mode. The builder must not
    /// change until then. Throws <see cref="RecordTooLargeException"/>, <see cref="LogDeletedException"/>,
    /// <see cref="StorageFullException"/>, or <see cref="OperationCanceledException"/> (only before anything
    /// was written).
    /// </summary>
    public ValueTask<AppendResult> AppendAsync(RecordBatchBuilder batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
            throw new ArgumentException("cannot append an empty batch", nameof(batch));
        if (_state != Open || _failure is not null)
            throw ClosedException();
        if (batch.MaxRecordSizeBytes > Options.MaxRecordBytes)
            throw new RecordTooLargeException(batch.MaxRecordSizeBytes, Options.MaxRecordBytes);
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = batch.Seal(NowMs());
        return _writer.EnqueueAsync(bytes, batch.Count, cancellationToken);
    }

    /// <summary>Appends a one-partition transaction's batches as one group-committed write (see
    /// <see cref="LogTransaction"/>).</summary>
    internal ValueTask<AppendResult> AppendShareAsync(TransactionShare share)
    {
        if (_state != Open || _failure is not null)
            throw ClosedException();
        return _writer.EnqueueShareAsync(share);
    }

    /// <summary>Hands a multi-partition transaction's share to the writer, which prepares it and waits for the
    /// coordinator's decision. A closed partition fails the share's preparation.</summary>
    internal void EnqueuePending(TransactionShare share)
    {
        if (_state != Open || _failure is not null)
            share.FailPrepare(ClosedException());
        else
            _writer.EnqueuePending(share);
    }

    /// <summary>
    /// Reads [startOffset, endOffsetExclusive), skipping segments and batches whose timestamp range cannot
    /// overlap [minTimestampMs, maxTimestampMs]; records inside a batch that is read are not filtered.
    /// </summary>
    public LogReader OpenReader(long startOffset, long endOffsetExclusive = long.MaxValue,
        long minTimestampMs = long.MinValue, long maxTimestampMs = long.MaxValue)
    {
        ThrowIfDeleted();
        var start = StartOffset;
        if (startOffset < start)
            throw new OffsetOutOfRangeException(startOffset, start, EndOffset);
        return new LogReader(this, startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs);
    }

    /// <summary>Completes once <see cref="EndOffset"/> is greater than <paramref name="offset"/>.</summary>
    public ValueTask WaitForDataAsync(long offset, CancellationToken cancellationToken)
    {
        if (EndOffset > offset)
            return default;
        ThrowIfDeleted();
        return WaitSlowAsync(offset, cancellationToken);
    }

    /// <summary>
    /// The first offset whose record timestamp is at or after <paramref name="timestampMs"/>, or
    /// <see cref="EndOffset"/> when there is none. Correct for non-monotonic timestamps.
    /// </summary>
    public long FindOffsetForTimestamp(long timestampMs)
    {
        ThrowIfDeleted();
        foreach (var segment in Segments)
        {
            if (segment.MaxTimestampMs < timestampMs || !segment.TryAcquire())
                continue;
            try
            {
                var offset = TimestampSearch.Find(segment, timestampMs);
                if (offset >= 0)
                    return offset;
            }
            finally
            {
                segment.Release();
            }
        }
        return EndOffset;
    }

    public IReadOnlyList<SegmentInfo> GetSegments()
    {
        var segments = Segments;
        var infos = new SegmentInfo[segments.Length];
        for (var i = 0; i < segments.Length; i++)
            infos[i] = segments[i].ToInfo();
        return infos;
    }

    internal long NowMs() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    internal void BeforeWrite(Segment segment, long filePosition, int byteCount) =>
        WriteFault?.Invoke(segment.LogPath, filePosition, byteCount);

    internal void BeforeWrite(string path, long filePosition, int byteCount) =>
        WriteFault?.Invoke(path, filePosition, byteCount);

    internal bool IsClosedForWrites(out Exception exception)
    {
        var closed = _state == Deleted || _failure is not null;
        exception = closed ? ClosedException() : null!;
        return closed;
    }

    internal Exception ClosedException() => _failure is { } failure && _state != Deleted
        ? new StorageException($"partition {Partition} of log \"{LogName}\" failed and takes no appends until the " +
            $"store is reopened: {failure.Message}", failure)
        : new LogDeletedException(LogName);

    internal void Fail(Exception exception)
    {
        _failure ??= exception;
        WakeWaiters();
    }

    /// <summary>Called by the writer after a segment published new batches.</summary>
    internal void OnPublished(long endOffset)
    {
        Volatile.Write(ref _endOffset, endOffset);
        // Interlocked is a full fence: a waiter that registered before this read sees the new end offset.
        if (Interlocked.Exchange(ref _waiterRegistered, 0) != 0)
            WakeWaiters();
        PersistSegmentAgeIfStarted();
    }

    private void WakeWaiters() => Interlocked.Exchange(ref _dataSignal, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One shared signal per partition: waiters allocate nothing of their own beyond the pooled state machine
    // (and WaitAsync's registration when the token can cancel).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitSlowAsync(long offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _dataSignal);
            Interlocked.Exchange(ref _waiterRegistered, 1);
            if (EndOffset > offset)
                return;
            ThrowIfDeleted();
            if (_failure is not null)
                throw ClosedException();
            if (cancellationToken.CanBeCanceled)
                await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            else
                await signal.Task.ConfigureAwait(false);
        }
    }

    internal void ThrowIfDeleted()
    {
        if (_state != Open)
            throw new LogDeletedException(LogName);
    }

    /// <summary>Stops the writer after it drains; on a clean close syncs and checkpoints, then closes files.</summary>
    internal async Task CloseAsync(bool delete)
    {
        if (Interlocked.CompareExchange(ref _state, delete ? Deleted : Closing, Open) != Open)
            return;
        await _writer.StopAsync().ConfigureAwait(false);
        WakeWaiters();
        CompleteSealedWatches(delete);
        lock (_segmentsLock)
        {
            if (!delete && _failure is null)
                WriteCheckpoint();
            foreach (var segment in _segments)
                segment.Close();
        }
    }
}
