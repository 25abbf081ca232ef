using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// Computed rows exchanged between operators above a projection or an aggregation: up to a batch's worth of
/// <see cref="Cell"/> rows. A projecting operator reuses its row arrays from batch to batch (nothing is allocated
/// per row); an operator that keeps rows beyond the call (a sort) copies them. A materializing operator hands out
/// its own stored rows by reference.
/// </summary>
public sealed class RowBatch
{
    public RowBatch(int capacity) => Rows = new Cell[capacity][];

    /// <summary>A batch whose rows are preallocated arrays of <paramref name="width"/> cells.</summary>
    public static RowBatch WithRows(int capacity, int width)
    {
        var batch = new RowBatch(capacity);
        for (var i = 0; i < capacity; i++)
            batch.Rows[i] = new Cell[Math.Max(1, width)];
        return batch;
    }

    /// <summary>
    /// A batch whose rows are arrays of <paramref name="width"/> cells made on first use (<see cref="EnsureRows"/>):
    /// a run that produces one row (SELECT 1, COUNT(*)) allocates one row, not a batch's worth (64 KiB for 1,024
    /// rows of one cell, zeroed by the allocator on every statement).
    /// </summary>
    public static RowBatch Lazy(int capacity, int width) => new(capacity) { _width = Math.Max(1, width) };

    private int _width;
    private int _rowsMade;

    /// <summary>Makes rows [0, <paramref name="count"/>) of a <see cref="Lazy"/> batch exist before they are written.
    /// </summary>
    public void EnsureRows(int count)
    {
        for (; _rowsMade < count; _rowsMade++)
            Rows[_rowsMade] ??= new Cell[_width];
    }

    public Cell[][] Rows { get; }

    /// <summary>
    /// Makes this batch hand out <paramref name="rows"/>[<paramref name="from"/>, <paramref name="to"/>) by reference,
    /// as many as fit; returns how many it took (the caller's next row to hand out moves on by that many).
    /// </summary>
    public int FillFrom(List<Cell[]> rows, int from, int to)
    {
        var count = Math.Min(Capacity, to - from);
        for (var i = 0; i < count; i++)
            Rows[i] = rows[from + i];
        Count = count;
        return count;
    }

    public int Capacity => Rows.Length;

    public int Count { get; set; }

    private bool[]? _nullValues;

    /// <summary>
    /// Marks which rows stand for a source record with a null value (see ContinuousQueryHooks.NullValueRows); only
    /// a record projection sets them, for the rows it writes.
    /// </summary>
    internal void SetNullValue(int row, bool nullValue)
    {
        if (!nullValue && _nullValues is null)
            return;
        _nullValues ??= new bool[Capacity];
        _nullValues[row] = nullValue;
    }

    /// <summary>Whether row <paramref name="row"/> stands for a record with a null value.</summary>
    public bool IsNullValue(int row) => _nullValues is not null && _nullValues[row];
}
