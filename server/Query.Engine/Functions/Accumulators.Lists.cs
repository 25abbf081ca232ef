using System.Buffers;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// SUM_LIST(ARRAY&lt;INT | BIGINT | DOUBLE&gt;): the sum of every non-NULL element of every list, in the element type
/// (0 before any list, as ksqlDB starts it); a NULL list adds nothing. An INT or BIGINT sum that overflows raises
/// 22003 as SUM does.
/// </summary>
internal sealed class SumListAccumulator(SqlTypeKind element) : Accumulator
{
    private long _sum;
    private double _doubleSum;

    public override void Add(in Cell value) => Fold(value, 1);

    public override bool CanRetract => true;

    public override void Retract(in Cell value) => Fold(value, -1);

    private void Fold(in Cell value, int sign)
    {
        if (value.IsNull || value.Ref is not SqlArray list)
            return;
        foreach (var item in list.Items)
        {
            switch (item)
            {
                case int i:
                    _sum = checked((int)_sum + (sign * i));
                    break;
                case long l:
                    _sum = checked(_sum + (sign * l));
                    break;
                case double d:
                    _doubleSum += sign * d;
                    break;
            }
        }
    }

    public override Cell Result() =>
        element == SqlTypeKind.Double ? Cell.FromDouble(_doubleSum) : Cell.FromInt64(_sum);

    public override void Merge(Accumulator other)
    {
        var from = (SumListAccumulator)other;
        _sum = element == SqlTypeKind.Int ? checked((int)_sum + (int)from._sum) : checked(_sum + from._sum);
        _doubleSum += from._doubleSum;
    }

    public override void Serialize(IBufferWriter<byte> writer)
    {
        AccumulatorState.WriteInt64(writer, _sum);
        AccumulatorState.WriteDouble(writer, _doubleSum);
    }

    public override void Restore(ReadOnlySpan<byte> state)
    {
        var position = 0;
        _sum = AccumulatorState.ReadInt64(state, ref position);
        _doubleSum = AccumulatorState.ReadDouble(state, ref position);
    }
}

/// <summary>
/// ATTR(x): the one value every row of the group has (NULL counts as a value), or NULL when the group holds more than
/// one distinct value or none, as ksqlDB's ATTR. It keeps a count per distinct value, so it can retract (a table
/// source's changed rows) and the state stays small for the single-valued columns it is meant for.
/// </summary>
internal sealed class AttrAccumulator(SqlType type) : Accumulator
{
    private readonly Dictionary<Cell, long> _counts = new(new CellComparer(type.Kind));
    private long _nulls;

    public override void Add(in Cell value) => Fold(value, 1);

    public override bool CanRetract => true;

    public override void Retract(in Cell value) => Fold(value, -1);

    private void Fold(in Cell value, long count)
    {
        if (value.IsNull)
        {
            _nulls = Math.Max(0, _nulls + count);
            return;
        }
        var now = Math.Max(0, _counts.GetValueOrDefault(value) + count);
        if (now == 0)
            _counts.Remove(value);
        else
            _counts[value] = now;
    }

    public override Cell Result()
    {
        if (_counts.Count + (_nulls > 0 ? 1 : 0) != 1)
            return Cell.Null;
        foreach (var (value, _) in _counts)
            return value;
        return Cell.Null;
    }

    public override void Merge(Accumulator other)
    {
        var from = (AttrAccumulator)other;
        _nulls += from._nulls;
        foreach (var (value, count) in from._counts)
            Fold(value, count);
    }

    public override void Serialize(IBufferWriter<byte> writer)
    {
        AccumulatorState.WriteInt64(writer, _nulls);
        AccumulatorState.WriteInt64(writer, _counts.Count);
        foreach (var (value, count) in _counts)
        {
            AccumulatorState.WriteCell(writer, value, type);
            AccumulatorState.WriteInt64(writer, count);
        }
    }

    public override void Restore(ReadOnlySpan<byte> state)
    {
        _counts.Clear();
        var position = 0;
        _nulls = AccumulatorState.ReadInt64(state, ref position);
        var entries = AccumulatorState.ReadInt64(state, ref position);
        for (var i = 0L; i < entries; i++)
        {
            var value = AccumulatorState.ReadCell(state, ref position, type);
            _counts[value] = AccumulatorState.ReadInt64(state, ref position);
        }
    }
}
