using Query.Engine.Execution.Operators;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

// The columnar side of ScanSource: where a partition's source stores rows by column (the cold tier), a range is
// read as column batches, and the records handed up are views of their rows (RecordBatch.Columns.cs): no row is
// rebuilt or encoded. What the column reader cannot describe (the hot log, rows kept raw) it leaves to a record
// reader, after which columns take over again.
public sealed partial class ScanSource
{
    private IColumnBatchReader? _columnReader;
    private ColumnBatch? _columnBatch;      // the batch whose selected rows are being handed up
    private int _columnPosition;            // the next of its selected rows
    private IReadOnlySet<int>? _allColumns;

    // The column reader of [_position, end) when the partition's source has one and the scan can use it: a stream
    // of the engine's binary rows (the cursor of an external format needs the record's bytes), not a table's
    // changelog, whose every column read is a scalar the vectors hold.
    private bool OpenColumnReader(IPartitionSource source, long end)
    {
        var stream = _plan.Stream;
        if (source is not IColumnarPartitionSource columnar || stream.Codec is not null || stream.Table is not null)
            return false;
        var columns = _plan.Columns ?? (_allColumns ??= AllColumns(stream.Types.Length));
        foreach (var column in columns)
        {
            // A DECIMAL of more than 28 digits has no column vector (the cold tier refuses it).
            if (!columnar.CanReadAsColumns(column) || stream.Types[column] is Types.DecimalType { IsWide: true })
                return false;
        }
        _columnReader = columnar.OpenColumnReader(_position, end, _minTimestampMs, _maxTimestampMs, columns,
            _plan.Filter, timestamps: stream.Definition.TimestampColumn < 0, AdmissionColumn());
        return true;
    }

    // The TIMESTAMP (or BIGINT) column ROWTIME is taken from, when the query reads it only to admit rows and has no
    // ROWTIME bound: the source may then leave it undecoded where its statistics admit every row (-1: none).
    private int AdmissionColumn()
    {
        var definition = _plan.Stream.Definition;
        var column = definition.TimestampColumn;
        return _plan.TimestampColumnOnlyAdmits && column >= 0 && definition.TimestampFormat is null
            && _minTimestampMs == long.MinValue && _maxTimestampMs == long.MaxValue
            && _plan.Stream.Types[column].Kind is Types.SqlTypeKind.Timestamp or Types.SqlTypeKind.BigInt
            ? column : -1;
    }

    private static HashSet<int> AllColumns(int count)
    {
        var all = new HashSet<int>();
        for (var i = 0; i < count; i++)
            all.Add(i);
        return all;
    }

    /// <summary>
    /// Fills <paramref name="batch"/> with the next rows of the column reader that pass the predicate; false when
    /// it has none left: the column reader is then closed and a record reader opened over what it left. A column
    /// batch is admitted whole when it is read (<see cref="Admit"/>); its rows are then taken a record batch at a
    /// time, the WHERE's comparisons with constants run over the vectors (<see cref="ScanPrefilter"/>) and the
    /// compiled predicate only on the rows they leave, and not at all when they are the whole WHERE.
    /// </summary>
    private bool FillColumns(RecordBatch batch)
    {
        while (true)
        {
            if (_columnBatch is null)
            {
                if (!_columnReader!.TryRead(out var next))
                {
                    SwitchToRecords();
                    return false;
                }
                if (CancellationToken.IsCancellationRequested)
                    throw Errors.SqlException.Canceled();
                _statistics.ColumnBatchesRead++;
                _statistics.RecordsScanned += next.SelectedCount;
                Admit(next, batch.Cursor);
                _columnBatch = next;
                _columnPosition = 0;
            }
            var columns = _columnBatch;
            batch.SetColumns(columns, _partition);
            _columnPosition += batch.AddAdmittedColumnRows(
                columns.Selection.AsSpan(_columnPosition, columns.SelectedCount - _columnPosition));
            if (_columnPosition >= columns.SelectedCount)
                _columnBatch = null;
            FilterColumnRows(batch, columns);
            if (batch.Count > 0)
                return true;
        }
    }

    // The WHERE over the batch's rows: the prefilter's terms over the vectors, then (unless they are all of it) the
    // compiled predicate on each row they keep.
    private void FilterColumnRows(RecordBatch batch, ColumnBatch columns)
    {
        var predicate = Predicate;
        if (predicate is null)
            return;
        var selection = batch.Selection;
        var count = batch.Count;
        if (Prefilter is { } prefilter)
        {
            count = prefilter.Select(columns, selection, count);
            if (prefilter.IsWholePredicate)
            {
                batch.Count = count;
                return;
            }
        }
        var token = CancellationToken;
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (token.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            var row = selection[i];
            selection[kept] = row;
            if (predicate(batch.Select(kept)))
                kept++;
        }
        batch.Count = kept;
    }

    /// <summary>
    /// Admits the selected rows of <paramref name="columns"/> at once, as the cursor admits a record: with a TIMESTAMP
    /// or BIGINT column for ROWTIME a row's time is that column's value, and a row whose value is NULL or negative is
    /// refused (counted on the stream); without one a row with a negative time is refused. The selection is narrowed
    /// to the rows admitted and their times are written to the batch. A column read as text with a format, or of
    /// another kind, goes through the cursor row by row.
    /// </summary>
    private void Admit(ColumnBatch columns, RecordCursor cursor)
    {
        var definition = _plan.Stream.Definition;
        var column = definition.TimestampColumn;
        var selection = columns.Selection;
        var count = columns.SelectedCount;
        var times = columns.TimestampsMs;
        var kept = 0;
        if (columns.EveryRowAdmitted && (uint)column < (uint)columns.Columns.Length && columns.Columns[column] is null)
            return;         // the source's statistics admit every row; no row time is read (none is asked for)
        if (column < 0)
        {
            for (var i = 0; i < count; i++)
            {
                var row = selection[i];
                selection[kept] = row;
                kept += times[row] >= 0 ? 1 : 0;
            }
        }
        else if (definition.TimestampFormat is null && (uint)column < (uint)columns.Columns.Length
            && columns.Columns[column] is { Kind: ColumnVectorKind.Int64 } vector)
        {
            var values = vector.Int64s;
            var nulls = vector.HasNulls ? vector.Nulls : null;
            for (var i = 0; i < count; i++)
            {
                var row = selection[i];
                var value = values[row];
                times[row] = value;
                selection[kept] = row;
                kept += value >= 0 && (nulls is null || !nulls[row]) ? 1 : 0;
            }
        }
        else
        {
            // Row by row through the cursor, which counts the rows it refuses itself.
            for (var i = 0; i < count; i++)
            {
                var row = selection[i];
                if (!cursor.PositionColumns(columns, row, times[row], _partition, admit: true))
                    continue;
                times[row] = cursor.TimestampMs;
                selection[kept++] = row;
            }
            columns.SelectedCount = kept;
            return;
        }
        for (var refused = kept; refused < count; refused++)
            _plan.Stream.CountSkippedRecord();
        columns.SelectedCount = kept;
    }

    // The column reader is done: offsets it left before its resume point are read as records; from there the scan
    // goes on as planned (columns again where the source has them).
    private void SwitchToRecords()
    {
        var reader = _columnReader!;
        var next = reader.NextOffset;
        var resume = reader.ResumeOffset;
        CloseColumnReader();
        if (next < resume)
        {
            _position = next;
            OpenRecordReader(_plan.Stream.Sources[_partition], resume);
        }
        _position = Math.Max(_position, resume);
    }

    private void CloseColumnReader()
    {
        _columnBatch = null;
        if (_columnReader is null)
            return;
        _statistics.OffsetsSkippedByRetention += _columnReader.OffsetsSkippedByRetention;
        _columnReader.Dispose();
        _columnReader = null;
    }
}
