using Query.Storage;

namespace Query.Engine.Persistent;

internal sealed partial class PersistentQuery
{
    // A state batch closes at this size, well below storage's largest batch.
    private const int StateBatchTargetBytes = 8 << 20;

    /// <summary>
    /// Commits what is pending: the sink rows, the aggregate's changed groups and the scan's positions, in one
    /// transaction. Nothing to commit (no new rows, positions unchanged) is free.
    /// </summary>
    private async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        var positions = _hooks!.Scan!.Positions();
        var aggregate = _hooks.Aggregate;
        if (_pendingOut == 0 && aggregate?.HasChanges != true && SameAsCommitted(positions))
            return;
        var offsets = new Dictionary<int, long>(positions.Count);
        foreach (var (partition, next) in positions)
            offsets[partition] = next;
        var scanned = _statistics.RecordsScanned;
        var skipped = Interlocked.Read(ref _pendingSkipped);
        var checkpoint = new QueryCheckpoint(offsets, (_committed?.RowsIn ?? 0) + scanned - _scannedAtCommit,
            RowsOut + _pendingOut, (_committed?.RowsSkipped ?? 0) + skipped);
        var transaction = _transaction ??= _engine.Logs.BeginTransaction();
        try
        {
            if (_appender is { } appender)
                await appender.AddToTransactionAsync();
            if (aggregate is not null)
                AppendStateChanges(transaction, aggregate);
            _checkpointBatch.Clear();
            _checkpointBatch.Add(RecordBatchBuilder.UseAppendTime, checkpoint.Encode());
            transaction.Append(CheckpointLog().GetPartition(0), _checkpointBatch);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            AbortPending();
        }
        _committed = checkpoint;
        _scannedAtCommit = scanned;
        Interlocked.Add(ref _pendingSkipped, -skipped);
        _pendingOut = 0;
        _lastCommitTicks = Environment.TickCount64;
    }

    private bool SameAsCommitted(List<(int Partition, long NextOffset)> positions)
    {
        if (_committed is not { } committed)
            return false;
        foreach (var (partition, next) in positions)
        {
            if (!committed.Offsets.TryGetValue(partition, out var offset) || offset != next)
                return false;
        }
        return true;
    }

    private void AppendStateChanges(LogTransaction transaction,
        Execution.Operators.IContinuousAggregate aggregate)
    {
        if (!aggregate.HasChanges)
            return;
        var used = 0;
        aggregate.WriteChanges((key, value) =>
        {
            if (used == 0 || _stateBatches[used - 1].SizeBytes >= StateBatchTargetBytes)
            {
                if (used == _stateBatches.Count)
                    _stateBatches.Add(new RecordBatchBuilder(64 << 10));
                _stateBatches[used++].Clear();
            }
            _stateBatches[used - 1].Add(RecordBatchBuilder.UseAppendTime, key.Span, value.Span);
        });
        var partition = StateLog().GetPartition(0);
        for (var i = 0; i < used; i++)
            transaction.Append(partition, _stateBatches[i]);
    }

    private PartitionedLog StateLog() => _engine.Logs.TryGetLog(Definition.StateLogName, out var log)
        ? log
        : throw new Errors.SqlException(Errors.SqlState.DataCorrupted,
            $"state log of query {Definition.Id} is missing");

    /// <summary>Restores a continuous aggregate's groups from its state changelog (the latest entry wins).</summary>
    private void RestoreState()
    {
        if (_hooks!.Aggregate is not { } aggregate)
            return;
        QueryCheckpoint.ReplayState(StateLog(), aggregate.Restore);
        aggregate.WriteChanges(static (_, _) => { });   // restored groups are already in the log
    }

    /// <summary>Drops an uncommitted window (after a commit, or when the query stops: the restart redoes it).</summary>
    private void AbortPending()
    {
        _appender?.Dispose();
        _appender = null;
        _transaction?.Dispose();
        _transaction = null;
    }
}
