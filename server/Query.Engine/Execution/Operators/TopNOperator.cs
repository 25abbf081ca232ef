using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// ORDER BY ... LIMIT n: keeps the best n rows seen so far in a heap whose root is the worst of them, so a row
/// that cannot make the cut costs one comparison and no copy, and memory holds n rows, not the input. The rows
/// come out sorted; the LIMIT above still applies OFFSET and the count.
/// </summary>
/// <param name="input">The rows to order.</param>
/// <param name="comparer">ORDER BY's order.</param>
/// <param name="keep">OFFSET + LIMIT: how many of the first rows can be returned.</param>
/// <param name="limits">Batch sizes.</param>
/// <param name="budget">The query's memory budget, charged for each row the heap holds.</param>
public sealed class TopNOperator(RowOperator input, RowComparer comparer, int keep, BatchLimits limits,
    Limits.QueryMemoryBudget budget) : OrderedRowsOperator(input, comparer, limits, budget)
{
    protected override async ValueTask<List<Cell[]>> OrderAsync(CancellationToken cancellationToken)
    {
        // Max-heap by ORDER BY: the root is the row to evict first.
        var heap = new PriorityQueue<Cell[], Cell[]>(keep, Comparer<Cell[]>.Create((x, y) => Order.Compare(y, x)));
        while (await Input.NextAsync(cancellationToken) is { } batch)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            for (var i = 0; i < batch.Count; i++)
                Offer(heap, batch.Rows[i]);
        }
        var rows = new List<Cell[]>(heap.Count);
        while (heap.TryDequeue(out var row, out _))
            rows.Add(row);
        rows.Reverse();
        return rows;
    }

    private void Offer(PriorityQueue<Cell[], Cell[]> heap, Cell[] row)
    {
        if (heap.Count < keep)
        {
            Budget.Charge(Limits.QueryMemoryBudget.EstimateRow(row) + 8);
            var copy = (Cell[])row.Clone();
            heap.Enqueue(copy, copy);
            return;
        }
        if (keep == 0 || Order.Compare(row, heap.Peek()) >= 0)
            return;
        // Reuse the evicted row's array for the newcomer: no allocation once the heap is full.
        var evicted = heap.Dequeue();
        row.AsSpan().CopyTo(evicted);
        heap.Enqueue(evicted, evicted);
    }
}
