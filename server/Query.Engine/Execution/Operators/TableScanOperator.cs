namespace Query.Engine.Execution.Operators;

/// <summary>
/// Every row of a table from its materialized state: the first call applies what the changelog committed before
/// (read-your-writes), then each call copies the next entries into the batch. Rows written while the scan runs may
/// or may not be seen; a row that lives throughout is seen exactly once.
/// </summary>
public sealed class TableScanOperator(StreamRuntime source, ScanStatistics statistics, BatchLimits limits)
    : TableStateOperator(TableOf(source), new RecordBatch(limits.Rows, limits.Bytes, source.CreateCursor()), statistics)
{
    private long _position;

    protected override bool Fill(RecordBatch batch) => Table.Fill(ref _position, batch);
}
