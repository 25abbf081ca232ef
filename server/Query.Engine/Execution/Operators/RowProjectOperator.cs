using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>A SELECT list over computed rows (after an aggregation), into the operator's reused rows.</summary>
public sealed class RowProjectOperator : RowOperator
{
    private readonly RowOperator _input;
    private readonly Action<CellRow, Cell[]> _projection;
    private readonly RowBatch _output;
    private readonly CellRow _row = new([]);

    public RowProjectOperator(RowOperator input, Action<CellRow, Cell[]> projection, int width, BatchLimits limits)
    {
        _input = input;
        _projection = projection;
        _output = RowBatch.Lazy(limits.Rows, width);
    }

    public override ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        var next = _input.NextAsync(cancellationToken);
        return next.IsCompletedSuccessfully ? new ValueTask<RowBatch?>(Project(next.Result)) : AwaitAsync(next);
    }

    private async ValueTask<RowBatch?> AwaitAsync(ValueTask<RowBatch?> pending) => Project(await pending);

    private RowBatch? Project(RowBatch? batch)
    {
        if (batch is null)
            return null;
        _output.EnsureRows(batch.Count);
        var output = _output.Rows;
        // Every operator batches by the same BatchLimits.Rows, so the input never holds more rows than the output.
        for (var i = 0; i < batch.Count; i++)
        {
            _row.Cells = batch.Rows[i];
            _projection(_row, output[i]);
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
