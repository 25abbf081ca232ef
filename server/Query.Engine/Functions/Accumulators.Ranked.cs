using System.Buffers;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// TOPK / TOPKDISTINCT: the <c>k</c> largest non-NULL values, largest first (ksqlDB). Kept as a sorted list of at
/// most k values, so memory is bounded by k, not by the rows. A value that fell out cannot come back, so nothing
/// is retracted (ksqlDB's TOPK is for streams only). In TOPK's several-column form each value is a STRUCT whose
/// first field is ranked (the row's other columns ride along); a row whose ranked value is NULL is skipped.
/// </summary>
internal sealed class TopKAccumulator(SqlType type, int k, bool distinct) : Accumulator
{
    private readonly List<Cell> _top = new(Math.Min(k, 64));

    /// <summary>The type compared: the value's, or the first field's of a several-column STRUCT.</summary>
    private readonly SqlType _rankedType = type is StructType row ? row.Fields[0].Type : type;

    private Cell Ranked(in Cell value) =>
        type is StructType ? Cell.FromObject(((SqlStruct)value.Ref!).Fields[0], _rankedType) : value;

    private int Compare(in Cell x, in Cell ranked) => CellComparer.Compare(Ranked(x), ranked, _rankedType.Kind);

    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        var ranked = Ranked(value);
        if (ranked.IsNull)
            return;
        // The first position whose value is smaller: equal values keep their arrival order (as ksqlDB's tests show).
        int low = 0, high = _top.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            var order = Compare(_top[middle], ranked);
            if (distinct && order == 0)
                return;
            if (order >= 0)
                low = middle + 1;
            else
                high = middle;
        }
        if (low >= k)
            return;
        if (distinct && low > 0 && Compare(_top[low - 1], ranked) == 0)
            return;
        _top.Insert(low, value);
        if (_top.Count > k)
            _top.RemoveAt(_top.Count - 1);
    }

    public override Cell Result()
    {
        var items = new object?[_top.Count];
        for (var i = 0; i < items.Length; i++)
            items[i] = _top[i].ToObject(type);
        return Cell.FromRef(new SqlArray(items));
    }

    public override void Merge(Accumulator other)
    {
        foreach (var value in ((TopKAccumulator)other)._top)
            Add(value);
    }

    public override void Serialize(IBufferWriter<byte> writer) => CellSet.Write(writer, _top, type);

    public override void Restore(ReadOnlySpan<byte> state)
    {
        var cells = new List<Cell>();
        CellSet.Read(state, cells, type);
        _top.Clear();
        foreach (var cell in cells)
            Add(cell);
    }
}

/// <summary>
/// HISTOGRAM: how often each distinct non-NULL string occurs, as a MAP&lt;STRING, BIGINT&gt;. Like ksqlDB it
/// counts at most <see cref="MaxEntries"/> distinct values; later new values are ignored (their rows are not).
/// </summary>
internal sealed class HistogramAccumulator : Accumulator
{
    public const int MaxEntries = 1000;

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public override void Add(in Cell value)
    {
        if (value.IsNull)
            return;
        Count((string)value.Ref!, 1);
    }

    private void Count(string key, long times)
    {
        if (_counts.TryGetValue(key, out var count))
            _counts[key] = count + times;
        else if (_counts.Count < MaxEntries)
            _counts[key] = times;
    }

    public override Cell Result()
    {
        var keys = new object?[_counts.Count];
        var values = new object?[_counts.Count];
        var i = 0;
        foreach (var (key, count) in _counts)
        {
            keys[i] = key;
            values[i++] = count;
        }
        return Cell.FromRef(new SqlMap(keys, values));
    }

    public override void Merge(Accumulator other)
    {
        foreach (var (key, count) in ((HistogramAccumulator)other)._counts)
            Count(key, count);
    }

    public override bool CanRetract => true;

    public override void Retract(in Cell value)
    {
        if (value.IsNull || !_counts.TryGetValue((string)value.Ref!, out var count))
            return;
        if (count <= 1)
            _counts.Remove((string)value.Ref!);
        else
            _counts[(string)value.Ref!] = count - 1;
    }

    public override void Serialize(IBufferWriter<byte> writer)
    {
        AccumulatorState.WriteInt64(writer, _counts.Count);
        foreach (var (key, count) in _counts)
        {
            AccumulatorState.WriteCell(writer, Cell.FromRef(key), SqlType.String);
            AccumulatorState.WriteInt64(writer, count);
        }
    }

    public override void Restore(ReadOnlySpan<byte> state)
    {
        _counts.Clear();
        var position = 0;
        var entries = AccumulatorState.ReadInt64(state, ref position);
        if (entries < 0 || entries > state.Length)
            throw Format.NestedValueCodec.Corrupt();
        for (var i = 0; i < entries; i++)
        {
            var key = AccumulatorState.ReadCell(state, ref position, SqlType.String);
            var count = AccumulatorState.ReadInt64(state, ref position);
            if (key.IsNull)
                throw Format.NestedValueCodec.Corrupt();
            _counts[(string)key.Ref!] = count;
        }
    }
}

/// <summary>
/// CORRELATION(x, y): Pearson's coefficient over the pairs where both are non-NULL, from running sums (so Merge
/// and Retract are exact sums). The binder hands each pair over as a two-element ARRAY&lt;DOUBLE&gt;. As ksqlDB,
/// no pairs or a constant column give NaN (0 / 0).
/// </summary>
internal sealed class CorrelationAccumulator : Accumulator
{
    private double _sumX, _sumY, _sumXX, _sumYY, _sumXY;
    private long _count;

    public override void Add(in Cell value) => Fold(value, 1);

    public override bool CanRetract => true;

    public override void Retract(in Cell value) => Fold(value, -1);

    private void Fold(in Cell value, int sign)
    {
        if (value.IsNull || value.Ref is not SqlArray { Items: [double x, double y] })
            return;
        _sumX += sign * x;
        _sumY += sign * y;
        _sumXX += sign * x * x;
        _sumYY += sign * y * y;
        _sumXY += sign * x * y;
        _count += sign;
    }

    public override Cell Result()
    {
        var numerator = (_count * _sumXY) - (_sumX * _sumY);
        var varianceX = (_count * _sumXX) - (_sumX * _sumX);
        var varianceY = (_count * _sumYY) - (_sumY * _sumY);
        return Cell.FromDouble(numerator / Math.Sqrt(varianceX * varianceY));
    }

    public override void Merge(Accumulator other)
    {
        var from = (CorrelationAccumulator)other;
        _sumX += from._sumX;
        _sumY += from._sumY;
        _sumXX += from._sumXX;
        _sumYY += from._sumYY;
        _sumXY += from._sumXY;
        _count += from._count;
    }

    public override void Serialize(IBufferWriter<byte> writer)
    {
        foreach (var sum in (ReadOnlySpan<double>)[_sumX, _sumY, _sumXX, _sumYY, _sumXY])
            AccumulatorState.WriteDouble(writer, sum);
        AccumulatorState.WriteInt64(writer, _count);
    }

    public override void Restore(ReadOnlySpan<byte> state)
    {
        var position = 0;
        _sumX = AccumulatorState.ReadDouble(state, ref position);
        _sumY = AccumulatorState.ReadDouble(state, ref position);
        _sumXX = AccumulatorState.ReadDouble(state, ref position);
        _sumYY = AccumulatorState.ReadDouble(state, ref position);
        _sumXY = AccumulatorState.ReadDouble(state, ref position);
        _count = AccumulatorState.ReadInt64(state, ref position);
    }
}
