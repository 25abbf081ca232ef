using Query.Engine.Errors;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// Every row of a table from its materialized state: the first call applies what the changelog committed before
/// (read-your-writes), then each call copies the next entries into the batch. Rows written while the scan runs may
/// or may not be seen; a row that lives throughout is seen exactly once.
/// </summary>
public sealed class TableScanOperator : RecordOperator
{
    private readonly State.TableState _table;
    private readonly RecordBatch _batch;
    private readonly ScanStatistics _statistics;
    private long _position;
    private bool _started;
    private bool _done;

    public TableScanOperator(StreamRuntime source, ScanStatistics statistics, BatchLimits limits)
    {
        _table = source.Table ?? throw new ArgumentException($"\"{source.Definition.Name}\" is not a table");
        _batch = new RecordBatch(limits.Rows, limits.Bytes, source.CreateCursor());
        _statistics = statistics;
    }

    public override ValueTask<RecordBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            throw SqlException.Canceled();
        if (!_started)
        {
            _started = true;
            _table.CatchUp(cancellationToken);
        }
        while (!_done)
        {
            _batch.Clear();
            _done = !_table.Fill(ref _position, _batch);
            _statistics.RecordsScanned += _batch.RecordCount;
            if (_batch.Count > 0)
                return new ValueTask<RecordBatch?>(_batch);
        }
        return new ValueTask<RecordBatch?>((RecordBatch?)null);
    }
}
