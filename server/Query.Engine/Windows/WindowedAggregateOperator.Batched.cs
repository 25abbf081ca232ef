using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Execution.Operators;
using Query.Engine.Types;

namespace Query.Engine.Windows;

/// <summary>
/// Tumbling and hopping windows over a batch go in two phases, as the plain aggregate's do
/// (ContinuousAggregateOperator.Batched.cs): evaluate every record's keys, arguments and time, then fold the records
/// into their windows in order, with the window-table entry of the record a few ahead already on its way into the
/// cache. With many keys each lookup misses the cache; one record at a time the miss waited behind the record's
/// expression evaluation. The second phase keeps the records' order, so stream time, lateness and results are those
/// of one record at a time. Sessions go record by record (a record may merge sessions its predecessors made).
/// </summary>
public sealed partial class WindowedAggregateOperator
{
    private const int PrefetchDistance = 8;   // records ahead whose window entry is fetched

    private Cell[][] _batchRows = [];   // keys then arguments, per record of the batch (reused)
    private long[] _batchTimes = [];    // the record's ROWTIME
    private int[] _batchClocks = [];    // the record's stream clock
    private bool[] _batchKept = [];     // false: the record is left out (failed expression, NULL key)

    private void AccumulateBatch(RecordBatch batch, CancellationToken cancellationToken)
    {
        if (_window.Kind == WindowKind.Session)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                    throw SqlException.Canceled();
                Accumulate(batch.Select(i));
            }
            return;
        }
        var count = batch.Count;
        EnsureBatchRows(count);
        for (var i = 0; i < count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            var record = batch.Select(i);
            _batchKept[i] = TryComputeInputs(record, _batchRows[i]);
            _batchTimes[i] = record.TimestampMs;
            _batchClocks[i] = _clocks.Of(record.Partition);
        }
        var int64Keys = _keys as Int64WindowKeyTable;
        for (var i = 0; i < count; i++)
        {
            var ahead = i + PrefetchDistance;
            if (int64Keys is not null && ahead < count && _batchKept[ahead])
                int64Keys.Prefetch(_batchRows[ahead][0].Bits, FirstWindowStart(_batchTimes[ahead]));
            if (_batchKept[i])
                AccumulateComputed(_batchRows[i], _batchTimes[i], _batchClocks[i]);
        }
    }

    private void EnsureBatchRows(int count)
    {
        if (_batchRows.Length >= count)
            return;
        var width = _keyTypes.Length + _aggregates.Length;
        var rows = new Cell[count][];
        for (var i = 0; i < count; i++)
            rows[i] = i < _batchRows.Length ? _batchRows[i] : new Cell[width];
        _batchRows = rows;
        _batchTimes = new long[count];
        _batchClocks = new int[count];
        _batchKept = new bool[count];
    }
}
