using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>The running state of one aggregate for one group.</summary>
public abstract class Accumulator
{
    public abstract void Add(in Cell value);

    public abstract Cell Result();
}

internal sealed class CountAccumulator(bool countNulls) : Accumulator
{
    private long _count;

    public override void Add(in Cell value)
    {
        if (countNulls || !value.IsNull)
            _count++;
    }

    public override Cell Result() => Cell.FromInt64(_count);
}

internal sealed class DistinctCountAccumulator(SqlTypeKind kind) : Accumulator
{
    private readonly HashSet<Cell> _seen = new(new CellComparer(kind));

    public override void Add(in Cell value)
    {
        if (!value.IsNull)
            _seen.Add(value);
    }

    public override Cell Result() => Cell.FromInt64(_seen.Count);
}

internal sealed class Int64SumAccumulator : Accumulator
{
    private long _sum;
    private bool _any;

    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum = checked(_sum + value.Bits);
        _any = true;
    }

    public override Cell Result() => _any ? Cell.FromInt64(_sum) : Cell.Null;
}

internal sealed class DoubleSumAccumulator(bool average) : Accumulator
{
    private double _sum;
    private long _count;

    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum += value.AsDouble;
        _count++;
    }

    public override Cell Result() => _count == 0 ? Cell.Null : Cell.FromDouble(average ? _sum / _count : _sum);
}

internal sealed class DecimalSumAccumulator(bool average) : Accumulator
{
    private decimal _sum;
    private long _count;

    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum += value.Decimal;
        _count++;
    }

    public override Cell Result() => _count == 0 ? Cell.Null : Cell.FromDecimal(average ? _sum / _count : _sum);
}

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
}

internal sealed class ExtremeAccumulator(SqlTypeKind kind, bool max) : Accumulator
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
        var order = CellComparer.Compare(value, _best, kind);
        if (max ? order > 0 : order < 0)
            _best = value;
    }

    public override Cell Result() => _best;
}

internal sealed class ByOffsetAccumulator(bool latest) : Accumulator
{
    private Cell _value = Cell.Null;

    public override void Add(in Cell value)
    {
        if (!value.IsNull && (latest || _value.IsNull))
            _value = value;
    }

    public override Cell Result() => _value;
}

internal sealed class CollectAccumulator(SqlType type, bool distinct) : Accumulator
{
    private readonly List<object?> _items = [];
    private readonly HashSet<Cell>? _seen = distinct ? new HashSet<Cell>(new CellComparer(type.Kind)) : null;

    public override void Add(in Cell value)
    {
        if (value.IsNull || (_seen is not null && !_seen.Add(value)))
            return;
        _items.Add(value.ToObject(type));
    }

    public override Cell Result() => Cell.FromRef(new SqlArray([.. _items]));
}
