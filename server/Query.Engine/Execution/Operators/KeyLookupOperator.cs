namespace Query.Engine.Execution.Operators;

/// <summary>
/// The rows of a table for a list of encoded keys (distinct), each looked up in its materialized state after the
/// first call has applied what the changelog committed before (read-your-writes).
/// </summary>
public sealed class KeyLookupOperator : TableStateOperator
{
    private readonly byte[][] _keys;
    private int _next;

    public KeyLookupOperator(StreamRuntime source, byte[][] keys, ScanStatistics statistics, BatchLimits limits)
        // Sized to the keys: a point lookup must not allocate a full batch per query.
        : base(TableOf(source), new RecordBatch(Math.Max(1, Math.Min(limits.Rows, keys.Length)), limits.Bytes,
            source.CreateCursor(), initialBytes: 1024), statistics)
    {
        _keys = keys;
    }

    protected override bool Fill(RecordBatch batch)
    {
        while (_next < _keys.Length && !batch.IsFull)
            Table.Lookup(_keys[_next++], batch);
        return _next < _keys.Length;
    }
}
