using Query.Engine.Errors;
using Query.Engine.Limits;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Sets;

/// <summary>
/// A recursive WITH query: on the first call it runs the anchor, then the recursive term over the previous
/// iteration's new rows (put in the <see cref="WorkTable"/>, which the term's scan reads) until an iteration adds
/// none, keeping every row (charged to the query's memory budget); then it hands the rows out in batches. At most
/// <c>maxIterations</c> iterations: past them the query fails with 54001 naming the setting, so a recursion that
/// never ends cannot hold a core.
/// </summary>
internal sealed class RecursiveUnionOperator(Func<OperatorContext, RowOperator> anchor,
    Func<OperatorContext, RowOperator> recursive, WorkTable workTable, bool all, int maxIterations,
    OperatorContext context) : RowOperator
{
    private readonly int _width = workTable.Columns.Count;
    private List<Cell[]>? _rows;
    private int _next;
    private RowBatch? _output;

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        _rows ??= await RunAsync(cancellationToken);
        if (_next >= _rows.Count)
            return null;
        _output ??= new RowBatch(context.Limits.Rows);
        _output.Count = 0;
        while (_next < _rows.Count && _output.Count < _output.Capacity)
            _output.Rows[_output.Count++] = _rows[_next++];
        return _output;
    }

    private async ValueTask<List<Cell[]>> RunAsync(CancellationToken cancellationToken)
    {
        var seen = all ? null : new HashSet<Cell[]>(new RowKeyComparer(RowKeyComparer.KindsOf(workTable.Columns)));
        var result = new List<Cell[]>();
        var fresh = await ReadAsync(anchor(context), seen, result, cancellationToken);
        for (var iteration = 1; fresh.Count > 0; iteration++)
        {
            if (iteration > maxIterations)
                throw new SqlException(SqlState.StatementTooComplex,
                    $"recursive query \"{workTable.Name}\" did not end within {maxIterations} iterations",
                    hint: "Raise the RecursionMaxIterations setting, or give the recursive term a condition that "
                        + "ends it.");
            workTable.Rows = fresh;
            fresh = await ReadAsync(recursive(context), seen, result, cancellationToken);
        }
        workTable.Rows = [];
        return result;
    }

    /// <summary>Reads one term's rows; the new ones (all of them with UNION ALL) join the result.</summary>
    private async ValueTask<List<Cell[]>> ReadAsync(RowOperator input, HashSet<Cell[]>? seen, List<Cell[]> result,
        CancellationToken cancellationToken)
    {
        var fresh = new List<Cell[]>();
        using (input)
        {
            while (await input.NextAsync(cancellationToken) is { } batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var copy = new Cell[Math.Max(1, _width)];
                    Array.Copy(batch.Rows[i], copy, _width);
                    if (seen is not null && !seen.Add(copy))
                        continue;
                    context.Budget.Charge(QueryMemoryBudget.EstimateRow(copy));
                    fresh.Add(copy);
                    result.Add(copy);
                }
            }
        }
        return fresh;
    }
}

/// <summary>Hands out the rows of a <see cref="WorkTable"/> as they are when the scan starts.</summary>
internal sealed class WorkTableScanOperator(WorkTable workTable, BatchLimits limits) : RowOperator
{
    private readonly List<Cell[]> _rows = workTable.Rows;
    private readonly RowBatch _output = new(limits.Rows);
    private int _next;

    public override ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (_next >= _rows.Count)
            return ValueTask.FromResult<RowBatch?>(null);
        _output.Count = 0;
        while (_next < _rows.Count && _output.Count < _output.Capacity)
            _output.Rows[_output.Count++] = _rows[_next++];
        return ValueTask.FromResult<RowBatch?>(_output);
    }
}
