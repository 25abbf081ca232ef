namespace Query.Engine.Execution.Operators;

/// <summary>
/// A predicate over computed rows (HAVING, a constant WHERE): rejected rows are swapped behind the kept ones,
/// so the producer's reused row arrays are only reordered, never lost.
/// </summary>
public sealed class RowFilterOperator(RowOperator input, Func<CellRow, bool> predicate) : RowOperator
{
    private readonly CellRow _row = new([]);

    public override ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
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
            pending = input.NextAsync(cancellationToken);
        }
    }

    private bool Apply(RowBatch batch)
    {
        var rows = batch.Rows;
        var kept = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            _row.Cells = rows[i];
            if (!predicate(_row))
                continue;
            (rows[kept], rows[i]) = (rows[i], rows[kept]);
            kept++;
        }
        batch.Count = kept;
        return kept > 0;
    }

    public override void Dispose()
    {
        input.Dispose();
        base.Dispose();
    }
}
