using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// SELECT list over source records: the compiled projection writes each selected record's output cells into the
/// operator's reused rows, decoding only the columns it reads.
/// </summary>
public sealed class RecordProjectOperator : RowOperator
{
    private readonly RecordOperator _input;
    private readonly Action<RecordCursor, Cell[]> _projection;
    private readonly RowBatch _output;

    public RecordProjectOperator(RecordOperator input, Action<RecordCursor, Cell[]> projection, int width,
        BatchLimits limits)
    {
        _input = input;
        _projection = projection;
        // A SELECT without FROM projects its one row: a batch's worth of row slots (8 KiB for 1,024) would be
        // allocated and zeroed on every such statement (bench server-statement-cost: 7.8 of SELECT 1's 11.5 KB).
        _output = RowBatch.Lazy(input is ValuesOperator ? 1 : limits.Rows, width);
    }

    public override ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        var next = _input.NextAsync(cancellationToken);
        return next.IsCompletedSuccessfully
            ? new ValueTask<RowBatch?>(Project(next.Result, cancellationToken))
            : AwaitAsync(next, cancellationToken);
    }

    private async ValueTask<RowBatch?> AwaitAsync(ValueTask<RecordBatch?> pending,
        CancellationToken cancellationToken) => Project(await pending, cancellationToken);

    private RowBatch? Project(RecordBatch? batch, CancellationToken cancellationToken)
    {
        if (batch is null)
            return null;
        _output.EnsureRows(batch.Count);
        var rows = _output.Rows;
        if (RowError is not null)
            return ProjectSkippingBadRows(batch, cancellationToken);
        for (var i = 0; i < batch.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            _projection(batch.Select(i), rows[i]);
            _output.SetNullValue(i, batch.IsNullValue(i));
        }
        _output.Count = batch.Count;
        return _output;
    }

    /// <summary>Where a persistent query's bad rows go (skipped); null: a bad row fails the query.</summary>
    public Action<RecordCursor, Exception>? RowError { get; init; }

    private RowBatch ProjectSkippingBadRows(RecordBatch batch, CancellationToken cancellationToken)
    {
        var rows = _output.Rows;
        var count = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            var row = batch.Select(i);
            try
            {
                _projection(row, rows[count]);
                _output.SetNullValue(count, batch.IsNullValue(i));
                count++;
            }
            catch (Exception e) when (ContinuousQueryHooks.IsRowError(e))
            {
                RowError!(row, e);
            }
        }
        _output.Count = count;
        return _output;
    }

    public override void Dispose()
    {
        _input.Dispose();
        base.Dispose();
    }
}
