using System.Buffers;
using System.Numerics;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// The running state of one aggregate for one group. Besides folding values in (<see cref="Add"/>), state can be
/// combined with another partial state of the same aggregate (<see cref="Merge"/>: partial aggregation, state
/// restored from several places), a value can be taken back out (<see cref="Retract"/>: aggregating a table,
/// whose rows change) where the aggregate allows it, and the state round-trips through bytes
/// (<see cref="Serialize"/> / <see cref="Restore"/>: a persistent query's state changelog).
/// </summary>
public abstract class Accumulator
{
    public abstract void Add(in Cell value);

    public abstract Cell Result();

    /// <summary>Folds in <paramref name="other"/>'s state (same aggregate, same types; rows read after ours).</summary>
    public abstract void Merge(Accumulator other);

    /// <summary>Whether <see cref="Retract"/> is exact for this aggregate (MIN / MAX, for one, cannot be).</summary>
    public virtual bool CanRetract => false;

    /// <summary>Takes back a value added earlier. Only when <see cref="CanRetract"/>; planners check first.</summary>
    public virtual void Retract(in Cell value) =>
        throw SqlException.FeatureNotSupported($"retracting a value from {GetType().Name}");

    public abstract void Serialize(IBufferWriter<byte> writer);

    /// <summary>Replaces this state by one written by <see cref="Serialize"/>.</summary>
    public abstract void Restore(ReadOnlySpan<byte> state);
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

    public override void Merge(Accumulator other) => _count += ((CountAccumulator)other)._count;

    public override bool CanRetract => true;

    public override void Retract(in Cell value)
    {
        if (countNulls || !value.IsNull)
            _count--;
    }

    public override void Serialize(IBufferWriter<byte> writer) => AccumulatorState.WriteInt64(writer, _count);

    public override void Restore(ReadOnlySpan<byte> state)
    {
        var position = 0;
        _count = AccumulatorState.ReadInt64(state, ref position);
    }
}

internal sealed class DistinctCountAccumulator(SqlType type) : Accumulator
{
    private readonly HashSet<Cell> _seen = new(new CellComparer(type.Kind));

    public override void Add(in Cell value)
    {
        if (!value.IsNull)
            _seen.Add(value);
    }

    public override Cell Result() => Cell.FromInt64(_seen.Count);

    public override void Merge(Accumulator other) => _seen.UnionWith(((DistinctCountAccumulator)other)._seen);

    public override void Serialize(IBufferWriter<byte> writer) => CellSet.Write(writer, _seen, type);

    public override void Restore(ReadOnlySpan<byte> state) => CellSet.Read(state, _seen, type);
}

/// <summary>
/// SUM / AVG's state: a running sum and the count of the values in it. Merging and the state's bytes are the same
/// for every type of sum (a writer and reader of the sum aside); adding, retracting and the result convert values
/// and stay with each type, on the per-row path without a further virtual call.
/// </summary>
internal abstract class SumAccumulator<TSum> : Accumulator
    where TSum : struct, INumber<TSum>
{
    // Named as private fields are: each type's per-row code reads them as it did before this base was cut out.
    protected TSum _sum;
    protected long _count;

    public sealed override void Merge(Accumulator other)
    {
        var from = (SumAccumulator<TSum>)other;
        _sum = checked(_sum + from._sum);   // a BIGINT sum out of range fails as in Add; other types: as unchecked
        _count += from._count;
    }

    public sealed override bool CanRetract => true;

    public sealed override void Serialize(IBufferWriter<byte> writer)
    {
        WriteSum(writer, _sum);
        AccumulatorState.WriteInt64(writer, _count);
    }

    public sealed override void Restore(ReadOnlySpan<byte> state)
    {
        var position = 0;
        _sum = ReadSum(state, ref position);
        _count = AccumulatorState.ReadInt64(state, ref position);
    }

    protected abstract void WriteSum(IBufferWriter<byte> writer, TSum sum);

    protected abstract TSum ReadSum(ReadOnlySpan<byte> state, ref int position);
}

internal sealed class Int64SumAccumulator : SumAccumulator<long>
{
    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum = checked(_sum + value.Bits);
        _count++;
    }

    public override Cell Result() => _count > 0 ? Cell.FromInt64(_sum) : Cell.Null;

    public override void Retract(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum = checked(_sum - value.Bits);
        _count--;
    }

    protected override void WriteSum(IBufferWriter<byte> writer, long sum) => AccumulatorState.WriteInt64(writer, sum);

    protected override long ReadSum(ReadOnlySpan<byte> state, ref int position) =>
        AccumulatorState.ReadInt64(state, ref position);
}

internal sealed class DoubleSumAccumulator(bool average) : SumAccumulator<double>
{
    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum += value.AsDouble;
        _count++;
    }

    public override Cell Result() => _count == 0 ? Cell.Null : Cell.FromDouble(average ? _sum / _count : _sum);

    public override void Retract(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum -= value.AsDouble;
        _count--;
    }

    protected override void WriteSum(IBufferWriter<byte> writer, double sum) =>
        AccumulatorState.WriteDouble(writer, sum);

    protected override double ReadSum(ReadOnlySpan<byte> state, ref int position) =>
        AccumulatorState.ReadDouble(state, ref position);
}

internal sealed class DecimalSumAccumulator(bool average) : SumAccumulator<decimal>
{
    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum += value.Decimal;
        _count++;
    }

    public override Cell Result() => _count == 0 ? Cell.Null : Cell.FromDecimal(average ? _sum / _count : _sum);

    public override void Retract(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum -= value.Decimal;
        _count--;
    }

    protected override void WriteSum(IBufferWriter<byte> writer, decimal sum) =>
        Format.NestedValueCodec.WriteDecimal(writer, sum);

    protected override decimal ReadSum(ReadOnlySpan<byte> state, ref int position) =>
        AccumulatorState.ReadDecimal(state, ref position);
}
