using Query.Engine.Errors;
using Query.Engine.State;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// Reads a table's materialized state batch by batch: the first call applies what the changelog committed before
/// (read-your-writes), then each call clears the batch, lets <see cref="Fill"/> copy the next rows into it and counts
/// them as scanned. A table scan, a lookup by key and a windowed lookup by key differ only in that fill step.
/// </summary>
public abstract class TableStateOperator : RecordOperator
{
    private readonly RecordBatch _batch;
    private readonly ScanStatistics _statistics;
    private bool _started;
    private bool _done;

    protected TableStateOperator(TableState table, RecordBatch batch, ScanStatistics statistics)
    {
        Table = table;
        _batch = batch;
        _statistics = statistics;
    }

    protected TableState Table { get; }

    /// <summary>The source's table; an <see cref="ArgumentException"/> when it is a stream.</summary>
    protected static TableState TableOf(StreamRuntime source) =>
        source.Table ?? throw new ArgumentException($"\"{source.Definition.Name}\" is not a table");

    /// <summary>Copies the next rows into <paramref name="batch"/> (cleared, not full); false when none are left
    /// after them.</summary>
    protected abstract bool Fill(RecordBatch batch);

    public sealed override ValueTask<RecordBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            throw SqlException.Canceled();
        if (!_started)
        {
            _started = true;
            Table.CatchUp(cancellationToken);
        }
        while (!_done)
        {
            _batch.Clear();
            _done = !Fill(_batch);
            _statistics.RecordsScanned += _batch.RecordCount;
            if (_batch.Count > 0)
                return new ValueTask<RecordBatch?>(_batch);
        }
        return new ValueTask<RecordBatch?>((RecordBatch?)null);
    }
}
