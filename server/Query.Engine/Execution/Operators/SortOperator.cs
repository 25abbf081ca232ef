using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// ORDER BY: reads its whole (bounded) input, copying each row, sorts, then hands the rows out batch by batch.
/// NULLs order by each key's NULLS FIRST / LAST.
/// </summary>
public sealed class SortOperator : RowOperator
{
    private readonly RowOperator _input;
    private readonly SortKey[] _keys;
    private readonly SqlTypeKind[] _kinds;
    private readonly RowBatch _output;
    private List<Cell[]>? _sorted;
    private int _next;

    public SortOperator(RowOperator input, SortKey[] keys, SqlTypeKind[] kinds, BatchLimits limits)
    {
        _input = input;
        _keys = keys;
        _kinds = kinds;
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
                rows.Add((Cell[])batch.Rows[i].Clone());
        }
        rows.Sort(Compare);
        return rows;
    }

    private int Compare(Cell[] x, Cell[] y)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            var key = _keys[i];
            ref readonly var a = ref x[key.Column];
            ref readonly var b = ref y[key.Column];
            int order;
            if (a.IsNull || b.IsNull)
                order = a.IsNull == b.IsNull ? 0 : (a.IsNull == key.NullsFirst ? -1 : 1);
            else
                order = key.Descending ? -CellComparer.Compare(a, b, _kinds[i]) : CellComparer.Compare(a, b, _kinds[i]);
            if (order != 0)
                return order;
        }
        return 0;
    }

    public override void Dispose()
    {
        _input.Dispose();
        base.Dispose();
    }
}
