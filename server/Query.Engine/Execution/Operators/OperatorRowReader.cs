using Query.Engine.Binding;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// The client's view of a running operator tree: rows of the root's batches, one at a time. The visible columns
/// may be fewer than the root's (ORDER BY's hidden trailing columns are not shown).
/// </summary>
public sealed class OperatorRowReader : RowReader
{
    private readonly RowOperator _root;
    private RowBatch? _batch;
    private int _next;
    private bool _done;

    public OperatorRowReader(RowOperator root, IReadOnlyList<ColumnInfo> columns, ScanStatistics statistics)
        : base(columns, statistics) => _root = root;

    protected override ValueTask<bool> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_batch is not null && _next < _batch.Count)
            {
                Current = _batch.Rows[_next++];
                RowCount++;
                return ValueTask.FromResult(true);
            }
            if (_done)
                return ValueTask.FromResult(false);
            var next = _root.NextAsync(cancellationToken);
            if (!next.IsCompletedSuccessfully)
                return AwaitBatchAsync(next, cancellationToken);
            Advance(next.Result);
        }
    }

    private async ValueTask<bool> AwaitBatchAsync(ValueTask<RowBatch?> pending, CancellationToken cancellationToken)
    {
        Advance(await pending);
        return await ReadCoreAsync(cancellationToken);
    }

    private void Advance(RowBatch? batch)
    {
        _batch = batch;
        _next = 0;
        if (batch is null)
        {
            _done = true;
            _root.Dispose();
        }
    }

    public override ValueTask DisposeAsync()
    {
        _root.Dispose();
        return base.DisposeAsync();
    }
}
