using Query.Engine.Errors;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// The rows of a table for a list of encoded keys (distinct), each looked up in its materialized state after the
/// first call has applied what the changelog committed before (read-your-writes).
/// </summary>
public sealed class KeyLookupOperator : RecordOperator
{
    private readonly State.TableState _table;
    private readonly byte[][] _keys;
    private readonly RecordBatch _batch;
    private readonly ScanStatistics _statistics;
    private int _next;
    private bool _started;

    public KeyLookupOperator(StreamRuntime source, byte[][] keys, ScanStatistics statistics, BatchLimits limits)
    {
        _table = source.Table ?? throw new ArgumentException($"\"{source.Definition.Name}\" is not a table");
        _keys = keys;
        // Sized to the keys: a point lookup must not allocate a full batch per query.
        _batch = new RecordBatch(Math.Max(1, Math.Min(limits.Rows, keys.Length)), limits.Bytes,
            source.CreateCursor(), initialBytes: 1024);
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
        while (_next < _keys.Length)
        {
            _batch.Clear();
            while (_next < _keys.Length && !_batch.IsFull)
                _table.Lookup(_keys[_next++], _batch);
            _statistics.RecordsScanned += _batch.RecordCount;
            if (_batch.Count > 0)
                return new ValueTask<RecordBatch?>(_batch);
        }
        return new ValueTask<RecordBatch?>((RecordBatch?)null);
    }
}
