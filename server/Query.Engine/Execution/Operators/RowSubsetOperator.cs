namespace Query.Engine.Execution.Operators;

/// <summary>
/// An operator that passes on some rows of each input batch, cut in place (<see cref="Apply"/>): a batch left
/// empty is not passed on, the next one is asked for instead. Once <see cref="Exhausted"/> it stops asking its
/// input.
/// </summary>
public abstract class RowSubsetOperator(RowOperator input) : RowOperator
{
    /// <summary>Whether no row can pass any more (a LIMIT reached).</summary>
    protected virtual bool Exhausted => false;

    /// <summary>Cuts <paramref name="batch"/> to the rows that pass (the producer's reused row arrays are only
    /// reordered, never lost); true when any is left.</summary>
    protected abstract bool Apply(RowBatch batch);

    public sealed override ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Exhausted)
                return new ValueTask<RowBatch?>((RowBatch?)null);
            var next = input.NextAsync(cancellationToken);
            if (!next.IsCompletedSuccessfully)
                return AwaitAsync(next, cancellationToken);
            var batch = next.Result;
            if (batch is null || Apply(batch))
                return new ValueTask<RowBatch?>(batch);
        }
    }

    private async ValueTask<RowBatch?> AwaitAsync(ValueTask<RowBatch?> pending, CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await pending;
            if (batch is null || Apply(batch))
                return batch;
            if (Exhausted)
                return null;
            pending = input.NextAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        input.Dispose();
        base.Dispose();
    }
}
