using System.Buffers;
using Query.Engine.Errors;
using Query.Engine.Format;
using Query.Engine.SystemCatalog;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// The rows of a system catalog relation as records, so every operator above (filters, joins, aggregates) reads
/// them as it reads a stream: the rows are generated once when the operator is made (a catalog is small: a row per
/// relation, column or type) and encoded in the binary row format a batch at a time.
/// </summary>
public sealed class SystemScanOperator : RecordOperator
{
    private readonly List<Cell[]> _rows;
    private readonly SqlType[] _types;
    private readonly RecordBatch _batch;
    private readonly ScanStatistics _statistics;
    private readonly ArrayBufferWriter<byte> _encoded = new();
    private int _next;

    public SystemScanOperator(SystemRelation relation, CatalogSnapshot snapshot, ScanStatistics statistics,
        BatchLimits limits)
    {
        _rows = relation.Rows(snapshot);
        _types = [.. relation.Columns.Select(c => c.Type)];
        var names = relation.Columns.Select(c => c.Name).ToArray();
        _batch = new RecordBatch(limits.Rows, limits.Bytes, new RecordCursor(_types, names, null));
        _statistics = statistics;
    }

    public override ValueTask<RecordBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            throw SqlException.Canceled();
        if (_next >= _rows.Count)
            return new ValueTask<RecordBatch?>((RecordBatch?)null);
        _batch.Clear();
        while (_next < _rows.Count && !_batch.IsFull)
        {
            _encoded.ResetWrittenCount();
            BinaryRowFormat.Write(_encoded, _rows[_next], _types);
            _batch.Add([], false, _encoded.WrittenSpan, _next, 0, 0);
            _next++;
        }
        _statistics.RecordsScanned += _batch.RecordCount;
        return new ValueTask<RecordBatch?>(_batch);
    }
}
