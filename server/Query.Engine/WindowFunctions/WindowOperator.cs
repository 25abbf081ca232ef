using Query.Engine.Errors;
using Query.Engine.Execution.Operators;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.WindowFunctions;

/// <summary>
/// Window functions over a bounded input: reads every row (each counted against the query's memory budget and the
/// window's own limit, <see cref="EngineOptions.WindowMaxBytes"/>), sorts row numbers once per distinct
/// PARTITION BY / ORDER BY, computes each function partition by partition, then hands out rows in the order of the
/// last window's sort (as PostgreSQL's rows come out of its last window's sort): the input's pass-through columns
/// and one column per function.
/// </summary>
public sealed class WindowOperator : RowOperator
{
    private readonly RowOperator _input;
    private readonly int _passThrough;
    private readonly BoundWindowFunction[] _functions;
    private readonly SqlTypeKind[] _inputKinds;
    private readonly Limits.QueryMemoryBudget _budget;
    private readonly long _maxBytes;
    private readonly RowBatch _output;
    private List<Cell[]>? _rows;
    private Cell[] _results = [];
    private int[] _order = [];
    private int _next;
    private long _heldBytes;

    // inputKinds: the type of each column of the input row (keys compare by them).
    public WindowOperator(RowOperator input, int passThrough, BoundWindowFunction[] functions,
        SqlTypeKind[] inputKinds, BatchLimits limits, Limits.QueryMemoryBudget budget, long maxBytes)
    {
        _input = input;
        _passThrough = passThrough;
        _functions = functions;
        _inputKinds = inputKinds;
        _budget = budget;
        _maxBytes = maxBytes;
        _output = RowBatch.WithRows(limits.Rows, passThrough + functions.Length);
    }

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (_rows is null)
        {
            _rows = await ReadAllAsync(cancellationToken);
            Compute(cancellationToken);
        }
        var count = Math.Min(_output.Capacity, _rows.Count - _next);
        if (count <= 0)
            return null;
        var width = _functions.Length;
        for (var i = 0; i < count; i++)
        {
            var index = _order[_next + i];
            var output = _output.Rows[i];
            Array.Copy(_rows[index], output, _passThrough);
            Array.Copy(_results, (long)index * width, output, _passThrough, width);
        }
        _next += count;
        _output.Count = count;
        return _output;
    }

    private async ValueTask<List<Cell[]>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var rows = new List<Cell[]>();
        var resultBytes = (long)Limits.QueryMemoryBudget.EstimateRow(new Cell[_functions.Length]);
        while (await _input.NextAsync(cancellationToken) is { } batch)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            for (var i = 0; i < batch.Count; i++)
            {
                // The row, its results and its place in each sort.
                var bytes = Limits.QueryMemoryBudget.EstimateRow(batch.Rows[i]) + resultBytes + 16;
                _heldBytes += bytes;
                if (_heldBytes > _maxBytes)
                    throw TooLarge();
                _budget.Charge(bytes);
                rows.Add((Cell[])batch.Rows[i].Clone());
            }
        }
        return rows;
    }

    private void Compute(CancellationToken cancellationToken)
    {
        var rows = _rows!;
        _results = new Cell[(long)rows.Count * _functions.Length];
        _order = Identity(rows.Count);
        var done = new bool[_functions.Length];
        for (var f = 0; f < _functions.Length; f++)
        {
            if (done[f])
                continue;
            var window = _functions[f];
            var order = Identity(rows.Count);
            SortCancellably(order, window, cancellationToken);
            var evaluator = new WindowPartitionEvaluator(rows, order, window, _inputKinds, _results,
                _functions.Length);
            for (var g = f; g < _functions.Length; g++)
            {
                if (!done[g] && _functions[g].SameWindow(window))
                {
                    evaluator.Compute(_functions[g], g, cancellationToken);
                    done[g] = true;
                }
            }
            _order = order;
        }
    }

    private static int[] Identity(int count)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
            order[i] = i;
        return order;
    }

    /// <summary>Sorts row numbers by partition then order keys; ties keep the input's order.</summary>
    private void SortCancellably(int[] order, BoundWindowFunction window, CancellationToken cancellationToken)
    {
        var keys = new SortKey[window.PartitionBy.Count + window.OrderBy.Count];
        for (var i = 0; i < window.PartitionBy.Count; i++)
            keys[i] = new SortKey(window.PartitionBy[i], false, false);
        for (var i = 0; i < window.OrderBy.Count; i++)
            keys[window.PartitionBy.Count + i] = window.OrderBy[i];
        if (keys.Length == 0)
            return;
        var kinds = new SqlTypeKind[keys.Length];
        for (var i = 0; i < kinds.Length; i++)
            kinds[i] = _inputKinds[keys[i].Column];
        var comparer = new RowComparer(keys, kinds);
        var rows = _rows!;
        var comparisons = 0;
        try
        {
            Array.Sort(order, (x, y) =>
            {
                if ((++comparisons & 4095) == 0 && cancellationToken.IsCancellationRequested)
                    throw SqlException.Canceled();
                var compared = comparer.Compare(rows[x], rows[y]);
                return compared != 0 ? compared : x.CompareTo(y);
            });
        }
        catch (InvalidOperationException e) when (e.InnerException is SqlException inner)
        {
            throw inner;   // Array.Sort wraps what a comparison throws
        }
    }

    private SqlException TooLarge() => new(SqlState.OutOfMemory,
        "out of memory: the rows of a window function exceeded the window memory limit",
        $"the rows, with their window function results, needed more than {_maxBytes:N0} bytes",
        "raise window_max_bytes (--window-max-bytes), or filter the rows with WHERE before the window functions");

    public override void Dispose()
    {
        _input.Dispose();
        base.Dispose();
    }
}
