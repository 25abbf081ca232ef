using System.Buffers;
using Query.Engine.Types;
using Query.Storage.Reading;

namespace Query.Engine.Execution.Operators;

// A record batch over rows of a column batch (a cold row group read by column): the selection holds row numbers of
// the column batch, the cursor reads their columns from its vectors, and nothing is copied or encoded. Valid, like
// any batch, until its producer's next call (the column batch is the reader's and is overwritten then).
public sealed partial class RecordBatch
{
    private ArrayBufferWriter<byte>? _rowScratch;
    private Cell[]? _rowCells;

    /// <summary>Whether the batch holds rows of a column batch rather than records.</summary>
    internal bool IsColumnar => _columns is not null;

    /// <summary>Empties the batch and makes it a view of rows of <paramref name="columns"/> (of partition
    /// <paramref name="partition"/>), added by <see cref="AddAdmittedColumnRows"/>.</summary>
    internal void SetColumns(ColumnBatch columns, int partition)
    {
        Clear();
        _columns = columns;
        _columnPartition = partition;
    }

    /// <summary>The column batch whose rows the batch holds (null: records).</summary>
    internal ColumnBatch? ColumnRows => _columns;

    /// <summary>
    /// Adds rows <paramref name="rows"/> of the column batch, already admitted (their row times written back to it,
    /// see ScanSource.Columns.cs), as many as fit; returns how many were added.
    /// </summary>
    internal int AddAdmittedColumnRows(ReadOnlySpan<int> rows)
    {
        var count = Math.Min(rows.Length, Capacity - RecordCount);
        rows[..count].CopyTo(Selection.AsSpan(Count));
        RecordCount += count;
        Count += count;
        return count;
    }

    // A parallel scan hands rows over in batches of its own: rows of a column batch become binary rows here (the
    // column batch is overwritten by the worker's next read).
    private void CopySelectedColumns(RecordBatch source)
    {
        Clear();
        var cursor = source.Cursor;
        var types = cursor.Types;
        _rowScratch ??= new ArrayBufferWriter<byte>();
        if (_rowCells is null || _rowCells.Length != types.Length)
            _rowCells = new Cell[types.Length];
        for (var i = 0; i < source.Count; i++)
        {
            source.Select(i);
            for (var c = 0; c < _rowCells.Length; c++)
                _rowCells[c] = cursor.GetCell(c);
            _rowScratch.ResetWrittenCount();
            Format.BinaryRowFormat.Write(_rowScratch, _rowCells, types);
            AddCopied(_rowScratch.WrittenSpan, cursor.Offset, cursor.TimestampMs, cursor.Partition);
        }
    }

    // Appends a record already admitted (its row time is kept as it is, not taken again from the columns).
    private void AddCopied(ReadOnlySpan<byte> value, long offset, long timestampMs, int partition)
    {
        if (_bytesUsed + value.Length > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytesUsed + value.Length, _bytes.Length * 2));
        value.CopyTo(_bytes.AsSpan(_bytesUsed));
        var row = RecordCount;
        _starts[row] = _bytesUsed;
        _keyLengths[row] = 0;
        _hasKeys[row] = false;
        _lengths[row] = value.Length;
        _offsets[row] = offset;
        _timestamps[row] = timestampMs;
        _partitions[row] = partition;
        _headerLengths[row] = 0;
        _headerCounts[row] = 0;
        _bytesUsed += value.Length;
        RecordCount++;
        Selection[Count++] = row;
    }
}
