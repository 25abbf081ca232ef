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
        _output = RowBatch.WithRows(limits.Rows, width);
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
        var rows = _output.Rows;
        for (var i = 0; i < batch.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            _projection(batch.Select(i), rows[i]);
        }
        _output.Count = batch.Count;
        return _output;
    }

    public override void Dispose()
    {
        _input.Dispose();
        base.Dispose();
    }
}
