using System.Runtime.Intrinsics.X86;
using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// The accumulators of COUNT, SUM, AVG (integers and doubles), MIN / MAX (integer-like and double values) and a
/// persistent query's change time for every group, held flat: two longs per aggregate per group (value, count) in
/// one array, so a group's state is one stretch of memory instead of an accumulator object per aggregate behind an
/// array of references. With many groups every input row misses the cache on its group's state; this makes that
/// one miss, and no virtual call. Results, overflow, NULL handling, retraction and the serialized state are those
/// of <see cref="Accumulator"/>'s COUNT, SUM, AVG, MIN, MAX and change time (Int64 sums checked, double sums in
/// input order; FlatAggregates.State.cs writes the same bytes), so a state log written by either one restores
/// into the other.
/// </summary>
internal sealed partial class FlatAggregates
{
    private enum Kind : byte
    {
        CountAll,
        CountValues,
        SumInt64,
        SumDouble,
        AvgDouble,
        MinInt64,
        MaxInt64,
        MinDouble,
        MaxDouble,
        ChangeTime,   // the latest value given (count: 1 once one was)
    }

    private readonly Kind[] _kinds;
    private readonly SqlType?[] _inputTypes;
    private readonly int _stride;
    // Grows by doubling (AddGroup); small at first, since most runs of a global aggregate hold one group.
    private const int InitialGroups = 16;
    private long[] _slots;

    private FlatAggregates(Kind[] kinds, SqlType?[] inputTypes)
    {
        _kinds = kinds;
        _inputTypes = inputTypes;
        _stride = 2 * kinds.Length;
        _slots = new long[Math.Max(2, _stride) * InitialGroups];
    }

    /// <summary>Bytes one group's state takes.</summary>
    public int GroupBytes => _stride * sizeof(long);

    /// <summary>Flat state for <paramref name="aggregates"/>, or null when one of them needs an accumulator.</summary>
    public static FlatAggregates? TryCreate(BoundAggregate[] aggregates)
    {
        var kinds = new Kind[aggregates.Length];
        var inputTypes = new SqlType?[aggregates.Length];
        for (var i = 0; i < aggregates.Length; i++)
        {
            if (KindOf(aggregates[i]) is not { } kind)
                return null;
            kinds[i] = kind;
            inputTypes[i] = aggregates[i].InputType;
        }
        return new FlatAggregates(kinds, inputTypes);
    }

    private static Kind? KindOf(BoundAggregate aggregate)
    {
        var input = aggregate.InputType?.Kind;
        var integer = input is SqlTypeKind.Int or SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Date
            or SqlTypeKind.Time;
        return aggregate.Kind switch
        {
            AggregateKind.CountStar => Kind.CountAll,
            AggregateKind.Count => Kind.CountValues,
            AggregateKind.Sum when input is SqlTypeKind.Double => Kind.SumDouble,
            AggregateKind.Sum when input is SqlTypeKind.Int or SqlTypeKind.BigInt => Kind.SumInt64,
            AggregateKind.Avg when input is SqlTypeKind.Double => Kind.AvgDouble,
            AggregateKind.Min when integer => Kind.MinInt64,
            AggregateKind.Max when integer => Kind.MaxInt64,
            AggregateKind.Min when input is SqlTypeKind.Double => Kind.MinDouble,
            AggregateKind.Max when input is SqlTypeKind.Double => Kind.MaxDouble,
            AggregateKind.ChangeTime when integer || input is null => Kind.ChangeTime,
            _ => null,
        };
    }

    /// <summary>Whether every aggregate is COUNT(*): then a row's state change needs nothing of the row.</summary>
    public bool CountsRowsOnly => Array.TrueForAll(_kinds, kind => kind == Kind.CountAll);

    /// <summary>Folds <paramref name="rows"/> rows into group <paramref name="group"/> when
    /// <see cref="CountsRowsOnly"/> (as many <see cref="Add"/> calls would).</summary>
    public void AddRows(int group, int rows)
    {
        var state = _slots.AsSpan(group * _stride, _stride);
        for (var a = 0; a < _kinds.Length; a++)
            state[(2 * a) + 1] += rows;
    }

    /// <summary>Makes room for group <paramref name="group"/> (its state starts at zero: no rows).</summary>
    public void AddGroup(int group)
    {
        var needed = (long)(group + 1) * _stride;
        if (needed > _slots.Length)
            Array.Resize(ref _slots, (int)Math.Max(needed, Math.Min(Array.MaxLength, 2L * _slots.Length)));
    }

    /// <summary>Resets group <paramref name="group"/> to no rows (a reused slot).</summary>
    public void Clear(int group) => _slots.AsSpan(group * _stride, _stride).Clear();

    /// <summary>Asks the processor to bring group <paramref name="group"/>'s state into the cache, ahead of an
    /// <see cref="Add"/> some records later (see ContinuousAggregateOperator.Batched.cs).</summary>
    public unsafe void Prefetch(int group)
    {
        if (!Sse.IsSupported)
            return;
        fixed (long* state = &_slots[group * _stride])
            Sse.Prefetch0(state);
    }

    /// <summary>Folds one row's aggregate arguments (<paramref name="values"/>, one per aggregate) in.</summary>
    public void Add(int group, ReadOnlySpan<Cell> values)
    {
        var state = _slots.AsSpan(group * _stride, _stride);
        for (var a = 0; a < _kinds.Length; a++)
        {
            ref readonly var value = ref values[a];
            ref var sum = ref state[2 * a];
            ref var count = ref state[(2 * a) + 1];
            switch (_kinds[a])
            {
                case Kind.CountAll:
                    count++;
                    break;
                case Kind.CountValues:
                    if (!value.IsNull)
                        count++;
                    break;
                case Kind.SumInt64:
                    if (!value.IsNull)
                    {
                        sum = checked(sum + value.Bits);
                        count++;
                    }
                    break;
                case Kind.SumDouble or Kind.AvgDouble:
                    if (!value.IsNull)
                    {
                        sum = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(sum) + value.AsDouble);
                        count++;
                    }
                    break;
                default:
                    if (!value.IsNull)
                        Keep(_kinds[a], ref sum, ref count, value.Bits);
                    break;
            }
        }
    }

    /// <summary>MIN, MAX and the change time: keeps <paramref name="bits"/> when it wins (or is the first).</summary>
    private static void Keep(Kind kind, ref long value, ref long count, long bits)
    {
        var wins = count == 0 || kind switch
        {
            Kind.MinInt64 => bits < value,
            Kind.MaxInt64 => bits > value,
            Kind.MinDouble => BitConverter.Int64BitsToDouble(bits).CompareTo(BitConverter.Int64BitsToDouble(value)) < 0,
            Kind.MaxDouble => BitConverter.Int64BitsToDouble(bits).CompareTo(BitConverter.Int64BitsToDouble(value)) > 0,
            _ => true,
        };
        if (wins)
            value = bits;
        count = kind == Kind.ChangeTime ? 1 : count + 1;
    }

    /// <summary>
    /// Takes a row's arguments back out of group <paramref name="group"/> (a table source's update or delete); the
    /// change time aggregate, if any, moves to <paramref name="changeTimeMs"/> instead. Only for aggregates whose
    /// accumulator can retract (COUNT, SUM, AVG): planners check that before.
    /// </summary>
    public void Retract(int group, ReadOnlySpan<Cell> values, long changeTimeMs)
    {
        var state = _slots.AsSpan(group * _stride, _stride);
        for (var a = 0; a < _kinds.Length; a++)
        {
            ref readonly var value = ref values[a];
            ref var sum = ref state[2 * a];
            ref var count = ref state[(2 * a) + 1];
            switch (_kinds[a])
            {
                case Kind.CountAll:
                    count--;
                    break;
                case Kind.CountValues:
                    if (!value.IsNull)
                        count--;
                    break;
                case Kind.SumInt64:
                    if (!value.IsNull)
                    {
                        sum = checked(sum - value.Bits);
                        count--;
                    }
                    break;
                case Kind.SumDouble or Kind.AvgDouble:
                    if (!value.IsNull)
                    {
                        sum = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(sum) - value.AsDouble);
                        count--;
                    }
                    break;
                case Kind.ChangeTime:
                    Keep(Kind.ChangeTime, ref sum, ref count, changeTimeMs);
                    break;
                default:
                    throw SqlException.FeatureNotSupported($"retracting a value from {_kinds[a]}");
            }
        }
    }

    /// <summary>Group <paramref name="group"/>'s result of aggregate <paramref name="aggregate"/>.</summary>
    public Cell Result(int group, int aggregate)
    {
        var at = (group * _stride) + (2 * aggregate);
        var count = _slots[at + 1];
        return _kinds[aggregate] switch
        {
            Kind.CountAll or Kind.CountValues => Cell.FromInt64(count),
            Kind.SumDouble => count == 0 ? Cell.Null : Cell.FromDouble(BitConverter.Int64BitsToDouble(_slots[at])),
            Kind.AvgDouble => count == 0 ? Cell.Null
                : Cell.FromDouble(BitConverter.Int64BitsToDouble(_slots[at]) / count),
            _ => count > 0 ? Cell.FromInt64(_slots[at]) : Cell.Null,
        };
    }

    /// <summary>Folds <paramref name="other"/>'s group (rows read after ours) into <paramref name="group"/>.</summary>
    public void Merge(int group, FlatAggregates other, int otherGroup)
    {
        var state = _slots.AsSpan(group * _stride, _stride);
        var from = other._slots.AsSpan(otherGroup * _stride, _stride);
        for (var a = 0; a < _kinds.Length; a++)
        {
            ref var value = ref state[2 * a];
            ref var count = ref state[(2 * a) + 1];
            switch (_kinds[a])
            {
                case Kind.CountAll or Kind.CountValues:
                    count += from[(2 * a) + 1];
                    break;
                case Kind.SumInt64:
                    value = checked(value + from[2 * a]);
                    count += from[(2 * a) + 1];
                    break;
                case Kind.SumDouble or Kind.AvgDouble:
                    value = BitConverter.DoubleToInt64Bits(
                        BitConverter.Int64BitsToDouble(value) + BitConverter.Int64BitsToDouble(from[2 * a]));
                    count += from[(2 * a) + 1];
                    break;
                default:
                    if (from[(2 * a) + 1] > 0)
                        Keep(_kinds[a], ref value, ref count, from[2 * a]);
                    break;
            }
        }
    }
}
