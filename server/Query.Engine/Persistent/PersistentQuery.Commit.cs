using System.Buffers;
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
        var aggregate = _hooks!.Aggregate;
        // Groups changed by input the scan has passed but not emitted yet: committing the offsets now would lose
        // their output after a crash (the aggregate emits before the scan waits, so this does not happen).
        if (aggregate?.HasPendingOutput == true)
            return;
        var positions = _hooks.Positions();
        if (_pendingOut == 0 && aggregate?.HasChanges != true && _hooks.TableChanges?.HasChanges != true
            && SameAsCommitted(positions))
            return;
        var offsets = new Dictionary<int, long>(positions.Count);
        foreach (var (partition, next) in positions)
            offsets[partition] = next;
        var scanned = _statistics.RecordsScanned;
        var skipped = Interlocked.Read(ref _pendingSkipped);
        var stateStart = _committed?.StateStartOffset ?? 0;
        var stateEnd = 0L;
        // Every state log is snapshotted once it holds far more records than live entries (a windowed aggregate's
        // too: its removals keep the state small, but not the log).
        var snapshot = aggregate is not null && SnapshotDue(aggregate, stateStart, out stateEnd);
        if (snapshot)
            stateStart = stateEnd;
        var checkpoint = new QueryCheckpoint(offsets, (_committed?.RowsIn ?? 0) + scanned - _scannedAtCommit,
            RowsOut + _pendingOut, (_committed?.RowsSkipped ?? 0) + skipped)
        {
            StateStartOffset = stateStart,
        };
        var transaction = _transaction ??= _engine.Logs.BeginTransaction();
        try
        {
            if (_appender is { } appender)
                await appender.AddToTransactionAsync();
            if (aggregate is not null)
                AppendStateChanges(transaction, aggregate, snapshot);
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
        Commits++;
        if (snapshot)
            StateLog().GetPartition(0).DeleteSegmentsBefore(stateStart);   // history before the snapshot
        _scannedAtCommit = scanned;
        Interlocked.Add(ref _pendingSkipped, -skipped);
        _pendingOut = 0;
        _lastCommitTicks = Environment.TickCount64;
    }

    /// <summary>Commits since the query started (this run), for benchmarks and tests.</summary>
    public long Commits { get; private set; }

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

    /// <summary>
    /// Whether this commit writes a snapshot: the state log holds more than
    /// <see cref="EngineOptions.PersistentSnapshotMinRecords"/> records since the last one, and more than twice
    /// the live entries (so snapshots at most double what the log writes). <paramref name="stateEnd"/> is where
    /// it will start: this query is the log's only writer, so its commit's records follow the current end.
    /// </summary>
    private bool SnapshotDue(Execution.Operators.IContinuousAggregate aggregate, long stateStart, out long stateEnd)
    {
        stateEnd = StateLog().GetPartition(0).EndOffset;
        var replay = stateEnd - stateStart;
        long live;
        if (aggregate is Execution.Operators.ContinuousAggregateOperator plain)
            live = plain.GroupCount + (_hooks!.TableChanges?.Count ?? 0);
        else if (aggregate is Execution.Operators.Joins.StreamStreamJoinOperator join)
            live = join.RowsHeld;
        else if (aggregate is Execution.Operators.ContinuousStateChain chain)
            live = chain.RowsHeld;
        else if (aggregate is Windows.WindowedAggregateOperator windowed)
            live = windowed.SnapshotWeight;
        else
            return false;
        return replay >= _engine.Options.PersistentSnapshotMinRecords && replay > 2 * live;
    }

    /// <summary>Adds the state changes since the last commit, or (<paramref name="snapshot"/>) the whole state.
    /// </summary>
    private void AppendStateChanges(LogTransaction transaction,
        Execution.Operators.IContinuousAggregate aggregate, bool snapshot)
    {
        var tableRows = _hooks!.TableChanges;
        if (!snapshot && !aggregate.HasChanges && tableRows?.HasChanges != true)
            return;
        _stateBatchesUsed = 0;
        // Over a table the log holds two kinds of entries, told apart by the key's first byte.
        var tagged = tableRows is not null;
        void WriteGroup(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value) =>
            AddStateEntry(tagged ? GroupTag : null, key.Span, value.Span, deleted: false);
        void WriteRow(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, bool deleted) =>
            AddStateEntry(TableRowTag, key.Span, entry.Span, deleted);
        if (snapshot)
        {
            if (aggregate is Execution.Operators.Joins.StreamStreamJoinOperator join)
                join.WriteAll(WriteGroup);
            else if (aggregate is Execution.Operators.ContinuousStateChain chain)
                chain.WriteAll(WriteGroup);
            else if (aggregate is Windows.WindowedAggregateOperator windowed)
                windowed.WriteAll(WriteGroup);
            else
                ((Execution.Operators.ContinuousAggregateOperator)aggregate).WriteAll(WriteGroup);
            tableRows?.WriteAll(WriteRow);
            tableRows?.ClearChanges();
        }
        else
        {
            aggregate.WriteChanges(WriteGroup);
            tableRows?.WriteChanges(WriteRow);
        }
        var partition = StateLog().GetPartition(0);
        for (var i = 0; i < _stateBatchesUsed; i++)
            transaction.Append(partition, _stateBatches[i]);
    }

    // Key tags of a table-source aggregate's state log: a group's accumulators, or a source key's current row.
    private const byte GroupTag = 0;
    private const byte TableRowTag = 1;

    private int _stateBatchesUsed;
    private readonly ArrayBufferWriter<byte> _stateKey = new(64);

    private void AddStateEntry(byte? tag, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool deleted)
    {
        var used = _stateBatchesUsed;
        if (used == 0 || _stateBatches[used - 1].SizeBytes >= StateBatchTargetBytes)
        {
            if (used == _stateBatches.Count)
                _stateBatches.Add(new RecordBatchBuilder(64 << 10));
            _stateBatches[used++].Clear();
            _stateBatchesUsed = used;
        }
        if (tag is { } t)
        {
            _stateKey.ResetWrittenCount();
            _stateKey.GetSpan(1)[0] = t;
            _stateKey.Advance(1);
            _stateKey.Write(key);
            key = _stateKey.WrittenSpan;
        }
        if (deleted)
            _stateBatches[used - 1].AddNullValue(RecordBatchBuilder.UseAppendTime, key, hasKey: true);
        else
            _stateBatches[used - 1].Add(RecordBatchBuilder.UseAppendTime, key, value);
    }

    private PartitionedLog StateLog() => _engine.Logs.TryGetLog(Definition.StateLogName, out var log)
        ? log
        : throw new Errors.SqlException(Errors.SqlState.DataCorrupted,
            $"state log of query {Definition.Id} is missing");

    /// <summary>State log records the last restore read (from the last snapshot on).</summary>
    internal long StateRecordsReplayed { get; private set; }

    /// <summary>Restores a continuous aggregate's groups from its state changelog, from the last snapshot (the
    /// latest entry wins).</summary>
    private void RestoreState()
    {
        if (_hooks!.Aggregate is not { } aggregate)
            return;
        var from = _committed?.StateStartOffset ?? 0;
        if (_hooks.TableChanges is { } tableRows)
        {
            StateRecordsReplayed = QueryCheckpoint.ReplayState(StateLog(), from, (key, value, deleted) =>
            {
                if (key.Length == 0)
                    throw new Errors.SqlException(Errors.SqlState.DataCorrupted,
                        $"state log of query {Definition.Id} holds an entry without a key");
                if (key[0] == TableRowTag)
                    tableRows.Restore(key[1..], value, deleted);
                else
                    aggregate.Restore(key[1..], value);
            });
            tableRows.ClearChanges();
        }
        else
        {
            StateRecordsReplayed = QueryCheckpoint.ReplayState(StateLog(), from,
                (key, value, _) => aggregate.Restore(key, value));
        }
        aggregate.WriteChanges(static (_, _) => { });   // restored groups are already in the log
    }

    /// <summary>Drops an uncommitted window (after a commit, or when the query stops: the restart redoes it).</summary>
    private void AbortPending()
    {
        _having?.Forget();
        _appender?.Dispose();
        _appender = null;
        _transaction?.Dispose();
        _transaction = null;
    }
}
