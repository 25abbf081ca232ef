using System.Buffers;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// A streaming join's rows as records, so a continuous aggregate (windowed or not) groups a join's result as it
/// groups a stream: each joined row is encoded in the binary row format with its ROWTIME (the row's last column) as
/// the record's time, which is the event time a window groups by. Each input batch becomes one output batch whole
/// (the batch grows to hold it), so the aggregate above has folded every row the join handed out before the query
/// can commit: the join's committed offsets never run ahead of the aggregate's state.
/// </summary>
public sealed class JoinedRowRecords : RecordOperator
{
    private readonly RowOperator _rows;
    private readonly SqlType[] _types;
    private readonly RecordCursor _cursor;
    private readonly int _initialBytes;
    private RecordBatch? _batch;
    private readonly ArrayBufferWriter<byte> _encoded = new();
    private long _sequence;

    /// <param name="rows">The join (its rows end with ROWTIME).</param>
    /// <param name="types">The types of the join's columns.</param>
    /// <param name="names">Their names.</param>
    /// <param name="limits">Batch sizes (a batch holds a whole batch of the join's rows).</param>
    public JoinedRowRecords(RowOperator rows, SqlType[] types, string[] names, BatchLimits limits)
    {
        _rows = rows;
        _types = types;
        _cursor = new RecordCursor(types, names, null);
        _initialBytes = Math.Max(4096, limits.Bytes);
    }

    public override async ValueTask<RecordBatch?> NextAsync(CancellationToken cancellationToken)
    {
        var rows = await _rows.NextAsync(cancellationToken);
        if (rows is null)
            return null;
        return Encode(rows);
    }

    private RecordBatch Encode(RowBatch rows)
    {
        // Sized to the join's batches, so one always fits whole.
        if (_batch is null || _batch.Capacity < rows.Capacity)
            _batch = new RecordBatch(Math.Max(1, rows.Capacity), int.MaxValue, _cursor, _initialBytes);
        _batch.Clear();
        var rowTime = _types.Length - 1;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows.Rows[i];
            _encoded.ResetWrittenCount();
            BinaryRowFormat.Write(_encoded, row.AsSpan(0, _types.Length), _types);
            var time = row[rowTime].IsNull ? 0 : row[rowTime].Bits;
            _batch.Add([], false, _encoded.WrittenSpan, _sequence++, time, 0);
        }
        return _batch;
    }

    public override void Dispose()
    {
        _rows.Dispose();
        base.Dispose();
    }
}
