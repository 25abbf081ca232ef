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
/// One input of a stream-stream join: its tail scan, how a record becomes the side's columns followed by the join
/// key, and the rows it holds within the join window, by key and in time order (for expiry).
/// </summary>
internal sealed class StreamJoinSide
{
    public StreamJoinSide(TailScanOperator scan, Action<RecordCursor, Cell[]> project, SqlType[] types, bool isLeft,
        bool keepsUnmatched, IEqualityComparer<Cell> keys)
    {
        Scan = scan;
        Project = project;
        Types = types;
        Width = types.Length - 1;
        IsLeft = isLeft;
        KeepsUnmatched = keepsUnmatched;
        Rows = new Dictionary<Cell, KeyRows>(keys);
        Scratch = new Cell[types.Length];
    }

    public TailScanOperator Scan { get; }

    /// <summary>Writes the side's columns, then the join key.</summary>
    public Action<RecordCursor, Cell[]> Project { get; }

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

    /// <summary>The batch being merged (null: none, or the scan has ended).</summary>
    public RecordBatch? Batch { get; set; }

    /// <summary>The next record of <see cref="Batch"/> to merge.</summary>
    public int Next { get; set; }

    /// <summary>Every partition of the scan has reached its end (a ROWOFFSET bound).</summary>
    public bool Ended { get; set; }

    /// <summary>The last read found nothing new (or the scan has ended): the side does not read again until the
    /// next round of the join.</summary>
    public bool CaughtUp { get; set; }

    public bool HasNext => Batch is not null && Next < Batch.Count;

    public long NextTimestampMs => Batch!.TimestampAt(Next);
}

/// <summary>Join keys compared by SQL value; DOUBLE hashes by value so that 0.0 and -0.0 meet.</summary>
internal sealed class JoinKeyComparer(SqlTypeKind kind) : IEqualityComparer<Cell>
{
    public bool Equals(Cell x, Cell y) => x.ValueEquals(y, kind);

    public int GetHashCode(Cell obj) => kind == SqlTypeKind.Double ? obj.AsDouble.GetHashCode() : obj.ValueHash(kind);
}
