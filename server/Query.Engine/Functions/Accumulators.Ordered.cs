using System.Buffers;
using Query.Engine.Types;

namespace Query.Engine.Functions;

internal sealed class StddevAccumulator : Accumulator
{
    private long _count;
    private double _mean;
    private double _m2;

    // Welford's algorithm: one pass, numerically stable.
    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        var x = value.AsDouble;
        _count++;
        var delta = x - _mean;
        _mean += delta / _count;
        _m2 += delta * (x - _mean);
    }

    public override Cell Result() => _count < 2 ? Cell.Null : Cell.FromDouble(Math.Sqrt(_m2 / (_count - 1)));

    // Chan et al.'s pairwise combination of two (count, mean, M2) states.
    public override void Merge(Accumulator other)
    {
        var from = (StddevAccumulator)other;
        if (from._count == 0)
            return;
        var count = _count + from._count;
        var delta = from._mean - _mean;
        _m2 += from._m2 + (delta * delta * _count * from._count / count);
        _mean += delta * from._count / count;
        _count = count;
    }

    public override bool CanRetract => true;

    // Welford's step run backwards.
    public override void Retract(in Cell value)
    {
        if (value.IsNull)
            return;
        var x = value.AsDouble;
        if (_count <= 1)
        {
            (_count, _mean, _m2) = (0, 0, 0);
            return;
        }
        var mean = ((_count * _mean) - x) / (_count - 1);
        _m2 -= (x - mean) * (x - _mean);
        _mean = mean;
        _count--;
    }

    public override void Serialize(IBufferWriter<byte> writer)
    {
        AccumulatorState.WriteInt64(writer, _count);
        AccumulatorState.WriteDouble(writer, _mean);
        AccumulatorState.WriteDouble(writer, _m2);
    }

    public override void Restore(ReadOnlySpan<byte> state)
    {
        var position = 0;
        _count = AccumulatorState.ReadInt64(state, ref position);
        _mean = AccumulatorState.ReadDouble(state, ref position);
        _m2 = AccumulatorState.ReadDouble(state, ref position);
    }
}

internal sealed class ExtremeAccumulator(SqlType type, bool max) : Accumulator
{
    private Cell _best = Cell.Null;

    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        if (_best.IsNull)
        {
            _best = value;
            return;
        }
        var order = CellComparer.Compare(value, _best, type.Kind);
        if (max ? order > 0 : order < 0)
            _best = value;
    }

    public override Cell Result() => _best;

    public override void Merge(Accumulator other) => Add(((ExtremeAccumulator)other)._best);

    public override void Serialize(IBufferWriter<byte> writer) => AccumulatorState.WriteCell(writer, _best, type);

    public override void Restore(ReadOnlySpan<byte> state)
    {
        var position = 0;
        _best = AccumulatorState.ReadCell(state, ref position, type);
    }
}

internal sealed class ByOffsetAccumulator(SqlType type, bool latest) : Accumulator
{
    private Cell _value = Cell.Null;

    public override void Add(in Cell value)
    {
        if (!value.IsNull && (latest || _value.IsNull))
            _value = value;
    }

    public override Cell Result() => _value;

    public override void Merge(Accumulator other) => Add(((ByOffsetAccumulator)other)._value);

    public override void Serialize(IBufferWriter<byte> writer) => AccumulatorState.WriteCell(writer, _value, type);

    public override void Restore(ReadOnlySpan<byte> state)
    {
        var position = 0;
        _value = AccumulatorState.ReadCell(state, ref position, type);
    }
}

/// <summary>
/// The time of the latest change of a group (<see cref="AggregateKind.ChangeTime"/>): the aggregate operator hands it
/// the time of each row added and of each update that retracts one, so a retraction never moves it back.
/// </summary>
internal sealed class ChangeTimeAccumulator(SqlType type) : Accumulator
{
    private Cell _time = Cell.Null;

    public override void Add(in Cell value)
    {
        if (!value.IsNull)
            _time = value;
    }

    public override Cell Result() => _time;

    public override void Merge(Accumulator other) => Add(((ChangeTimeAccumulator)other)._time);

    // Not retractable: the operator gives a retracting update's time to Add (the time of a change only moves on).
    public override void Serialize(IBufferWriter<byte> writer) => AccumulatorState.WriteCell(writer, _time, type);

    public override void Restore(ReadOnlySpan<byte> state)
    {
        var position = 0;
        _time = AccumulatorState.ReadCell(state, ref position, type);
    }
}

internal sealed class CollectAccumulator(SqlType type, bool distinct) : Accumulator
{
    private readonly List<Cell> _items = [];
    private readonly HashSet<Cell>? _seen = distinct ? new HashSet<Cell>(new CellComparer(type.Kind)) : null;

    public override void Add(in Cell value)
    {
        if (value.IsNull || (_seen is not null && !_seen.Add(value)))
            return;
        _items.Add(value);
    }

    public override Cell Result()
    {
        var items = new object?[_items.Count];
        for (var i = 0; i < items.Length; i++)
            items[i] = _items[i].ToObject(type);
        return Cell.FromRef(new SqlArray(items));
    }

    public override void Merge(Accumulator other)
    {
        foreach (var item in ((CollectAccumulator)other)._items)
            Add(item);
    }

    /// <summary>
    /// A list forgets one occurrence; a set cannot tell whether the value is still present elsewhere.
    /// </summary>
    public override bool CanRetract => _seen is null;

    public override void Retract(in Cell value)
    {
        if (_seen is not null)
        {
            base.Retract(value);
            return;
        }
        if (value.IsNull)
            return;
        var comparer = new CellComparer(type.Kind);
        // The last occurrence, as ksqlDB's COLLECT_LIST undo: the value most recently added for it.
        for (var i = _items.Count - 1; i >= 0; i--)
        {
            if (comparer.Equals(_items[i], value))
            {
                _items.RemoveAt(i);
                return;
            }
        }
    }

    public override void Serialize(IBufferWriter<byte> writer) => CellSet.Write(writer, _items, type);

    public override void Restore(ReadOnlySpan<byte> state)
    {
        _items.Clear();
        _seen?.Clear();
        var cells = new List<Cell>();
        CellSet.Read(state, cells, type);
        foreach (var cell in cells)
            Add(cell);
    }
}

/// <summary>A count, then each value (the state of COUNT_DISTINCT and COLLECT_LIST / COLLECT_SET).</summary>
internal static class CellSet
{
    public static void Write(IBufferWriter<byte> writer, IReadOnlyCollection<Cell> cells, SqlType type)
    {
        AccumulatorState.WriteInt64(writer, cells.Count);
        foreach (var cell in cells)
            AccumulatorState.WriteCell(writer, cell, type);
    }

    public static void Read(ReadOnlySpan<byte> state, ICollection<Cell> cells, SqlType type)
    {
        cells.Clear();
        var position = 0;
        var count = AccumulatorState.ReadInt64(state, ref position);
        if (count < 0 || count > state.Length)
            throw Format.NestedValueCodec.Corrupt();
        for (var i = 0; i < count; i++)
            cells.Add(AccumulatorState.ReadCell(state, ref position, type));
    }
}
