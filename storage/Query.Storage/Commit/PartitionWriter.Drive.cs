using Query.Storage.Transactions;

namespace Query.Storage.Commit;

// Who writes a partition's groups. One thread at a time holds the partition ("drives" it) and writes the group at
// the head of the queue: normally a loop on the thread pool, started when something is queued, that writes group
// after group until the queue is empty. An appender on a thread of its own (the server's connection threads)
// blocks on its request until its group is written and is woken by the writer directly, with no continuation on
// another thread, and its append returns completed. With LogStoreOptions.AppenderWritesIdlePartition such an
// appender that finds the partition idle writes its own group and leads the journal write itself (as PostgreSQL's
// backend flushes its own WAL); appenders arriving meanwhile queue, and the loop takes over after it. (Handing the
// partition to the next blocked appender instead, as PostgreSQL's WAL lock does, put a thread wake-up on the
// critical path of every group: at load 48 it made a third of the rows per second, 1,000-1,700 against 3,500.) An
// appender on the thread pool only queues and awaits: leading its own group there, its continuation (queued
// last-in-first-out on the loop's thread) barged ahead of the others' and starved them (crash harness at load 50:
// 2,034 appends of one appender against 175 of its neighbour). Only the loop runs a multi-partition transaction's
// shares (held across an asynchronous wait for the decision), staged adoptions, truncations and interval flushes.
// The loop awaits a journal write led by another partition's writer instead of blocking its thread (blocked, loops
// held the pool's few threads while one fdatasync ran, and fewer partitions met in a write), and is queued at the
// back of the pool's global queue (see StartLoop).
internal sealed partial class PartitionWriter
{
    private readonly object _gate = new();
    private readonly Queue<AppendRequest> _queue = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _driving;     // a thread holds the partition: what is queued is written by it or a successor
    private bool _stopping;

    /// <summary>Groups written by one of their appenders itself (not by the loop) so far.</summary>
    public long LedGroupCount { get; private set; }

    /// <summary>Groups written by the loop so far.</summary>
    public long LoopGroupCount { get; private set; }

    private enum Submitted
    {
        Refused,
        Queued,
        Leads,
    }

    /// <summary>Stops taking appends, lets what is queued be written, and completes once it is.</summary>
    public Task StopAsync()
    {
        _flushTimer?.Dispose();
        bool start;
        lock (_gate)
        {
            _stopping = true;
            start = !_driving;
            _driving = true;
        }
        if (start)
            StartLoop();
        return _stopped.Task;
    }

    /// <summary>An ordinary append (a batch, or a one-partition transaction's share).</summary>
    private ValueTask<AppendResult> Append(AppendRequest request)
    {
        if (Thread.CurrentThread.IsThreadPoolThread)
        {
            var task = request.AsValueTask();
            Submit(request, mayLead: false);
            return task;
        }
        request.WaitsSynchronously = true;
        if (Submit(request, mayLead: _partition.AppenderWritesIdlePartition) == Submitted.Leads)
            LeadOneGroup();
        request.WaitForCompletion();
        return request.TakeSyncResult();
    }

    /// <summary>Queues <paramref name="request"/>; when the partition is idle the caller takes it (Leads) if it may,
    /// else the loop is started. A stopped writer refuses it, failing it unless <paramref name="failClosed"/> is
    /// false.</summary>
    private Submitted Submit(AppendRequest request, bool mayLead, bool failClosed = true)
    {
        lock (_gate)
        {
            if (_stopping)
                return Refuse(request, failClosed);
            _queue.Enqueue(request);
            if (_driving)
                return Submitted.Queued;
            _driving = true;
            if (mayLead)
                return Submitted.Leads;
        }
        StartLoop();
        return Submitted.Queued;
    }

    private Submitted Refuse(AppendRequest request, bool failClosed)
    {
        if (failClosed)
            request.Fail(_partition.ClosedException());
        return Submitted.Refused;
    }

    // The caller holds the partition and its own request heads the queue: write that group, then pass the partition on.
    private void LeadOneGroup()
    {
        var count = 0;
        try
        {
            lock (_gate)
                count = TakeGroup(allowPending: false, out _);
            _settled = 0;
            if (count > 0)
            {
                LedGroupCount++;
                ProcessGroup(_group.AsSpan(0, count), mayAwait: false);
            }
        }
        finally
        {
            Array.Clear(_group, 0, count);
            PassOn();
        }
    }

    // Releases the partition, or hands it to the loop when something is queued (or the writer stops).
    private void PassOn()
    {
        lock (_gate)
        {
            if (_queue.Count == 0 && !_stopping)
            {
                _driving = false;
                return;
            }
        }
        StartLoop();
    }

    // At the back of the pool's global queue: started from an appender's continuation, the loop would otherwise run
    // next on that thread (its local queue is last-in-first-out), before the continuations of the other appenders
    // acknowledged with it could queue their next appends, and write groups of one.
    private void StartLoop() =>
        ThreadPool.UnsafeQueueUserWorkItem(static writer => _ = writer.DriveAsync(), this, preferLocal: false);

    // Holds the partition until the queue is empty (then releases it), or until stopped (then flushes and ends).
    private async Task DriveAsync()
    {
        while (true)
        {
            int count;
            List<TransactionShare>? pending;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    if (_stopping)
                        break;
                    _driving = false;
                    return;
                }
                count = TakeGroup(allowPending: true, out pending);
            }
            _settled = 0;
            if (count > 0)
            {
                LoopGroupCount++;
                if (ProcessGroup(_group.AsSpan(0, count), mayAwait: true))
                {
                    // Its journal write is led by another writer: the thread is not held meanwhile.
                    await _journalWait.AsValueTask().ConfigureAwait(false);
                    FinishAwaited(_group.AsSpan(0, count));
                }
            }
            Array.Clear(_group, 0, count);
            if (pending is not null)
                await ProcessPendingAsync(pending).ConfigureAwait(false);
        }
        FinalFlush();
        _stopped.TrySetResult();
    }

    // Caller holds _gate. Moves the next group off the queue into _group and returns its size. A multi-partition
    // transaction's share ends the group before it; at the head, with allowPending, it comes out in pending with
    // the pending shares right behind it (written together, then held for their decisions).
    private int TakeGroup(bool allowPending, out List<TransactionShare>? pending)
    {
        pending = null;
        var count = 0;
        long bytes = 0;
        while (count < _group.Length && _queue.TryPeek(out var request))
        {
            if (request.Share is { IsPending: true })
            {
                if (count == 0 && allowPending)
                    pending = TakePendingGroup();
                break;
            }
            if (bytes > 0 && bytes + request.SizeBytes > MaxGroupBytes)
                break;              // starts the next group, keeping order
            _group[count++] = _queue.Dequeue();
            bytes += request.SizeBytes;
        }
        return count;
    }
}
