using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// One table of a table-table join: the tail of its changelog, how one of its records becomes its columns followed
/// by its join expression (the left table's: the expression equal to the right key; the right table's: its key),
/// and lookups of its current row by key in its materialized state.
/// </summary>
public sealed class TableJoinInput
{
    private readonly Cell[] _keyRow;
    private readonly RecordBatch _found;

    public TableJoinInput(TailScanOperator scan, StreamRuntime table, Action<RecordCursor, Cell[]> project,
        SqlType joinKeyType, BatchLimits limits)
    {
        Scan = scan;
        Table = table;
        State = table.Table ?? throw new ArgumentException($"\"{table.Definition.Name}\" is not a table");
        Project = project;
        Width = table.Types.Length;
        KeyColumn = table.Definition.KeyColumn;
        KeyType = table.Types[KeyColumn];
        JoinKeyType = joinKeyType;
        (WindowStartColumn, WindowEndColumn) = (table.Definition.WindowStartColumn, table.Definition.WindowEndColumn);
        Scratch = new Cell[Width + 1];
        Row = new Cell[Width + 1];
        _keyRow = new Cell[Width];
        _keyRow.AsSpan().Fill(Cell.Null);
        _found = new RecordBatch(1, limits.Bytes, table.CreateCursor(), initialBytes: 1024);
    }

    public TailScanOperator Scan { get; }

    public StreamRuntime Table { get; }

    public State.TableState State { get; }

    /// <summary>Writes the table's columns, then its join expression.</summary>
    public Action<RecordCursor, Cell[]> Project { get; }

    /// <summary>The table's column count.</summary>
    public int Width { get; }

    public int KeyColumn { get; }

    public SqlType KeyType { get; }

    /// <summary>A windowed table's WINDOWSTART column (part of its rows' keys), else -1.</summary>
    public int WindowStartColumn { get; }

    /// <summary>A windowed table's WINDOWEND column, else -1.</summary>
    public int WindowEndColumn { get; }

    /// <summary>The type of the join expression (the right key's).</summary>
    public SqlType JoinKeyType { get; }

    /// <summary>A changelog record's columns and join expression.</summary>
    public Cell[] Scratch { get; }

    /// <summary>The row found by the last lookup, then its join expression.</summary>
    public Cell[] Row { get; }

    private RecordBatch? _batch;
    private int _next;

    /// <summary>Every partition of the changelog scan has reached its end (a ROWOFFSET bound).</summary>
    public bool Ended { get; private set; }

    public bool HasNext => _batch is not null && _next < _batch.Count;

    /// <summary>Takes what the changelog holds now.</summary>
    public void Read()
    {
        _next = 0;
        _batch = Ended ? null : Scan.ReadAvailable();
        Ended = _batch is null;
    }

    public RecordCursor NextRecord() => _batch!.Select(_next++);

    /// <summary>Reads the current row of <paramref name="key"/> (of the key's type) into <see cref="Row"/>.
    /// </summary>
    public bool Lookup(in Cell key) => Lookup(key, Cell.Null, Cell.Null);

    /// <summary>Reads the current row of <paramref name="key"/> and, in a windowed table, of the window with these
    /// bounds (a time window's key holds its start, a session's both) into <see cref="Row"/>.</summary>
    public bool Lookup(in Cell key, in Cell windowStart, in Cell windowEnd)
    {
        if (key.IsNull)
            return false;
        _keyRow[KeyColumn] = key;
        if (WindowStartColumn >= 0)
            (_keyRow[WindowStartColumn], _keyRow[WindowEndColumn]) = (windowStart, windowEnd);
        _found.Clear();
        if (KeyEncoding.Encode(Table, _keyRow) is not { } encoded || !State.Lookup(encoded, _found)
            || _found.Count == 0)
            return false;
        Project(_found.Select(0), Row);
        return true;
    }

    /// <summary>Hands each current row of the table (columns and join expression) to <paramref name="row"/>.
    /// </summary>
    public void ForEachRow(BatchLimits limits, Action<Cell[]> row)
    {
        var batch = new RecordBatch(Math.Max(1, limits.Rows), limits.Bytes, Table.CreateCursor());
        long position = 0;
        bool more;
        do
        {
            batch.Clear();
            more = State.Fill(ref position, batch);
            for (var i = 0; i < batch.Count; i++)
            {
                Project(batch.Select(i), Scratch);
                row(Scratch);
            }
        }
        while (more);
    }
}
