using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// ORDER BY's operators: the first call reads the whole (bounded) input and orders it (<see cref="OrderAsync"/>:
/// every row, or only those a LIMIT can still return), then each call hands out the next batch of the ordered rows.
/// </summary>
public abstract class OrderedRowsOperator : RowOperator
{
    private readonly RowBatch _output;
    private List<Cell[]>? _sorted;
    private int _next;

    protected OrderedRowsOperator(RowOperator input, RowComparer comparer, BatchLimits limits,
        Limits.QueryMemoryBudget budget)
    {
        Budget = budget;
        Input = input;
        Order = comparer;
        _output = new RowBatch(limits.Rows);
    }

    protected RowOperator Input { get; }

    /// <summary>ORDER BY's order.</summary>
    protected RowComparer Order { get; }

    /// <summary>The query's memory budget, charged for each row kept.</summary>
    protected Limits.QueryMemoryBudget Budget { get; }

    /// <summary>Reads the input to its end and returns the rows to hand out, in order (copies: the input reuses
    /// its row arrays).</summary>
    protected abstract ValueTask<List<Cell[]>> OrderAsync(CancellationToken cancellationToken);

    public sealed override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        _sorted ??= await OrderAsync(cancellationToken);
        var count = Math.Min(_output.Capacity, _sorted.Count - _next);
        if (count <= 0)
            return null;
        _sorted.CopyTo(_next, _output.Rows, 0, count);
        _next += count;
        _output.Count = count;
        return _output;
    }

    public override void Dispose()
    {
        Input.Dispose();
        base.Dispose();
    }
}
