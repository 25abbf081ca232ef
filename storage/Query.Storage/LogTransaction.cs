using Query.Storage.Transactions;

namespace Query.Storage;

/// <summary>
/// An append across any set of partitions of one or several logs of a store that becomes visible whole or not
/// at all, whatever fails (a crash at any instruction, a full disk, an I/O error on one partition): the
/// statement-level write of INSERT and COPY, and the commit of a persistent query (output rows, state changes
/// and source offsets). Start one with <see cref="LogStore.BeginTransaction"/>, add batches with
/// <see cref="Append"/> or large shares with <see cref="BeginStagedAppend"/>, then <see cref="CommitAsync"/>;
/// disposing without a commit aborts (nothing was visible, staged files are deleted).
/// <para>Cost: a transaction that touches one partition is an ordinary append (one group-committed fdatasync; a
/// staged one is adopted as today). Across partitions every share is written and synced by its partition's
/// writer without being published, then one commit record is synced in the store's <c>transactions</c> file,
/// then every share is published. Readers see a share only once its transaction committed; offsets stay dense
/// (an aborted share's offsets are given to the next append). See storage/FORMAT.md, "Transactions".</para>
/// <para>Not thread-safe: one producer appends, then commits or disposes.</para>
/// </summary>
public sealed class LogTransaction : IDisposable
{
    private readonly TransactionCoordinator _coordinator;
    private readonly Dictionary<PartitionLog, TransactionShare> _shares = [];
    private bool _committing;
    private bool _committed;
    private bool _disposed;

    internal LogTransaction(TransactionCoordinator coordinator) => _coordinator = coordinator;

    /// <summary>Partitions with a share so far.</summary>
    public int PartitionCount => _shares.Count;

    /// <summary>
    /// Adds a batch to <paramref name="partition"/>'s share. The batch is sealed at the commit, so the builder must
    /// not change until <see cref="CommitAsync"/> completes or the transaction is disposed. Throws what
    /// <see cref="PartitionLog.AppendAsync"/> throws for a bad batch.
    /// </summary>
    public void Append(PartitionLog partition, RecordBatchBuilder batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var share = ShareOf(partition);
        if (share.Staged is not null)
            throw new InvalidOperationException(
                $"partition {partition.Partition} of log \"{partition.LogName}\" " +
                "has a staged share in this transaction");
        if (batch.Count == 0)
            throw new ArgumentException("cannot append an empty batch", nameof(batch));
        if (batch.MaxRecordSizeBytes > partition.Options.MaxRecordBytes)
            throw new RecordTooLargeException(batch.MaxRecordSizeBytes, partition.Options.MaxRecordBytes);
        share.Builders.Add(batch);
    }

    /// <summary>
    /// Starts a large share of <paramref name="partition"/>, written to temporary segment files while produced
    /// (see <see cref="StagedAppend"/>) and adopted at the transaction's commit; do not commit the staged append
    /// itself. A partition has either batches or one staged share in a transaction.
    /// </summary>
    public StagedAppend BeginStagedAppend(PartitionLog partition)
    {
        var share = ShareOf(partition);
        if (share.Staged is not null || share.Builders.Count > 0)
            throw new InvalidOperationException(
                $"partition {partition.Partition} of log \"{partition.LogName}\" " +
                "already has a share in this transaction");
        share.Staged = partition.BeginStagedAppend(enlisted: true);
        return share.Staged;
    }

    /// <summary>
    /// Makes every share visible together, durable per each log's durability mode. Throws
    /// <see cref="StorageFullException"/>, <see cref="StorageException"/>, <see cref="LogDeletedException"/>
    /// (nothing of the transaction is then visible, except where the message says its outcome is decided by
    /// the next reopen), or <see cref="OperationCanceledException"/> before anything was written.
    /// </summary>
    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committing)
            throw new InvalidOperationException("the transaction is already committed");
        cancellationToken.ThrowIfCancellationRequested();
        _committing = true;
        var shares = new List<TransactionShare>(_shares.Count);
        foreach (var share in _shares.Values)
        {
            if (share.Staged is { RecordCount: 0 } || (share.Staged is null && share.Builders.Count == 0))
                continue;
            shares.Add(share);
        }
        if (shares.Count == 0)
        {
            _committed = true;
            return;
        }
        var pending = shares.Count > 1;
        foreach (var share in shares)
            share.Seal(pending);
        if (pending)
            await _coordinator.CommitAsync(shares).ConfigureAwait(false);
        else if (shares[0].Staged is { } staged)
            shares[0].BaseOffset = await staged.CommitEnlistedAsync().ConfigureAwait(false);
        else
            shares[0].BaseOffset = (await shares[0].Partition.AppendShareAsync(shares[0]).ConfigureAwait(false))
                .BaseOffset;
        _committed = true;
    }

    /// <summary>The offset of the first record of <paramref name="partition"/>'s share, after the commit.</summary>
    public long GetBaseOffset(PartitionLog partition)
    {
        if (!_committed)
            throw new InvalidOperationException("the transaction is not committed");
        return _shares.TryGetValue(partition, out var share)
            ? share.BaseOffset
            : throw new ArgumentException("the partition has no share in this transaction", nameof(partition));
    }

    /// <summary>Aborts unless committed: deletes staged files; nothing of the transaction was visible.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var share in _shares.Values)
            share.Staged?.Dispose();
    }

    private TransactionShare ShareOf(PartitionLog partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committing)
            throw new InvalidOperationException("the transaction is already committed");
        if (!ReferenceEquals(partition.Coordinator, _coordinator))
            throw new ArgumentException("the partition belongs to another store", nameof(partition));
        partition.ThrowIfDeleted();
        if (!_shares.TryGetValue(partition, out var share))
            _shares[partition] = share = new TransactionShare(partition);
        return share;
    }
}
