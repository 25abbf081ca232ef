using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// EXPLODE / CUBE_EXPLODE over projected rows: each input row becomes as many rows as its longest table function
/// result (NULL padding the shorter ones, the other columns repeated); a row whose arrays are all NULL or empty
/// gives none. One input row may fill several output batches, so the position within the input batch and within
/// the current row is kept between calls; the input batch is only asked for again once it is used up.
/// </summary>
public sealed class TableFunctionOperator : RowOperator
{
    private readonly RowOperator _input;
    private readonly int[] _columns;
    private readonly TableFunctionKind[] _kinds;
    private readonly SqlType[] _types;
    private readonly RowBatch _output;
    private RowBatch? _batch;
    private int _row;
    private long _emitted;
    private long _rowCount = -1;
    private bool _ended;

    public TableFunctionOperator(RowOperator input, int[] columns, TableFunctionKind[] kinds, SqlType[] types,
        BatchLimits limits)
    {
        _input = input;
        _columns = columns;
        _kinds = kinds;
        _types = types;
        _output = RowBatch.WithRows(limits.Rows, types.Length);
    }

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        _output.Count = 0;
        while (_output.Count == 0)
        {
            if (_batch is null || _row >= _batch.Count)
            {
                if (_ended)
                    return null;
                _batch = await _input.NextAsync(cancellationToken);
                _row = 0;
                _rowCount = -1;
                if (_batch is null)
                {
                    _ended = true;
                    return null;
                }
                continue;
            }
            if (cancellationToken.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            Fill();
        }
        return _output;
    }

    /// <summary>Emits rows of the current input row (and the next ones) until the output batch is full.</summary>
    private void Fill()
    {
        while (_row < _batch!.Count && _output.Count < _output.Capacity)
        {
            var input = _batch.Rows[_row];
            if (_rowCount < 0)
                _rowCount = RowCount(input);
            if (_emitted >= _rowCount)
            {
                (_row, _emitted, _rowCount) = (_row + 1, 0, -1);
                continue;
            }
            var output = _output.Rows[_output.Count++];
            input.AsSpan(0, output.Length).CopyTo(output);
            for (var f = 0; f < _columns.Length; f++)
            {
                var column = _columns[f];
                var array = input[column].Ref as SqlArray;
                output[column] = _emitted < TableFunctions.RowCount(_kinds[f], array)
                    ? Cell.FromObject(TableFunctions.Result(_kinds[f], array!, _emitted), _types[column])
                    : Cell.Null;
            }
            _emitted++;
        }
    }

    private long RowCount(Cell[] input)
    {
        long count = 0;
        for (var f = 0; f < _columns.Length; f++)
        {
            var array = input[_columns[f]].Ref as SqlArray;
            if (_kinds[f] == TableFunctionKind.CubeExplode && array?.Count > TableFunctions.MaxCubeElements)
                throw new Errors.SqlException(Errors.SqlState.ProgramLimitExceeded,
                    $"CUBE_EXPLODE takes at most {TableFunctions.MaxCubeElements} elements, not {array.Count}");
            count = Math.Max(count, TableFunctions.RowCount(_kinds[f], array));
        }
        return count;
    }

    public override void Dispose()
    {
        _input.Dispose();
        base.Dispose();
    }
}
