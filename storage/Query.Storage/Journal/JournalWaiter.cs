using System.Threading.Tasks.Sources;

namespace Query.Storage.Journal;

/// <summary>
/// A writer's wait for a journal write led by another writer, awaited instead of blocking a thread (see
/// <see cref="StoreJournal.WriteOrQueue"/>). One per partition writer, reused for each of its groups: a writer has
/// at most one record waiting. Linked into the waiting records' write by <see cref="Next"/> (no allocation).
/// </summary>
internal sealed class JournalWaiter : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core;

    public JournalWaiter()
    {
        // The leader completes waiters while its own writer still has a group to publish: continue elsewhere.
        _core.RunContinuationsAsynchronously = true;
    }

    /// <summary>The next waiter of the same journal write.</summary>
    internal JournalWaiter? Next;

    /// <summary>Why the write failed (as <see cref="StoreJournal.Write"/> would throw it), or null.</summary>
    public Exception? Failure { get; private set; }

    public ValueTask AsValueTask() => new(this, _core.Version);

    internal void Arm() => Failure = null;

    internal void Complete(Exception? failure)
    {
        Failure = failure;
        _core.SetResult(true);
    }

    public void GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
