using Query.Engine.Errors;
using Query.Engine.Planning;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// A bounded scan: the records of a <see cref="ScanPlan"/> (a snapshot taken when the query started).
/// </summary>
public sealed class ScanOperator : RecordOperator
{
    private readonly ScanSource _source;
    private readonly RecordCursor _cursor;
    private readonly Func<RecordBatch> _batch;   // the batch refilled from the log, made when first needed
    private RecordBatch? _ownBatch;
    private bool _done;

    /// <param name="plan">What to read.</param>
    /// <param name="statistics">Where the reads are counted.</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="predicate">The WHERE above the scan, evaluated as each record is read (see
    /// <see cref="ScanSource.Predicate"/>); null: every record.</param>
    /// <param name="cache">Where records the hot log's ranges were read as are kept (null: none); used only when a
    /// chunk fits in a batch of <paramref name="limits"/>.</param>
    public ScanOperator(ScanPlan plan, ScanStatistics statistics, BatchLimits limits,
        Func<RecordCursor, bool>? predicate = null, ScanCache? cache = null)
        : this(plan, statistics, limits, predicate, cache, prefilter: null)
    {
    }

    /// <summary>As the public constructor, with the comparisons of the WHERE that kept chunks run first.</summary>
    /// <param name="plan">What to read.</param>
    /// <param name="statistics">Where the reads are counted.</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="predicate">The WHERE above the scan.</param>
    /// <param name="cache">Where the hot log's records are kept (null: none).</param>
    /// <param name="prefilter">Comparisons taken from <paramref name="predicate"/>'s WHERE, for kept chunks.</param>
    internal ScanOperator(ScanPlan plan, ScanStatistics statistics, BatchLimits limits,
        Func<RecordCursor, bool>? predicate, ScanCache? cache, ScanPrefilter? prefilter)
    {
        _source = new ScanSource(plan, statistics, cache?.ChunkRecords <= limits.Rows ? cache : null)
        {
            Predicate = predicate,
            Prefilter = predicate is null ? null : prefilter,
        };
        _cursor = plan.Stream.CreateCursor();
        _batch = () => _ownBatch ??= new RecordBatch(limits.Rows, limits.Bytes, _cursor);
    }

    public override ValueTask<RecordBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            throw SqlException.Canceled();
        _source.CancellationToken = cancellationToken;
        var batch = _done ? null : _source.Next(_cursor, _batch);
        if (batch is null)
        {
            _done = true;
            _source.Dispose();
        }
        return new ValueTask<RecordBatch?>(batch);
    }

    public override void Dispose()
    {
        _source.Dispose();
        base.Dispose();
    }
}
