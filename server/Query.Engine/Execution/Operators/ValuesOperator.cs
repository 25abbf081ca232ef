using Query.Engine.Format;

namespace Query.Engine.Execution.Operators;

/// <summary>One record without columns, once: the input of a SELECT without FROM.</summary>
public sealed class ValuesOperator : RecordOperator
{
    private static readonly byte[] EmptyRow = [BinaryRowFormat.Version, 0, 0];
    private readonly RecordBatch _batch = new(1, EmptyRow.Length, new RecordCursor([], [], null));
    private bool _done;

    public override ValueTask<RecordBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (_done)
            return new ValueTask<RecordBatch?>((RecordBatch?)null);
        _done = true;
        _batch.Clear();
        _batch.Add([], false, EmptyRow, 0, 0, 0);
        return new ValueTask<RecordBatch?>(_batch);
    }
}
