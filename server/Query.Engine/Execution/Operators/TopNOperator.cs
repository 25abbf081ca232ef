using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// ORDER BY ... LIMIT n: keeps the best n rows seen so far in a heap whose root is the worst of them, so a row
/// that cannot make the cut costs one comparison and no copy, and memory holds n rows, not the input. The rows
/// come out sorted; the LIMIT above still applies OFFSET and the count.
/// </summary>
public sealed class TopNOperator : RowOperator
{
    private readonly RowOperator _input;
    private readonly RowComparer _comparer;
    private readonly int _keep;
    private readonly Limits.QueryMemoryBudget _budget;
    private readonly RowBatch _output;
    private List<Cell[]>? _sorted;
    private int _next;

    /// <param name="input">The rows to order.</param>
    /// <param name="comparer">ORDER BY's order.</param>
    /// <param name="keep">OFFSET + LIMIT: how many of the first rows can be returned.</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="budget">The query's memory budget, charged for each row the heap holds.</param>
    public TopNOperator(RowOperator input, RowComparer comparer, int keep, BatchLimits limits,
        Limits.QueryMemoryBudget budget)
    {
        _budget = budget;
        _input = input;
        _comparer = comparer;
        _keep = keep;
        _output = new RowBatch(limits.Rows);
    }

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        _sorted ??= await SelectAsync(cancellationToken);
        var count = Math.Min(_output.Capacity, _sorted.Count - _next);
        if (count <= 0)
            return null;
        _sorted.CopyTo(_next, _output.Rows, 0, count);
        _next += count;
        _output.Count = count;
        return _output;
    }

    private async ValueTask<List<Cell[]>> SelectAsync(CancellationToken cancellationToken)
    {
        // Max-heap by ORDER BY: the root is the row to evict first.
        var heap = new PriorityQueue<Cell[], Cell[]>(_keep, Comparer<Cell[]>.Create((x, y) => _comparer.Compare(y,
            x)));
        while (await _input.NextAsync(cancellationToken) is { } batch)
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
        if (heap.Count < _keep)
        {
            _budget.Charge(Limits.QueryMemoryBudget.EstimateRow(row) + 8);
            var copy = (Cell[])row.Clone();
            heap.Enqueue(copy, copy);
            return;
        }
        if (_keep == 0 || _comparer.Compare(row, heap.Peek()) >= 0)
            return;
        // Reuse the evicted row's array for the newcomer: no allocation once the heap is full.
        var evicted = heap.Dequeue();
        row.AsSpan().CopyTo(evicted);
        heap.Enqueue(evicted, evicted);
    }

    public override void Dispose()
    {
        _input.Dispose();
        base.Dispose();
    }
}
