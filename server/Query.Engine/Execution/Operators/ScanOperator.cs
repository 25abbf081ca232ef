using Query.Engine.Errors;
using Query.Engine.Planning;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// A bounded scan: the records of a <see cref="ScanPlan"/> (a snapshot taken when the query started).
/// </summary>
public sealed class ScanOperator : RecordOperator
{
    private readonly ScanSource _source;
    private readonly RecordBatch _batch;
    private bool _done;

    /// <param name="plan">What to read.</param>
    /// <param name="statistics">Where the reads are counted.</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="predicate">The WHERE above the scan, evaluated as each record is read (see
    /// <see cref="ScanSource.Predicate"/>); null: every record.</param>
    public ScanOperator(ScanPlan plan, ScanStatistics statistics, BatchLimits limits,
        Func<RecordCursor, bool>? predicate = null)
    {
        _source = new ScanSource(plan, statistics) { Predicate = predicate };
        _batch = new RecordBatch(limits.Rows, limits.Bytes, plan.Stream.CreateCursor());
    }

    public override ValueTask<RecordBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            throw SqlException.Canceled();
        _source.CancellationToken = cancellationToken;
        if (_done || !_source.Fill(_batch))
        {
            _done = true;
            _source.Dispose();
            return new ValueTask<RecordBatch?>((RecordBatch?)null);
        }
        return new ValueTask<RecordBatch?>(_batch);
    }

    public override void Dispose()
    {
        _source.Dispose();
        base.Dispose();
    }
}
