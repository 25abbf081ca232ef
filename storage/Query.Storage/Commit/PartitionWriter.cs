using System.Buffers;
using Query.Storage.Format;
using Query.Storage.Journal;
using Query.Storage.Log;
using Query.Storage.Transactions;

namespace Query.Storage.Commit;

/// <summary>
/// The single writer of one partition (group commit). Appenders enqueue sealed batches; whoever holds the
/// partition (see PartitionWriter.Drive.cs: an appender writing its own group, or a loop on the thread pool) takes
/// everything queued, assigns offsets, writes the whole group with one write per segment touched, makes it
/// durable once (Sync durability), then publishes the new end offset and acknowledges every appender.
/// <para>Fault model: a write that fails because the disk is full is undone (the file is cut back to the
/// last published size) and fails only the group, with <see cref="StorageFullException"/>; any other write
/// or fsync failure also fails the partition, since what reached the disk is then unknown. Reopening the
/// store recovers it from the files.</para>
/// </summary>
internal sealed partial class PartitionWriter
{
    private const int MaxGroupRequests = 1024;
    private const int MaxGroupBytes = 8 << 20;

    private readonly PartitionLog _partition;
    private readonly StoreJournal? _journal;
    private readonly byte[] _journalName;
    private readonly AppendRequest[] _group = new AppendRequest[MaxGroupRequests];
    private readonly Stack<AppendRequest> _pool = new();
    private readonly AppendRequest _flushTick = new(null);
    private readonly JournalWaiter _journalWait = new();
    private readonly ITimer? _flushTimer;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private int _settled;     // group[.._settled] are completed: never touch them again (they are pooled)
    private bool _dirty;
    private long _lastSyncMs;
    private AwaitedCommit? _awaited;    // the loop's group, written, waits for a journal write led by another

    public PartitionWriter(PartitionLog partition)
    {
        _partition = partition;
        _journal = partition.Journal;
        _journalName = _journal is null ? [] : System.Text.Encoding.UTF8.GetBytes(partition.LogName);
        _lastSyncMs = partition.NowMs();
        if (partition.Options.Durability == DurabilityMode.Interval)
        {
            var interval = partition.Options.FlushInterval;
            _flushTimer = partition.Time.CreateTimer(static state => ((PartitionWriter)state!).PostFlushTick(),
                this, interval, interval);
        }
    }

    public long SyncCount { get; private set; }

    public ValueTask<AppendResult> EnqueueAsync(ReadOnlyMemory<byte> batch, int recordCount,
        CancellationToken cancellation)
    {
        var request = Rent();
        request.Batch = batch;
        request.RecordCount = recordCount;
        request.Cancellation = cancellation;
        return Append(request);
    }

    /// <summary>Queues a staged append for adoption, in order with the batches queued around it.</summary>
    public ValueTask<AppendResult> EnqueueStagedAsync(StagedAppend staged, CancellationToken cancellation)
    {
        var request = Rent();
        request.Staged = staged;
        request.Cancellation = cancellation;
        var task = request.AsValueTask();
        Submit(request, mayLead: false);
        return task;
    }

    /// <summary>Queues a one-partition transaction's batches, written in one piece in order with the others.</summary>
    public ValueTask<AppendResult> EnqueueShareAsync(TransactionShare share)
    {
        var request = Rent();
        request.Share = share;
        request.RecordCount = checked((int)share.RecordCount);
        return Append(request);
    }

    /// <summary>Queues a multi-partition transaction's share: prepared, then held until the decision.</summary>
    public void EnqueuePending(TransactionShare share)
    {
        var request = new AppendRequest(null) { Share = share };
        if (Submit(request, mayLead: false, failClosed: false) == Submitted.Refused)
            share.FailPrepare(_partition.ClosedException());
    }

    internal void Return(AppendRequest request)
    {
        lock (_pool)
        {
            if (_pool.Count < 256)
                _pool.Push(request);
        }
    }

    private AppendRequest Rent()
    {
        lock (_pool)
        {
            if (_pool.TryPop(out var request))
                return request;
        }
        return new AppendRequest(this);
    }

    private void PostFlushTick() => Submit(_flushTick, mayLead: false, failClosed: false);

    /// <summary>Writes and acknowledges a group; returns true when, with <paramref name="mayAwait"/>, its last part
    /// waits for a journal write led by another writer: <see cref="FinishAwaited"/> once it is done.</summary>
    private bool ProcessGroup(Span<AppendRequest> group, bool mayAwait)
    {
        if (_partition.IsClosedForWrites(out var closed))
        {
            FailAll(group, closed);
            return false;
        }
        try
        {
            WriteGroup(group, mayAwait);
        }
        catch (Exception exception)
        {
            FailGroup(group, exception);
            return false;
        }
        return _awaited is not null;
    }

    /// <summary>Publishes and acknowledges the awaited part of a group once its journal write is done (or fails
    /// it as a failed <see cref="StoreJournal.Write"/> would have).</summary>
    private void FinishAwaited(Span<AppendRequest> group)
    {
        var commit = _awaited!.Value;
        _awaited = null;
        if (_journalWait.Failure is { } failure)
        {
            TryTruncate(commit.Segment, commit.WriteStart);
            FailGroup(group, failure);
            return;
        }
        try
        {
            SyncCount++;
            Publish(commit.Segment, group, commit.From, commit.To, commit.WriteStart, commit.BufferLength,
                commit.EndOffset);
        }
        catch (Exception exception)
        {
            FailGroup(group, exception);
        }
    }

    // A full disk fails only the group (what it wrote is cut off); anything else fails the partition too.
    private void FailGroup(Span<AppendRequest> group, Exception exception)
    {
        if (exception is IOException io && StorageFullException.IsDiskFull(io))
        {
            FailAll(group, new StorageFullException(_partition.Directory, io));
            return;
        }
        _partition.Fail(exception);
        FailAll(group, _partition.ClosedException());
    }

    private void FailAll(Span<AppendRequest> group, Exception exception)
    {
        foreach (var request in group[_settled..])
        {
            if (!ReferenceEquals(request, _flushTick))
                request.Fail(exception);
        }
        _settled = group.Length;
    }

    private void WriteGroup(Span<AppendRequest> group, bool mayAwait)
    {
        var options = _partition.Options;
        var segment = _partition.ActiveSegment;
        var position = segment.SizeBytes;
        var writeStart = position;
        var nextOffset = _partition.EndOffset;
        var pendingFrom = 0;
        var bufferLength = 0;
        var flushRequested = false;
        var nowMs = _partition.NowMs();
        for (var i = 0; i < group.Length; i++)
        {
            var request = group[i];
            if (ReferenceEquals(request, _flushTick))
            {
                flushRequested = true;
                continue;
            }
            if (request.Cancellation.IsCancellationRequested)
            {
                request.Cancelled = true;                     // failed with the others when they are acknowledged
                continue;
            }
            if (request.TruncateAfter is { } lastKeptOffset)
            {
                Commit(segment, group, pendingFrom, i, writeStart, bufferLength, nextOffset,
                    options.Durability != DurabilityMode.None, nowMs);
                segment = Truncate(request, lastKeptOffset, ref nextOffset, nowMs);
                position = writeStart = segment.SizeBytes;
                bufferLength = 0;
                pendingFrom = i + 1;
                _settled = i + 1;
                continue;
            }
            if (request.Staged is { } staged)
            {
                // Everything before it is written and acknowledged first: the staged segments follow it.
                Commit(segment, group, pendingFrom, i, writeStart, bufferLength, nextOffset,
                    options.Durability != DurabilityMode.None, nowMs);
                SyncBeforeSeal(segment, nowMs);
                segment = _partition.AdoptStaged(staged, nextOffset, nowMs);
                request.BaseOffset = nextOffset;
                nextOffset += staged.RecordCount;
                _partition.OnPublished(nextOffset);
                request.Complete(new AppendResult(request.BaseOffset, 0));
                _settled = i + 1;
                position = writeStart = 0;
                bufferLength = 0;
                pendingFrom = i + 1;
                continue;
            }
            var length = (int)request.SizeBytes;
            if (position > 0 && (position + length > options.SegmentMaxBytes
                || nowMs - segment.CreatedMs >= (long)options.SegmentMaxAge.TotalMilliseconds))
            {
                // The old segment is complete before the next exists: sync it (unless durability is none),
                // acknowledge what went into it, then roll.
                Commit(segment, group, pendingFrom, i, writeStart, bufferLength, nextOffset,
                    options.Durability != DurabilityMode.None, nowMs);
                SyncBeforeSeal(segment, nowMs);
                segment = _partition.Roll(nextOffset, nowMs);
                position = writeStart = 0;
                bufferLength = 0;
                pendingFrom = i;
            }
            if (position == 0)
                segment.CreatedMs = nowMs;                     // age counts from the first append
            EnsureBuffer(bufferLength + length, bufferLength);
            if (request.Share is { } share)
                CopyBatches(share.Batches, bufferLength, nextOffset);
            else
            {
                request.Batch.Span.CopyTo(_buffer.AsSpan(bufferLength));
                BatchHeader.WriteBaseOffset(_buffer.AsSpan(bufferLength), nextOffset);
            }
            request.BaseOffset = nextOffset;
            request.FilePosition = position;
            nextOffset += request.RecordCount;
            position += length;
            bufferLength += length;
        }
        var sync = options.Durability == DurabilityMode.Sync
            || (options.Durability == DurabilityMode.Interval
                && (flushRequested || nowMs - _lastSyncMs >= (long)options.FlushInterval.TotalMilliseconds));
        Commit(segment, group, pendingFrom, group.Length, writeStart, bufferLength, nextOffset, sync, nowMs,
            mayAwait);
    }

    /// <summary>Writes the buffered batches of one segment, syncs if asked, publishes and acknowledges them. With
    /// <paramref name="mayAwait"/> a journal write led by another is not waited for: the commit is left in
    /// <c>_awaited</c> instead.</summary>
    private void Commit(Segment segment, Span<AppendRequest> group, int from, int to, long writeStart,
        int bufferLength, long endOffset, bool sync, long nowMs, bool mayAwait = false)
    {
        if (bufferLength > 0)
        {
            try
            {
                _partition.BeforeWrite(segment, writeStart, bufferLength);
                segment.Write(_buffer.AsSpan(0, bufferLength), writeStart);
            }
            catch (IOException)
            {
                TryTruncate(segment, writeStart);
                throw;
            }
            _dirty = true;
        }
        if (sync && bufferLength > 0 && _journal is not null && bufferLength <= _journal.MaxRecordBytes)
        {
            if (!JournalOrFail(segment, writeStart, bufferLength, mayAwait))
            {
                _awaited = new AwaitedCommit(segment, from, to, writeStart, bufferLength, endOffset);
                return;
            }
        }
        else if (sync && _dirty)
            SyncOrFail(segment, writeStart, nowMs);
        Publish(segment, group, from, to, writeStart, bufferLength, endOffset);
    }

    /// <summary>Indexes and publishes batches written and made durable, and acknowledges them.</summary>
    private void Publish(Segment segment, Span<AppendRequest> group, int from, int to, long writeStart,
        int bufferLength, long endOffset)
    {
        var requests = group[from..to];
        if (bufferLength == 0)
        {
            Settle(requests);
            _settled = to;
            return;
        }
        long minTimestampMs = long.MaxValue, maxTimestampMs = long.MinValue;
        foreach (var request in requests)
        {
            if (request.Cancelled || ReferenceEquals(request, _flushTick))
                continue;
            if (request.Share is { } share)
            {
                IndexBatches(segment, share.Batches, request.BaseOffset, request.FilePosition, ref minTimestampMs,
                    ref maxTimestampMs);
                continue;
            }
            var header = BatchHeader.Read(request.Batch.Span);
            minTimestampMs = Math.Min(minTimestampMs, header.MinTimestampMs);
            maxTimestampMs = Math.Max(maxTimestampMs, header.MaxTimestampMs);
            segment.Index.OnBatch((int)(request.BaseOffset - segment.BaseOffset), request.FilePosition,
                header.MinTimestampMs, header.MaxTimestampMs);
        }
        TryPersistIndex(segment);
        segment.Publish(writeStart + bufferLength, endOffset, minTimestampMs, maxTimestampMs);
        _partition.OnPublished(endOffset);
        Settle(requests);
        _settled = to;
    }

    private void Settle(Span<AppendRequest> requests)
    {
        foreach (var request in requests)
        {
            if (ReferenceEquals(request, _flushTick))
                continue;
            if (request.Cancelled)
                request.Fail(new OperationCanceledException(request.Cancellation));
            else
                request.Complete(new AppendResult(request.BaseOffset, request.RecordCount));
        }
    }

    private void SyncOrFail(Segment segment, long unsyncedFrom, long nowMs)
    {
        try
        {
            segment.Sync();
        }
        catch (IOException exception)
        {
            // After a failed fsync the kernel may have dropped the dirty pages: nothing written since the last
            // good sync can be trusted, so the partition stops until a reopen recovers it from disk.
            TryTruncate(segment, unsyncedFrom);
            _partition.Fail(exception);
            throw;
        }
        _dirty = false;
        _lastSyncMs = nowMs;
        SyncCount++;
    }

    /// <summary>
    /// Makes the group just written to <paramref name="segment"/> durable through the store's journal, shared with
    /// every other partition's writer (the segment itself stays unsynced: <c>_dirty</c> remains set); returns false
    /// when, with <paramref name="mayAwait"/>, it waits on <c>_journalWait</c> for a write led by another. A failure
    /// cuts the group off; the caller fails the group (a full disk) or the partition, as after a failed fsync.
    /// </summary>
    private bool JournalOrFail(Segment segment, long writeStart, int bufferLength, bool mayAwait)
    {
        var data = _buffer.AsSpan(0, bufferLength);
        try
        {
            if (!mayAwait)
                _journal!.Write(_journalName, _partition.Partition, segment, writeStart, data);
            else if (!_journal!.WriteOrQueue(_journalName, _partition.Partition, segment, writeStart, data,
                _journalWait))
                return false;
        }
        catch (Exception)
        {
            TryTruncate(segment, writeStart);
            throw;
        }
        SyncCount++;
        return true;
    }

    /// <summary>A segment about to be sealed (roll, adoption) holds data made durable only by the journal: sync
    /// it, so a sealed segment is durable by itself, as without the journal.</summary>
    private void SyncBeforeSeal(Segment segment, long nowMs)
    {
        if (_dirty && _journal is not null)
            SyncOrFail(segment, segment.SizeBytes, nowMs);
    }

    // The active segment's index files are rebuilt by recovery anyway, so failing to extend them (a full disk)
    // must not fail an append whose data is already durable; the entries are written on a later try.
    private static void TryPersistIndex(Segment segment)
    {
        try
        {
            segment.PersistIndex();
        }
        catch (IOException)
        {
        }
    }

    private static void TryTruncate(Segment segment, long sizeBytes)
    {
        try
        {
            segment.Truncate(sizeBytes);
        }
        catch (IOException)
        {
            // Recovery on the next open cuts the unacknowledged tail by CRC anyway.
        }
    }

    private void EnsureBuffer(int needed, int keepBytes)
    {
        if (needed <= _buffer.Length)
            return;
        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, keepBytes).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }

    private void FinalFlush()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (_partition.IsClosedForWrites(out _) && _partition.IsDeleted)
            return;
        try
        {
            var segment = _partition.ActiveSegment;
            segment.PersistIndex();
            if (_dirty)
                segment.Sync();
            _dirty = false;
        }
        catch (IOException exception)
        {
            _partition.Fail(exception);
        }
    }
}

/// <summary>The last part of a loop's group, written to its segment, while its journal write runs.</summary>
internal readonly record struct AwaitedCommit(Segment Segment, int From, int To, long WriteStart, int BufferLength,
    long EndOffset);
