using System.Runtime.CompilerServices;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// WHERE over source records: the compiled predicate runs on each selected record and the selection vector
/// shrinks in place. Only the columns the predicate reads are decoded. Empty batches are not passed up. The loop
/// over a batch is compiled optimized at once (see ScanSource).
/// </summary>
public sealed class RecordFilterOperator(RecordOperator input, Func<RecordCursor, bool> predicate) : RecordOperator
{
    public override ValueTask<RecordBatch?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = input.NextAsync(cancellationToken);
            if (!next.IsCompletedSuccessfully)
                return AwaitAsync(next, cancellationToken);
            var batch = next.Result;
            if (batch is null || batch.RecordCount == 0 || Apply(batch, cancellationToken))
                return new ValueTask<RecordBatch?>(batch);   // an empty batch: a tail scan caught up (EmitDue)
        }
    }

    private async ValueTask<RecordBatch?> AwaitAsync(ValueTask<RecordBatch?> pending,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await pending;
            if (batch is null || batch.RecordCount == 0 || Apply(batch, cancellationToken))
                return batch;
            pending = input.NextAsync(cancellationToken);
        }
    }

    /// <summary>Filters the batch; true when any record is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Apply(RecordBatch batch, CancellationToken cancellationToken)
    {
        var selection = batch.Selection;
        var kept = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            // Per row, not per batch: a predicate may take milliseconds a row, and a cancel must not wait a batch.
            if (cancellationToken.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            // A record with a null value (ContinuousQueryHooks.NullValueRows) never passes a filter over a stream
            // (ksqlDB); over a table it is a delete, and a row that fails the predicate becomes one.
            if (batch.IsNullValue(i))
            {
                if (TableDeletes)
                    selection[kept++] = selection[i];
                continue;
            }
            if (RowError is null ? predicate(batch.Select(i)) : TryPredicate(batch.Select(i)))
            {
                selection[kept++] = selection[i];
            }
            else if (TableDeletes)
            {
                batch.MarkNullValue(i);
                selection[kept++] = selection[i];
            }
        }
        batch.Count = kept;
        return kept > 0;
    }

    /// <summary>
    /// A persistent table projection (CREATE TABLE AS SELECT ... FROM table WHERE ...): rows that fail the predicate
    /// pass on marked as deletes (their key leaves the sink table, as in a Kafka Streams table filter), and deletes
    /// pass on too.
    /// </summary>
    public bool TableDeletes { get; init; }

    /// <summary>Where a persistent query's bad rows go (skipped); null: a bad row fails the query.</summary>
    public Action<RecordCursor, Exception>? RowError { get; init; }

    private bool TryPredicate(RecordCursor row)
    {
        try
        {
            return predicate(row);
        }
        catch (Exception e) when (ContinuousQueryHooks.IsRowError(e))
        {
            RowError!(row, e);
            return false;
        }
    }

    public override void Dispose()
    {
        input.Dispose();
        base.Dispose();
    }
}
