namespace Query.Engine.Execution.Operators;

/// <summary>
/// A predicate over computed rows (HAVING, a constant WHERE): rejected rows are swapped behind the kept ones,
/// so the producer's reused row arrays are only reordered, never lost.
/// </summary>
public sealed class RowFilterOperator(RowOperator input, Func<CellRow, bool> predicate) : RowSubsetOperator(input)
{
    private readonly CellRow _row = new([]);

    protected override bool Apply(RowBatch batch)
    {
        var rows = batch.Rows;
        var kept = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            _row.Cells = rows[i];
            if (!predicate(_row))
                continue;
            (rows[kept], rows[i]) = (rows[i], rows[kept]);
            kept++;
        }
        batch.Count = kept;
        return kept > 0;
    }
}
