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
            _plan.Filter, timestamps: stream.Definition.TimestampColumn < 0);
        return true;
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
    /// it has none left: the column reader is then closed and a record reader opened over what it left.
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
                _columnBatch = next;
                _columnPosition = 0;
                _statistics.ColumnBatchesRead++;
            }
            var columns = _columnBatch;
            batch.SetColumns(columns, _partition);
            var predicate = Predicate;
            var token = CancellationToken;
            var selection = columns.Selection;
            while (_columnPosition < columns.SelectedCount && !batch.IsFull)
            {
                if (token.IsCancellationRequested)
                    throw Errors.SqlException.Canceled();
                _statistics.RecordsScanned++;
                if (batch.AddColumnRow(selection[_columnPosition++]) && predicate is not null
                    && !predicate(batch.Cursor))
                    batch.RemoveLast();
            }
            if (_columnPosition >= columns.SelectedCount)
                _columnBatch = null;
            if (batch.Count > 0)
                return true;
        }
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
