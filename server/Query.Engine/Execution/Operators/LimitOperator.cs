namespace Query.Engine.Execution.Operators;

/// <summary>
/// OFFSET then LIMIT: skips rows, then passes at most the count and stops asking its input (so a push query with
/// LIMIT ends, and a pull query stops scanning).
/// </summary>
public sealed class LimitOperator(RowOperator input, long? count, long offset) : RowSubsetOperator(input)
{
    private long _toSkip = offset;
    private long _remaining = count ?? long.MaxValue;

    protected override bool Exhausted => _remaining <= 0;

    /// <summary>Cuts the batch to the rows after the offset and within the limit; true when any is left.</summary>
    protected override bool Apply(RowBatch batch)
    {
        var skip = (int)Math.Min(_toSkip, batch.Count);
        _toSkip -= skip;
        var rows = batch.Rows;
        var take = (int)Math.Min(_remaining, batch.Count - skip);
        for (var i = 0; i < take && skip > 0; i++)
            (rows[i], rows[skip + i]) = (rows[skip + i], rows[i]);
        batch.Count = take;
        _remaining -= take;
        return take > 0;
    }
}
