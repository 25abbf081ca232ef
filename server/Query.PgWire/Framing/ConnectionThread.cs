using System.Runtime.CompilerServices;

namespace Query.PgWire.Framing;

/// <summary>
/// A thread of one connection's own, as PostgreSQL's backend process per connection: the connection runs on it
/// and waits for its client's next message in a blocking receive (<see cref="SocketReceiveStream"/>), so a round
/// trip costs one wake-up of this thread. On the thread pool the same round trip costs a receive that finds
/// nothing, the socket engine's epoll thread, a queued work item and a pool worker that spins before it sleeps
/// (`perf`: about half of a `SELECT 1`'s server CPU). Work that completes elsewhere (an fsync'd INSERT, a parallel
/// scan) continues where it completed; the connection comes back here before it reads again (<see cref="SwitchTo"/>).
/// </summary>
internal sealed class ConnectionThread
{
    private readonly Queue<Action> _work = new();
    private readonly Thread _thread;
    private readonly Func<Task> _body;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _bodyEnded;

    private ConnectionThread(Func<Task> body, string name)
    {
        _body = body;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>True on the connection's own thread.</summary>
    public bool IsCurrent => Thread.CurrentThread == _thread;

    /// <summary>Starts <paramref name="body"/> on a new thread; the task ends when the body's task has.</summary>
    public static Task Start(Func<ConnectionThread, Task> body, string name)
    {
        ConnectionThread? created = null;
        created = new ConnectionThread(() => body(created!), name);
        created._thread.Start();
        return created._done.Task;
    }

    /// <summary>Continues on the connection's thread (at once when already there).</summary>
    public SwitchAwaitable SwitchTo() => new(this);

    private void Post(Action continuation)
    {
        lock (_work)
        {
            _work.Enqueue(continuation);
            Monitor.Pulse(_work);
        }
    }

    private void Run()
    {
        Task body;
        try
        {
            body = _body();
        }
        catch (Exception ex)
        {
            body = Task.FromException(ex);
        }
        body.ContinueWith(static (ended, state) => ((ConnectionThread)state!).EndBody(), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (TakeWork() is { } work)
            work();
        _done.TrySetResult();
    }

    private void EndBody()
    {
        lock (_work)
        {
            _bodyEnded = true;
            Monitor.Pulse(_work);
        }
    }

    // The next continuation posted here; null once the body has ended and nothing is left to run.
    private Action? TakeWork()
    {
        lock (_work)
        {
            while (_work.Count == 0)
            {
                if (_bodyEnded)
                    return null;
                Monitor.Wait(_work);
            }
            return _work.Dequeue();
        }
    }

    public readonly struct SwitchAwaitable(ConnectionThread thread) : ICriticalNotifyCompletion
    {
        public SwitchAwaitable GetAwaiter() => this;

        public bool IsCompleted => thread.IsCurrent;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation)
        {
            var context = ExecutionContext.Capture();
            thread.Post(context is null ? continuation
                : () => ExecutionContext.Run(context, static state => ((Action)state!)(), continuation));
        }

        public void UnsafeOnCompleted(Action continuation) => thread.Post(continuation);
    }
}
