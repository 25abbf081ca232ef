using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// Flat aggregates over a batch without retractions go in phases, each a tight loop over the batch: evaluate every
/// record's keys and arguments, find every record's group, fold every record into its group, mark the changed
/// groups. With many groups each record misses the cache on its key's slot and on its group's state; one record at
/// a time, each miss waits behind the expression evaluation of its record, while a loop that only looks up keys
/// (or only adds) lets the processor overlap the misses of many records. The records keep their order within each
/// phase, so results are those of one record at a time.
/// </summary>
public sealed partial class ContinuousAggregateOperator
{
    private const int PrefetchDistance = 8;   // records ahead whose key slot is fetched

    private Cell[][] _batchRows = [];   // keys then arguments, per record of the batch (reused)
    private int[] _batchGroups = [];    // the record's group, or -1 when it is left out

    private void AccumulateFlat(FlatAggregates flat, RecordBatch batch, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        EnsureBatchRows(count);
        var rows = _batchRows;
        var groups = _batchGroups;
        for (var i = 0; i < count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            groups[i] = TryEvaluate(batch.Select(i), rows[i], report: true) ? 0 : -1;
        }
        var keyTable = _groups as Int64GroupKeyTable;
        for (var i = 0; i < count; i++)
        {
            // The key slot of a record a few ahead is on its way while this one is looked up.
            if (keyTable is not null && i + PrefetchDistance < count && groups[i + PrefetchDistance] >= 0)
                keyTable.Prefetch(rows[i + PrefetchDistance]);
            if (groups[i] >= 0)
            {
                groups[i] = GroupOf(rows[i]);
                flat.Prefetch(groups[i]);
            }
        }
        var keys = _keyTypes.Length;
        for (var i = 0; i < count; i++)
        {
            if (groups[i] >= 0)
                flat.Add(groups[i], rows[i].AsSpan(keys));
        }
        for (var i = 0; i < count; i++)
        {
            if (groups[i] >= 0)
                Touch(groups[i]);
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
        _batchGroups = new int[count];
    }
}
