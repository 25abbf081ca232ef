using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Functions;
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
        if (_keyCount == 0 && ColumnArguments is { } arguments && batch.ColumnRows is { } columns
            && CanFoldColumns(flat, columns, arguments))
        {
            // No GROUP BY over rows of a column batch: each aggregate folds its column's vector in one loop.
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            _countScratch ??= new Cell[_aggregates.Length];
            flat.AddColumns(GroupOf(_countScratch), columns, batch.Selection.AsSpan(0, count), arguments);
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

    /// <summary>
    /// Without GROUP BY, the stream column each aggregate's argument is (<see cref="FlatAggregates.CountStar"/> for
    /// COUNT(*)), when every argument is one: rows of a column batch are then folded from its vectors. Null: always
    /// row by row.
    /// </summary>
    internal int[]? ColumnArguments { get; init; }

    /// <summary>The <see cref="ColumnArguments"/> of <paramref name="aggregates"/> over a scan without GROUP BY
    /// (<paramref name="keyCount"/> 0); null when an argument is not a plain column of a type the vectors hold as the
    /// aggregate's input (INT, BIGINT, DOUBLE, TIMESTAMP; any type for COUNT).</summary>
    internal static int[]? ColumnArgumentsOf(BoundAggregate[] aggregates, int keyCount)
    {
        if (keyCount != 0)
            return null;
        var arguments = new int[aggregates.Length];
        for (var a = 0; a < aggregates.Length; a++)
        {
            var aggregate = aggregates[a];
            arguments[a] = (aggregate.Kind, aggregate.Argument) switch
            {
                (AggregateKind.CountStar, _) => FlatAggregates.CountStar,
                (AggregateKind.Count, BoundColumn column) => column.Ordinal,
                (_, BoundColumn column) when column.Type.Kind is SqlTypeKind.Int or SqlTypeKind.BigInt
                    or SqlTypeKind.Double or SqlTypeKind.Timestamp => column.Ordinal,
                _ => -2,
            };
            if (arguments[a] == -2)
                return null;
        }
        return arguments;
    }

    private static bool CanFoldColumns(FlatAggregates flat, Storage.Reading.ColumnBatch columns, int[] arguments)
    {
        for (var a = 0; a < arguments.Length; a++)
        {
            var column = arguments[a];
            if (column == FlatAggregates.CountStar)
                continue;
            if ((uint)column >= (uint)columns.Columns.Length || !flat.CanFold(a, columns.Columns[column]?.Kind))
                return false;
        }
        return true;
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
