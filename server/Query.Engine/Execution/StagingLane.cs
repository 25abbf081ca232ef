using Query.Storage;

namespace Query.Engine.Execution;

/// <summary>
/// One partition's write-ahead for a large append: full batches are sealed (CRC) and written to the
/// <see cref="StagedAppend"/> on a pool thread while the producer fills the next one, so parsing and the
/// storage write use both cores. Two builders alternate; a write failure surfaces at the next hand-over or at
/// <see cref="FinishAsync"/>. The staged append is a share of the statement's <see cref="LogTransaction"/>,
/// which commits it with the other partitions' shares.
/// </summary>
internal sealed class StagingLane : IDisposable
{
    private readonly StagedAppend _staged;
    private readonly int _batchCapacity;
    private Task _pending = Task.CompletedTask;
    private RecordBatchBuilder? _spare;
    private RecordBatchBuilder? _inFlight;

    public StagingLane(LogTransaction transaction, PartitionLog partition, int batchCapacity)
    {
        _staged = transaction.BeginStagedAppend(partition);
        _batchCapacity = batchCapacity;
    }

    /// <summary>Writes a batch now, on this thread (the backlog when staging starts).</summary>
    public void WriteNow(RecordBatchBuilder batch)
    {
        WaitForPending();
        _staged.Append(batch);
    }

    /// <summary>Starts writing <paramref name="full"/> in the background; returns an empty builder to fill.</summary>
    public RecordBatchBuilder Hand(RecordBatchBuilder full)
    {
        WaitForPending();
        var next = _spare ?? new RecordBatchBuilder(_batchCapacity);
        _spare = null;
        next.Clear();
        _inFlight = full;
        _pending = Task.Run(() => _staged.Append(full));
        return next;
    }

    /// <summary>Writes the last (partial) batch; the transaction commits the share.</summary>
    public async Task FinishAsync(RecordBatchBuilder last)
    {
        await _pending.ConfigureAwait(false);
        Recycle();
        if (last.Count > 0)
            _staged.Append(last);
    }

    private void WaitForPending()
    {
        _pending.GetAwaiter().GetResult();
        Recycle();
    }

    private void Recycle()
    {
        if (_inFlight is null)
            return;
        _spare?.Dispose();
        _spare = _inFlight;
        _inFlight = null;
    }

    public void Dispose()
    {
        try
        {
            _pending.Wait();
        }
        catch (AggregateException)
        {
            // The write failed; the staged files go below either way.
        }
        _staged.Dispose();
        _inFlight?.Dispose();
        _spare?.Dispose();
    }
}
