using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// ORDER BY without LIMIT: reads its whole (bounded) input, copying each row, sorts, then hands the rows out
/// batch by batch. (With a LIMIT, <see cref="TopNOperator"/> keeps only the rows that can still make it.)
/// </summary>
public sealed class SortOperator : RowOperator
{
    private readonly RowOperator _input;
    private readonly RowComparer _comparer;
    private readonly Limits.QueryMemoryBudget _budget;
    private readonly RowBatch _output;
    private List<Cell[]>? _sorted;
    private int _next;

    public SortOperator(RowOperator input, RowComparer comparer, BatchLimits limits,
        Limits.QueryMemoryBudget budget)
    {
        _budget = budget;
        _input = input;
        _comparer = comparer;
        _output = new RowBatch(limits.Rows);
    }

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        _sorted ??= await SortAllAsync(cancellationToken);
        var count = Math.Min(_output.Capacity, _sorted.Count - _next);
        if (count <= 0)
            return null;
        _sorted.CopyTo(_next, _output.Rows, 0, count);
        _next += count;
        _output.Count = count;
        return _output;
    }

    private async ValueTask<List<Cell[]>> SortAllAsync(CancellationToken cancellationToken)
    {
        var rows = new List<Cell[]>();
        while (await _input.NextAsync(cancellationToken) is { } batch)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            for (var i = 0; i < batch.Count; i++)
            {
                _budget.Charge(Limits.QueryMemoryBudget.EstimateRow(batch.Rows[i]) + 8);
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
                return _comparer.Compare(x, y);
            });
        }
        catch (InvalidOperationException e) when (e.InnerException is SqlException canceled)
        {
            throw canceled;   // List.Sort wraps what a comparison throws
        }
    }

    public override void Dispose()
    {
        _input.Dispose();
        base.Dispose();
    }
}
