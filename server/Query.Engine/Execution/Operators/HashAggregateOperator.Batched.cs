using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// Flat aggregates take a batch in phases, each a tight loop over the batch: evaluate every record's keys and
/// arguments, find every record's group (the key slot of a record a few ahead prefetched, the group's state
/// prefetched once found), then fold every record in. With many groups a record misses the cache on its key's slot
/// and on its group's state; one record at a time each miss waits behind its record's expression evaluation, while
/// these loops let the processor overlap the misses of many records. Records keep their order in every phase.
/// </summary>
public sealed partial class HashAggregateOperator
{
    private const int PrefetchDistance = 8;   // records ahead whose key slot is fetched

    private Cell[][] _batchRows = [];   // keys then arguments, per record of the batch (reused)
    private int[] _batchGroups = [];
    private Cell[]? _countScratch;      // the one (empty) key of a global COUNT(*)

    private void AccumulateFlat(FlatAggregates flat, RecordBatch batch, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        if (_countsRowsOnly)
        {
            // COUNT(*) alone without GROUP BY: the batch's row count is all it needs (no record positioned).
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            _countScratch ??= new Cell[_aggregates.Length];
            flat.AddRows(GroupOf(_countScratch), count);
            return;
        }
        EnsureBatchRows(count);
        var rows = _batchRows;
        for (var i = 0; i < count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            _inputs(batch.Select(i), rows[i]);
        }
        var groups = _batchGroups;
        var keyTable = _groups as Int64GroupKeyTable;
        for (var i = 0; i < count; i++)
        {
            if (keyTable is not null && i + PrefetchDistance < count && !rows[i + PrefetchDistance][0].IsNull)
                keyTable.Prefetch(rows[i + PrefetchDistance]);
            groups[i] = GroupOf(rows[i]);
            flat.Prefetch(groups[i]);
        }
        for (var i = 0; i < count; i++)
            flat.Add(groups[i], rows[i].AsSpan(_keyCount));
    }

    private void EnsureBatchRows(int count)
    {
        if (_batchRows.Length >= count)
            return;
        var width = _keyCount + _aggregates.Length;
        var rows = new Cell[count][];
        for (var i = 0; i < count; i++)
            rows[i] = i < _batchRows.Length ? _batchRows[i] : new Cell[width];
        _batchRows = rows;
        _batchGroups = new int[count];
    }
}
