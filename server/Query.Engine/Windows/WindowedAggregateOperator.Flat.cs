using System.Buffers;
using Query.Engine.Execution.Operators;
using Query.Engine.Functions;

namespace Query.Engine.Windows;

/// <summary>
/// A window's aggregates: flat state (two longs per aggregate per window, one stretch of memory per window) when
/// every aggregate has one (COUNT, SUM, AVG, MIN, MAX over numbers), else an accumulator object per aggregate per
/// window. The serialized state is the same bytes either way, so the state log does not depend on which.
/// </summary>
public sealed partial class WindowedAggregateOperator
{
    private readonly FlatAggregates? _flat;

    private void InitAggregates(int slot)
    {
        if (_flat is not null)
        {
            _flat.AddGroup(slot);
            _flat.Clear(slot);   // a reused slot
            return;
        }
        var width = _aggregates.Length;
        for (var a = 0; a < width; a++)
            _groups.Accumulators[(slot * width) + a] = AggregateFunctions.Create(_aggregates[a]);
    }

    /// <summary>Folds window <paramref name="old"/>'s state (older rows) into <paramref name="merged"/>.</summary>
    private void MergeAggregates(int merged, int old)
    {
        if (_flat is not null)
        {
            _flat.Merge(merged, _flat, old);
            return;
        }
        var width = _aggregates.Length;
        var accumulators = _groups.Accumulators;
        for (var a = 0; a < width; a++)
            accumulators[(merged * width) + a].Merge(accumulators[(old * width) + a]);
    }

    private void SerializeAggregate(int slot, int aggregate, IBufferWriter<byte> writer)
    {
        if (_flat is not null)
            _flat.Serialize(slot, aggregate, writer);
        else
            _groups.Accumulators[(slot * _aggregates.Length) + aggregate].Serialize(writer);
    }

    private void RestoreAggregate(int slot, int aggregate, ReadOnlySpan<byte> state)
    {
        if (_flat is not null)
            _flat.Restore(slot, aggregate, state);
        else
            _groups.Accumulators[(slot * _aggregates.Length) + aggregate].Restore(state);
    }
}
