using System.Threading.Tasks.Sources;
using Query.Storage.Transactions;

namespace Query.Storage.Commit;

/// <summary>
/// One pending append: the sealed batch bytes and the completion the appender awaits. Pooled by its writer
/// (returned when the awaiter takes the result), so an append allocates nothing in steady state.
/// <para>An appender on a thread of its own (<see cref="WaitsSynchronously"/>) does not await: it blocks on the
/// request until whoever wrote its group completes it: one wake-up of that thread, no continuation on another.
/// </para>
/// </summary>
internal sealed class AppendRequest : IValueTaskSource<AppendResult>
{
    private readonly PartitionWriter? _owner;
    private readonly object _syncGate = new();
    private ManualResetValueTaskSourceCore<AppendResult> _core;
    private bool _syncDone;
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

    /// <summary>The appender blocks on this request (<see cref="WaitForCompletion"/>) instead of awaiting.
    /// </summary>
    public bool WaitsSynchronously;

    /// <summary>Bytes this request adds to the active segment.</summary>
    public long SizeBytes => Share is { } share ? share.SizeBytes : Batch.Length;

    public ValueTask<AppendResult> AsValueTask() => new(this, _core.Version);

    // After either call the request belongs to its awaiter again and may be reused at once.
    public void Complete(AppendResult result)
    {
        if (WaitsSynchronously)
            SetSync(result, null);
        else
            _core.SetResult(result);
    }

    public void Fail(Exception exception)
    {
        if (WaitsSynchronously)
            SetSync(default, exception);
        else
            _core.SetException(exception);
    }

    /// <summary>Blocks until the request is completed.</summary>
    public void WaitForCompletion()
    {
        lock (_syncGate)
        {
            while (!_syncDone)
                Monitor.Wait(_syncGate);
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
            _syncDone = false;
            _syncFailure = null;
            _syncResult = default;
        }
        WaitsSynchronously = false;
        Recycle();
        return outcome;
    }

    private void SetSync(AppendResult result, Exception? failure)
    {
        lock (_syncGate)
        {
            _syncDone = true;
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
