using System.Threading.Tasks.Sources;
using Query.Storage.Transactions;

namespace Query.Storage.Commit;

/// <summary>
/// One pending append: the sealed batch bytes and the completion the appender awaits. Pooled by its writer
/// (returned when the awaiter takes the result), so an append allocates nothing in steady state.
/// <para>An appender on a thread of its own (<see cref="WaitsSynchronously"/>) does not await: it blocks on the
/// request until it is completed by whoever wrote its group, or handed the partition to write the next group
/// itself (<see cref="HandLead"/>); either way one wake-up of that thread, and no continuation on another.</para>
/// </summary>
internal sealed class AppendRequest : IValueTaskSource<AppendResult>
{
    private const int Waiting = 0, Done = 1, Lead = 2;

    private readonly PartitionWriter? _owner;
    private readonly object _syncGate = new();
    private ManualResetValueTaskSourceCore<AppendResult> _core;
    private int _syncState;
    private AppendResult _syncResult;
    private Exception? _syncFailure;

    public AppendRequest(PartitionWriter? owner)
    {
        _owner = owner;
        // Acknowledgements must not run appenders' continuations on the writer loop.
        _core.RunContinuationsAsynchronously = true;
    }

    public long? TruncateAfter;      // set for a truncation (never pooled): cut the log after this offset
    public ReadOnlyMemory<byte> Batch;
    public int RecordCount;
    public CancellationToken Cancellation;
    public long FilePosition;
    public long BaseOffset;
    public bool Cancelled;
    public StagedAppend? Staged;     // set for a staged append to adopt instead of a batch to write
    public TransactionShare? Share;  // set for a transaction's batches, written together instead of Batch

    /// <summary>The appender blocks on this request (<see cref="WaitForCompletionOrLead"/>) instead of awaiting.
    /// </summary>
    public bool WaitsSynchronously;

    /// <summary>Bytes this request adds to the active segment.</summary>
    public long SizeBytes => Share is { } share ? share.SizeBytes : Batch.Length;

    public ValueTask<AppendResult> AsValueTask() => new(this, _core.Version);

    // After either call the request belongs to its awaiter again and may be reused at once.
    public void Complete(AppendResult result)
    {
        if (WaitsSynchronously)
            SetSync(Done, result, null);
        else
            _core.SetResult(result);
    }

    public void Fail(Exception exception)
    {
        if (WaitsSynchronously)
            SetSync(Done, default, exception);
        else
            _core.SetException(exception);
    }

    /// <summary>Wakes the blocked appender as the partition's next writer: its request heads the queue.</summary>
    public void HandLead() => SetSync(Lead, default, null);

    /// <summary>Blocks until the request is completed (false) or its appender is handed the partition (true).
    /// </summary>
    public bool WaitForCompletionOrLead()
    {
        lock (_syncGate)
        {
            while (_syncState == Waiting)
                Monitor.Wait(_syncGate);
            if (_syncState != Lead)
                return false;
            _syncState = Waiting;
            return true;
        }
    }

    /// <summary>The outcome of a completed synchronous request, as a completed task; returns it to the pool.
    /// </summary>
    public ValueTask<AppendResult> TakeSyncResult()
    {
        ValueTask<AppendResult> outcome;
        lock (_syncGate)
        {
            outcome = _syncFailure is { } failure
                ? ValueTask.FromException<AppendResult>(failure)
                : new ValueTask<AppendResult>(_syncResult);
            _syncState = Waiting;
            _syncFailure = null;
            _syncResult = default;
        }
        WaitsSynchronously = false;
        Recycle();
        return outcome;
    }

    private void SetSync(int state, AppendResult result, Exception? failure)
    {
        lock (_syncGate)
        {
            _syncState = state;
            _syncResult = result;
            _syncFailure = failure;
            Monitor.Pulse(_syncGate);
        }
    }

    public AppendResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Recycle();
        }
    }

    private void Recycle()
    {
        Batch = default;
        Staged = null;
        Share = null;
        Cancellation = default;
        Cancelled = false;
        _owner?.Return(this);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
