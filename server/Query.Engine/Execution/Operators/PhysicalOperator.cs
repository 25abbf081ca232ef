namespace Query.Engine.Execution.Operators;

/// <summary>
/// A running operator: each call returns the next batch, or null at the end of a bounded input. One virtual call
/// moves a whole batch. Operators over a bounded input complete synchronously; over an unbounded one (a push or
/// persistent query) the scan at the bottom awaits new data when it has none, and the await travels up. The
/// batch returned is owned by the operator and valid until its next call.
/// </summary>
public abstract class PhysicalOperator<TBatch> : IDisposable where TBatch : class
{
    public abstract ValueTask<TBatch?> NextAsync(CancellationToken cancellationToken);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>An operator producing undecoded source records (scans, values, filters over records).</summary>
public abstract class RecordOperator : PhysicalOperator<RecordBatch>;

/// <summary>An operator producing computed rows (projections, aggregates, sorts, limits).</summary>
public abstract class RowOperator : PhysicalOperator<RowBatch>;
