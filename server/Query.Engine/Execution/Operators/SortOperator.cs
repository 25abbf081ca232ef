using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// ORDER BY without LIMIT: reads its whole (bounded) input, copying each row, sorts, then hands the rows out
/// batch by batch. (With a LIMIT, <see cref="TopNOperator"/> keeps only the rows that can still make it.)
/// </summary>
public sealed class SortOperator(RowOperator input, RowComparer comparer, BatchLimits limits,
    Limits.QueryMemoryBudget budget) : OrderedRowsOperator(input, comparer, limits, budget)
{
    protected override async ValueTask<List<Cell[]>> OrderAsync(CancellationToken cancellationToken)
    {
        var rows = new List<Cell[]>();
        while (await Input.NextAsync(cancellationToken) is { } batch)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            for (var i = 0; i < batch.Count; i++)
            {
                Budget.Charge(Limits.QueryMemoryBudget.EstimateRow(batch.Rows[i]) + 8);
                rows.Add((Cell[])batch.Rows[i].Clone());
            }
        }
        SortCancellably(rows, cancellationToken);
        return rows;
    }

    /// <summary>
    /// A sort of millions of rows runs for seconds inside List.Sort; a comparison is where it can stop.
    /// </summary>
    private void SortCancellably(List<Cell[]> rows, CancellationToken cancellationToken)
    {
        var comparisons = 0;
        try
        {
            rows.Sort((x, y) =>
            {
                if ((++comparisons & 4095) == 0 && cancellationToken.IsCancellationRequested)
                    throw SqlException.Canceled();
                return Order.Compare(x, y);
            });
        }
        catch (InvalidOperationException e) when (e.InnerException is SqlException canceled)
        {
            throw canceled;   // List.Sort wraps what a comparison throws
        }
    }
}
