using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>One row a stream-stream join holds: a side's columns followed by its join key, and its time.</summary>
internal sealed class BufferedJoinRow(long id, bool isLeft, long timestampMs, Cell[] cells)
{
    /// <summary>Arrival number (unique within the query, kept across restarts): the row's state log key.</summary>
    public long Id { get; } = id;

    public bool IsLeft { get; } = isLeft;

    public long TimestampMs { get; } = timestampMs;

    public Cell[] Cells { get; } = cells;

    /// <summary>Whether the row has joined a row of the other side (an outer join pads it only if not).</summary>
    public bool Matched { get; set; }

    /// <summary>False once the row has left the window (expired).</summary>
    public bool Alive { get; set; } = true;

    /// <summary>Whether the state log holds the row (its removal must then be written).</summary>
    public bool Written { get; set; }

    /// <summary>Changed since the last commit (queued for the state log).</summary>
    public bool Dirty { get; set; }

    /// <summary>Bytes charged to the query's memory budget for it.</summary>
    public long ChargedBytes { get; set; }
}

/// <summary>The rows of one join key on one side, in arrival order; expired rows are dropped in bulk.</summary>
internal sealed class KeyRows
{
    public List<BufferedJoinRow> Rows { get; } = new(2);

    /// <summary>Rows in <see cref="Rows"/> that have expired.</summary>
    public int Dead { get; set; }
}

/// <summary>
/// One input of a stream-stream join: a stream's tail scan and how a record becomes the side's columns followed by
/// the join key, or (a multi-way join) the join before it and how its row's key is computed; and the rows it holds
/// within the join window, by key and in time order (for expiry).
/// </summary>
internal sealed class StreamJoinSide
{
    private readonly Action<RecordCursor, Cell[]>? _project;
    private readonly Action<CellRow, Cell[]>? _rowKey;
    private readonly Cell[] _keyCell = new Cell[1];
    private readonly CellRow _inputRow = new([]);
    private RecordBatch? _records;
    private RowBatch? _rows;

    public StreamJoinSide(TailScanOperator scan, Action<RecordCursor, Cell[]> project, SqlType[] types, bool isLeft,
        bool keepsUnmatched, IEqualityComparer<Cell> keys)
        : this(types, isLeft, keepsUnmatched, keys)
    {
        Scan = scan;
        _project = project;
    }

    /// <param name="input">The join before this one (its rows: columns, then ROWTIME).</param>
    /// <param name="key">Writes the join key of one of its rows into a one-cell array.</param>
    /// <param name="types">The input's column types (without ROWTIME), then the key's.</param>
    /// <param name="isLeft">The join's left side.</param>
    /// <param name="keepsUnmatched">An outer side.</param>
    /// <param name="keys">How join keys compare.</param>
    public StreamJoinSide(IStreamingJoinInput input, Action<CellRow, Cell[]> key, SqlType[] types, bool isLeft,
        bool keepsUnmatched, IEqualityComparer<Cell> keys)
        : this(types, isLeft, keepsUnmatched, keys)
    {
        Input = input;
        _rowKey = key;
    }

    private StreamJoinSide(SqlType[] types, bool isLeft, bool keepsUnmatched, IEqualityComparer<Cell> keys)
    {
        Types = types;
        Width = types.Length - 1;
        IsLeft = isLeft;
        KeepsUnmatched = keepsUnmatched;
        Rows = new Dictionary<Cell, KeyRows>(keys);
        Scratch = new Cell[types.Length];
    }

    /// <summary>The stream's scan (null when the side reads the join before it).</summary>
    public TailScanOperator? Scan { get; }

    /// <summary>The join before this one (null when the side reads a stream).</summary>
    public IStreamingJoinInput? Input { get; }

    /// <summary>The column types, then the key's.</summary>
    public SqlType[] Types { get; }

    /// <summary>The side's column count (the key follows).</summary>
    public int Width { get; }

    public bool IsLeft { get; }

    /// <summary>An outer side: its rows that find no match are emitted padded with NULLs.</summary>
    public bool KeepsUnmatched { get; }

    public Dictionary<Cell, KeyRows> Rows { get; }

    /// <summary>The rows held, oldest first.</summary>
    public PriorityQueue<BufferedJoinRow, long> Expiries { get; } = new();

    public Cell[] Scratch { get; }

    /// <summary>The next record (or row) of the batch read to merge.</summary>
    public int Next { get; set; }

    /// <summary>Every partition of the scan has reached its end (a ROWOFFSET bound), or the input has ended.</summary>
    public bool Ended { get; private set; }

    /// <summary>The last read found nothing new (or the input has ended): the side does not read again until the
    /// next round of the join.</summary>
    public bool CaughtUp { get; private set; }

    private int Count => _records?.Count ?? _rows?.Count ?? 0;

    public bool HasNext => Next < Count;

    public long NextTimestampMs => _records is not null ? _records.TimestampAt(Next) : _rows!.Rows[Next][Width].Bits;

    /// <summary>Takes what the input holds now, without waiting.</summary>
    public void Read(CancellationToken cancellationToken)
    {
        Next = 0;
        if (Scan is not null)
            _records = Ended ? null : Scan.ReadAvailable();
        else
            _rows = Ended ? null : Input!.ReadAvailable(cancellationToken);
        Ended = _records is null && _rows is null;
        CaughtUp = Count == 0;
    }

    /// <summary>The record <see cref="ProjectNext"/> read last (null when it read a row of a join), for a bad
    /// row's report.</summary>
    public RecordCursor? LastRecord { get; private set; }

    /// <summary>Writes the next record's (or row's) columns and key into <see cref="Scratch"/> and returns its time.
    /// </summary>
    public long ProjectNext()
    {
        if (_records is not null)
        {
            var cursor = _records.Select(Next++);
            LastRecord = cursor;
            _project!(cursor, Scratch);
            return cursor.TimestampMs;
        }
        LastRecord = null;
        var row = _rows!.Rows[Next++];
        Array.Copy(row, Scratch, Width);
        _inputRow.Cells = row;
        _rowKey!(_inputRow, _keyCell);
        Scratch[Width] = _keyCell[0];
        return row[Width].Bits;
    }

    public ValueTask WaitForDataAsync(CancellationToken cancellationToken) =>
        Scan is not null ? Scan.WaitForDataAsync(cancellationToken) : Input!.WaitForDataAsync(cancellationToken);

    public void Dispose()
    {
        Scan?.Dispose();
        (Input as IDisposable)?.Dispose();
    }
}

/// <summary>Join keys compared by SQL value; DOUBLE hashes by value so that 0.0 and -0.0 meet.</summary>
internal sealed class JoinKeyComparer(SqlTypeKind kind) : IEqualityComparer<Cell>
{
    public bool Equals(Cell x, Cell y) => x.ValueEquals(y, kind);

    public int GetHashCode(Cell obj) => kind == SqlTypeKind.Double ? obj.AsDouble.GetHashCode() : obj.ValueHash(kind);
}
