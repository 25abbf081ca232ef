using Query.Storage.Format;

namespace Query.Storage.Transactions;

/// <summary>What the coordinator tells a partition's writer holding a prepared share.</summary>
internal enum ShareDecision
{
    /// <summary>The commit record is durable: publish the share.</summary>
    Commit,

    /// <summary>The transaction failed before its commit record: remove the share.</summary>
    Abort,

    /// <summary>Whether the commit record reached the disk is unknown: leave the share on disk for recovery to
    /// decide, and stop the partition until the store is reopened.</summary>
    Abandon,
}

/// <summary>
/// One partition's part of a <see cref="LogTransaction"/>: batches held by the caller's builders (sealed at the
/// commit) or a staged append. A share of a multi-partition transaction is handed to the partition's writer,
/// which writes it without publishing (<see cref="Prepared"/>), waits for the <see cref="Decision"/>, then
/// publishes or removes it (<see cref="Completed"/>).
/// </summary>
internal sealed class TransactionShare
{
    private readonly TaskCompletionSource _prepared = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ShareDecision> _decision =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _recordQueued =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TransactionShare(PartitionLog partition) => Partition = partition;

    public PartitionLog Partition { get; }
    public List<RecordBatchBuilder> Builders { get; } = [];
    public StagedAppend? Staged { get; set; }

    /// <summary>The sealed batches (set at the commit, from <see cref="Builders"/>).</summary>
    public ReadOnlyMemory<byte>[] Batches { get; private set; } = [];

    public long RecordCount { get; private set; }
    public long SizeBytes { get; private set; }

    /// <summary>True when the share waits for the coordinator's decision (a multi-partition transaction).</summary>
    public bool IsPending { get; private set; }

    /// <summary>Offset of the share's first record, set by the writer when it prepares or writes it.</summary>
    public long BaseOffset { get; set; }

    /// <summary>Where a prepared tail share starts in its segment (the segment's published size then).</summary>
    public long FilePosition { get; set; }

    /// <summary>The temporary file names and final names of a prepared staged share, for the commit record.</summary>
    public List<(string From, string To)> Renames { get; } = [];

    /// <summary>The share prepared just before this one in the same partition write, if any: this one may
    /// commit only if that one does, so its commit record must come after that one's, in the same write or a
    /// later one, and fails if that one's failed.</summary>
    public TransactionShare? Predecessor { get; set; }

    /// <summary>True once the transaction's commit record is queued for writing (<see cref="Record"/> is set);
    /// false when the transaction aborted before that.</summary>
    public Task<bool> RecordQueued => _recordQueued.Task;

    /// <summary>The coordinator's pending write of this transaction's commit record.</summary>
    public object? Record { get; set; }

    public void SetRecordQueued(bool queued) => _recordQueued.TrySetResult(queued);

    public Task Prepared => _prepared.Task;
    public Task<ShareDecision> Decision => _decision.Task;
    public Task Completed => _completed.Task;

    /// <summary>
    /// Seals the batches: in a multi-partition transaction every batch is marked pending; in a one-partition
    /// transaction all but the last are marked continued (the last one completes it on disk).
    /// </summary>
    public void Seal(bool pending)
    {
        IsPending = pending;
        if (Staged is { } staged)
        {
            RecordCount = staged.RecordCount;
            SizeBytes = staged.SizeBytes;
            return;
        }
        var nowMs = Partition.NowMs();
        Batches = new ReadOnlyMemory<byte>[Builders.Count];
        for (var i = 0; i < Builders.Count; i++)
        {
            var attributes = pending ? BatchHeader.PendingAttribute
                : i < Builders.Count - 1 ? BatchHeader.ContinuedAttribute : (byte)0;
            Batches[i] = Builders[i].Seal(nowMs, attributes);
            RecordCount += Builders[i].Count;
            SizeBytes += Batches[i].Length;
        }
    }

    public void SetPrepared() => _prepared.TrySetResult();

    /// <summary>The writer could not prepare the share (it removed whatever it wrote): the share is done too.</summary>
    public void FailPrepare(Exception exception)
    {
        _prepared.TrySetException(exception);
        _completed.TrySetResult();
    }

    public void Decide(ShareDecision decision) => _decision.TrySetResult(decision);

    public void Complete() => _completed.TrySetResult();

    public void FailCompletion(Exception exception) => _completed.TrySetException(exception);
}
