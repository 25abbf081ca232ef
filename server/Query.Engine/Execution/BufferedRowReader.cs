using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>Rows computed up front (SHOW, DESCRIBE, aggregations, ORDER BY, SELECT without FROM).</summary>
public sealed class BufferedRowReader : RowReader
{
    private readonly IReadOnlyList<Cell[]> _rows;
    private int _next;

    public BufferedRowReader(IReadOnlyList<ColumnInfo> columns, IReadOnlyList<Cell[]> rows) : base(columns) =>
        _rows = rows;

    protected override ValueTask<bool> ReadCoreAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            throw SqlException.Canceled();
        if (_next >= _rows.Count)
            return ValueTask.FromResult(false);
        Current = _rows[_next++];
        RowCount++;
        return ValueTask.FromResult(true);
    }

    /// <summary>Builds a text/number table row by row (for SHOW and DESCRIBE output).</summary>
    public static Cell[] Row(params object?[] values)
    {
        var cells = new Cell[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            cells[i] = values[i] switch
            {
                null => Cell.Null,
                int v => Cell.FromInt64(v),
                long v => Cell.FromInt64(v),
                bool v => Cell.FromInt64(v ? 1 : 0),
                var v => Cell.FromRef(v),
            };
        }
        return cells;
    }
}
