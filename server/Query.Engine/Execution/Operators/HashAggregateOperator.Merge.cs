using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>What a parallel aggregation needs of each worker's partial aggregate.</summary>
public sealed partial class HashAggregateOperator
{
    /// <summary>Reads the whole input into the groups, without emitting (a worker of a parallel aggregation).</summary>
    internal async Task ConsumeInputAsync(CancellationToken cancellationToken)
    {
        await ConsumeAsync(cancellationToken);
        _consumed = true;
    }

    /// <summary>
    /// Folds <paramref name="later"/>'s groups into these: the same key's accumulators merge (its rows come after
    /// ours), and a key new here is added after ours, so the groups keep the order of first appearance of one scan
    /// reading our rows, then <paramref name="later"/>'s.
    /// </summary>
    internal void MergeFrom(HashAggregateOperator later, CancellationToken cancellationToken)
    {
        var scratch = new Cell[_keyCount + _aggregates.Length];
        var width = _aggregates.Length;
        for (var group = 0; group < later._groups.Count; group++)
        {
            if ((group & 1023) == 0 && cancellationToken.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            later._groups.CopyKey(group, scratch);
            var into = GroupOf(scratch);
            if (_flat is not null)
            {
                _flat.Merge(into, later._flat!, group);
                continue;
            }
            for (var a = 0; a < width; a++)
                _accumulators[(into * width) + a].Merge(later._accumulators[(group * width) + a]);
        }
    }
}
