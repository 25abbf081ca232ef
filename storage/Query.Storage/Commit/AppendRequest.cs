using System.Threading.Tasks.Sources;
using Query.Storage.Transactions;

namespace Query.Storage.Commit;

/// <summary>
/// One pending append: the sealed batch bytes and the completion the appender awaits. Pooled by its writer
/// (returned when the awaiter takes the result), so an append allocates nothing in steady state.
/// </summary>
internal sealed class AppendRequest : IValueTaskSource<AppendResult>
{
    private readonly PartitionWriter? _owner;
    private ManualResetValueTaskSourceCore<AppendResult> _core;

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

    /// <summary>Bytes this request adds to the active segment.</summary>
    public long SizeBytes => Share is { } share ? share.SizeBytes : Batch.Length;

    public ValueTask<AppendResult> AsValueTask() => new(this, _core.Version);

    // After either call the request belongs to its awaiter again and may be reused at once.
    public void Complete(AppendResult result) => _core.SetResult(result);

    public void Fail(Exception exception) => _core.SetException(exception);

    public AppendResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Batch = default;
            Staged = null;
            Share = null;
            Cancellation = default;
            Cancelled = false;
            _core.Reset();
            _owner?.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
