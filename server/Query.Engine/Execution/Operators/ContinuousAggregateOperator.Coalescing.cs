namespace Query.Engine.Execution.Operators;

/// <summary>
/// A persistent query's aggregate emits each changed group once per commit instead of once per input batch. With
/// many keys nearly every input row changes a group of its own batch, so per-batch emission writes about one sink
/// row per input row; holding the changes until the query is about to commit writes each changed group once, with
/// its latest result (ksqlDB's record cache does the same). The held changes are exactly the groups touched since
/// the last emission (the same stamp that finds a batch's changed groups, advanced per emission instead of per
/// batch), so they are bounded by the groups, which the state budget already bounds.
/// <para>It emits when <see cref="ContinuousQueryHooks.EmitDue"/> says the query is about to commit, when the scan
/// reports with an empty batch that it has caught up (the query commits before the scan waits), and when the input
/// ends. An emission larger than a batch goes out over several calls without reading input in between; the query
/// commits only once <see cref="HasPendingOutput"/> is false, so a commit's offsets never run ahead of its output.
/// </para>
/// </summary>
public sealed partial class ContinuousAggregateOperator
{
    private int _emitNext = -1;   // index into the changed groups of the next one to emit; -1: not emitting
    private bool _inputEnded;

    /// <summary>
    /// Whether groups changed by the input read so far still have to be emitted (coalescing only): the query must
    /// not commit the scan's offsets until they are.
    /// </summary>
    public bool HasPendingOutput => _emitDue is not null && _changedInBatch.Count > 0;

    private async ValueTask<RowBatch?> NextCoalescedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_emitNext >= 0)
                return EmitNextChunk();
            if (_inputEnded)
                return null;
            var batch = await _input.NextAsync(cancellationToken);
            if (batch is null)
            {
                _inputEnded = true;
                if (_changedInBatch.Count > 0)
                    _emitNext = 0;
                continue;
            }
            AccumulateBatch(batch, cancellationToken);
            // An empty batch is the scan saying it has caught up: the query commits next, so emit now.
            if (_changedInBatch.Count > 0 && (batch.RecordCount == 0 || _emitDue!()))
                _emitNext = 0;
        }
    }

    private RowBatch EmitNextChunk()
    {
        var count = Math.Min(_output.Capacity, _changedInBatch.Count - _emitNext);
        var batch = Emit(_emitNext, count);
        _emitNext += count;
        if (_emitNext == _changedInBatch.Count)
        {
            _emitNext = -1;
            _changedInBatch.Clear();
            _batchNumber++;   // a new emission window: every group is unstamped again
        }
        return batch;
    }
}
