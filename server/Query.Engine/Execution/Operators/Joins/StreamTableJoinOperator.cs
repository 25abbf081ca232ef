using Query.Engine.Errors;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// A stream joined with a table in a push or persistent query: for each stream record the compiled projection
/// decodes the stream's columns and computes the join key; the key, encoded as the table's writers encode it, is
/// looked up in the table's materialized state (brought up to date with the table's changelog before each batch);
/// the table row found, or NULLs for a LEFT join, completes the output row, which ends with the stream record's
/// ROWTIME. Each input batch becomes one output batch (at most one table row per key), so a persistent query's
/// committed scan offsets always match its output.
/// <para><b>Multi-way joins.</b> The stream may also be the joined rows of the join before this one (their
/// columns, then ROWTIME): the key is then computed from such a row, and the output row keeps its ROWTIME.</para>
/// </summary>
public sealed class StreamTableJoinOperator : RowOperator, IStreamingJoinInput
{
    private readonly RecordOperator? _stream;
    private readonly RowOperator? _rows;
    private readonly Action<CellRow, Cell[]>? _rowKey;
    private readonly CellRow _inputRow = new([]);
    private readonly StreamRuntime _table;
    private readonly State.TableState _state;
    private readonly Action<RecordCursor, Cell[]>? _streamRow;
    private readonly Action<RecordCursor, Cell[]> _tableRow;
    private readonly Func<CellRow, bool>? _condition;
    private readonly JoinType _type;
    private readonly int _streamWidth;
    private readonly int _tableWidth;
    private readonly RowBatch _output;
    private readonly RecordBatch _found;
    private readonly Cell[] _keyRow;
    private readonly Cell[] _streamScratch;
    private readonly Cell[] _tableScratch;
    private readonly CellRow _joined = new([]);
    private readonly Cell[] _keyCell = new Cell[1];
    private readonly Action<RecordCursor, Exception>? _rowError;

    /// <param name="stream">The stream's records (a tail scan).</param>
    /// <param name="table">The table.</param>
    /// <param name="streamRow">Writes the stream's columns, then the join key (in the table key's type).</param>
    /// <param name="tableRow">Writes the table's columns from a record of its state.</param>
    /// <param name="condition">The rest of ON, over the joined row (null: none).</param>
    /// <param name="type">INNER or LEFT.</param>
    /// <param name="streamWidth">The stream's column count.</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="rowError">Where a persistent query's bad rows go (null: a bad row fails the query).</param>
    public StreamTableJoinOperator(RecordOperator stream, StreamRuntime table, Action<RecordCursor, Cell[]> streamRow,
        Action<RecordCursor, Cell[]> tableRow, Func<CellRow, bool>? condition, JoinType type, int streamWidth,
        BatchLimits limits, Action<RecordCursor, Exception>? rowError)
        : this(table, tableRow, condition, type, streamWidth, limits, rowError)
    {
        _stream = stream;
        _streamRow = streamRow;
    }

    /// <summary>A multi-way join's step: the rows of the join before it joined with a table.</summary>
    /// <param name="rows">The join before this one (its rows: <paramref name="streamWidth"/> columns, then
    /// ROWTIME); it reads as an <see cref="IStreamingJoinInput"/> too.</param>
    /// <param name="table">The table.</param>
    /// <param name="rowKey">Writes the join key of one of its rows (in the table key's type) into a one-cell
    /// array.</param>
    /// <param name="tableRow">Writes the table's columns from a record of its state.</param>
    /// <param name="condition">The rest of ON, over the joined row (null: none).</param>
    /// <param name="type">INNER or LEFT.</param>
    /// <param name="streamWidth">The input's column count (before its ROWTIME).</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="rowError">Set in a persistent query: a row whose key fails is dropped (else the query fails).
    /// </param>
    internal StreamTableJoinOperator(RowOperator rows, StreamRuntime table, Action<CellRow, Cell[]> rowKey,
        Action<RecordCursor, Cell[]> tableRow, Func<CellRow, bool>? condition, JoinType type, int streamWidth,
        BatchLimits limits, Action<RecordCursor, Exception>? rowError)
        : this(table, tableRow, condition, type, streamWidth, limits, rowError)
    {
        _rows = rows;
        _rowKey = rowKey;
    }

    private StreamTableJoinOperator(StreamRuntime table, Action<RecordCursor, Cell[]> tableRow,
        Func<CellRow, bool>? condition, JoinType type, int streamWidth, BatchLimits limits,
        Action<RecordCursor, Exception>? rowError)
    {
        _table = table;
        _state = table.Table ?? throw new ArgumentException($"\"{table.Definition.Name}\" is not a table");
        _tableRow = tableRow;
        _condition = condition;
        _type = type;
        _streamWidth = streamWidth;
        _tableWidth = table.Types.Length;
        _rowError = rowError;
        _output = RowBatch.WithRows(limits.Rows, streamWidth + _tableWidth + 1);
        _streamScratch = new Cell[streamWidth + 1];
        _tableScratch = new Cell[_tableWidth];
        _found = new RecordBatch(1, limits.Bytes, table.CreateCursor(), initialBytes: 1024);
        _keyRow = new Cell[_tableWidth];
        _keyRow.AsSpan().Fill(Cell.Null);
    }

    /// <summary>
    /// A windowed stream joined with a windowed table: the columns of the stream row (or of the joined row before
    /// this step) that hold its window's bounds. The lookup is then by the key and that window (Kafka Streams looks
    /// the windowed key up), so a row matches only the table's row of its own window.
    /// </summary>
    internal (int Start, int End)? StreamWindow { get; init; }

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (_rows is not null)
            return await _rows.NextAsync(cancellationToken) is { } rows ? JoinRows(rows, cancellationToken) : null;
        return await _stream!.NextAsync(cancellationToken) is { } batch ? JoinRecords(batch, cancellationToken) : null;
    }

    public RowBatch? ReadAvailable(CancellationToken cancellationToken)
    {
        if (_rows is not null)
        {
            return ((IStreamingJoinInput)_rows).ReadAvailable(cancellationToken) is { } rows
                ? JoinRows(rows, cancellationToken) : null;
        }
        return ((TailScanOperator)_stream!).ReadAvailable() is { } batch ? JoinRecords(batch, cancellationToken) : null;
    }

    public ValueTask WaitForDataAsync(CancellationToken cancellationToken) => _rows is not null
        ? ((IStreamingJoinInput)_rows).WaitForDataAsync(cancellationToken)
        : ((TailScanOperator)_stream!).WaitForDataAsync(cancellationToken);

    private RowBatch JoinRecords(RecordBatch batch, CancellationToken cancellationToken)
    {
        _state.CatchUp(cancellationToken);
        _output.Count = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            var record = batch.Select(i);
            try
            {
                _streamRow!(record, _streamScratch);
                if (Join(record.TimestampMs, _output.Rows[_output.Count]))
                    _output.Count++;
            }
            catch (Exception e) when (_rowError is not null && ContinuousQueryHooks.IsRowError(e))
            {
                _rowError(batch.Select(i), e);
            }
        }
        return _output;
    }

    // A bad key of a joined row (a failed cast) fails the query only without a persistent query's row handling:
    // the row has no record of its own to report, so it is dropped.
    private RowBatch JoinRows(RowBatch rows, CancellationToken cancellationToken)
    {
        _state.CatchUp(cancellationToken);
        _output.Count = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            var input = rows.Rows[i];
            _inputRow.Cells = input;
            try
            {
                Array.Copy(input, _streamScratch, _streamWidth);
                _rowKey!(_inputRow, _keyCell);
                _streamScratch[_streamWidth] = _keyCell[0];
            }
            catch (Exception e) when (_rowError is not null && ContinuousQueryHooks.IsRowError(e))
            {
                continue;
            }
            if (Join(input[_streamWidth].Bits, _output.Rows[_output.Count]))
                _output.Count++;
        }
        return _output;
    }

    /// <summary>Builds the joined row of the stream row in the scratch (its columns, then the key); false when the
    /// join drops it.</summary>
    private bool Join(long timestampMs, Cell[] row)
    {
        Array.Copy(_streamScratch, row, _streamWidth);
        row[_streamWidth + _tableWidth] = Cell.FromInt64(timestampMs);
        var matched = false;
        ref readonly var key = ref _streamScratch[_streamWidth];
        if (!key.IsNull)
        {
            _keyRow[_table.Definition.KeyColumn] = key;
            if (StreamWindow is var (start, end))
            {
                _keyRow[_table.Definition.WindowStartColumn] = _streamScratch[start];
                _keyRow[_table.Definition.WindowEndColumn] = _streamScratch[end];
            }
            _found.Clear();
            if (KeyEncoding.Encode(_table, _keyRow) is { } encoded && _state.Lookup(encoded, _found)
                && _found.Count > 0)
            {
                _tableRow(_found.Select(0), _tableScratch);
                Array.Copy(_tableScratch, 0, row, _streamWidth, _tableWidth);
                _joined.Cells = row;
                matched = _condition is null || _condition(_joined);
            }
        }
        if (matched)
            return true;
        if (_type != JoinType.Left)
            return false;
        Array.Fill(row, Cell.Null, _streamWidth, _tableWidth);
        return true;
    }

    public override void Dispose()
    {
        _stream?.Dispose();
        _rows?.Dispose();
        base.Dispose();
    }
}
