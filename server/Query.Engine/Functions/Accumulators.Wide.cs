using System.Buffers;
using System.Numerics;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// SUM / AVG of a wide DECIMAL (precision above 28): the running sum is exact (a <see cref="BigInteger"/> at the
/// result's scale, so intermediate sums past 38 digits do not fail while later rows bring them back); the result is
/// brought to DECIMAL(38, scale), 22003 when the sum itself needs more than 38 digits. AVG keeps the scale and
/// rounds half away from zero.
/// </summary>
internal sealed class WideDecimalSumAccumulator(bool average, int scale) : SumAccumulator<BigInteger>
{
    private BigInteger AtScale(in Cell value) =>
        WideDecimal.ToBigInteger(((WideDecimal)value.Ref!).ToPrecision(WideDecimal.MaxDigits, scale));

    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum += AtScale(value);
        _count++;
    }

    public override Cell Result()
    {
        if (_count == 0)
            return Cell.Null;
        var sum = WideDecimal.FromBig(_sum, scale, WideDecimal.MaxDigits, scale);
        return Cell.FromWideDecimal(average ? WideDecimal.Divide(sum, WideDecimal.FromInt64(_count), scale) : sum);
    }

    public override void Retract(in Cell value)
    {
        if (value.IsNull)
            return;
        _sum -= AtScale(value);
        _count--;
    }

    protected override void WriteSum(IBufferWriter<byte> writer, BigInteger sum)
    {
        var bytes = sum.ToByteArray();
        AccumulatorState.WriteInt64(writer, bytes.Length);
        writer.Write(bytes);
    }

    protected override BigInteger ReadSum(ReadOnlySpan<byte> state, ref int position)
    {
        var length = AccumulatorState.ReadInt64(state, ref position);
        if (length < 0 || length > state.Length - position)
            throw Format.NestedValueCodec.Corrupt();
        var sum = new BigInteger(state.Slice(position, (int)length));
        position += (int)length;
        return sum;
    }
}
