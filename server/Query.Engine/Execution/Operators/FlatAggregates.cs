using Query.Engine.Binding;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// The accumulators of COUNT, SUM and AVG over integers and doubles for every group, held flat: two longs per
/// aggregate per group (value, count) in one array, so a group's state is one stretch of memory instead of an
/// accumulator object per aggregate behind an array of references. With many groups every input row misses the
/// cache on its group's state; this makes that one miss, and no virtual call. Results, overflow and NULL handling
/// are those of <see cref="Accumulator"/>'s COUNT, SUM and AVG (Int64 sums checked, double sums in input order).
/// </summary>
internal sealed class FlatAggregates
{
    private enum Kind : byte
    {
        CountAll,
        CountValues,
        SumInt64,
        SumDouble,
        AvgDouble,
    }

    private readonly Kind[] _kinds;
    private readonly int _stride;
    private long[] _slots;

    private FlatAggregates(Kind[] kinds)
    {
        _kinds = kinds;
        _stride = 2 * kinds.Length;
        _slots = new long[Math.Max(2, _stride) * 1024];
    }

    /// <summary>Bytes one group's state takes.</summary>
    public int GroupBytes => _stride * sizeof(long);

    /// <summary>Flat state for <paramref name="aggregates"/>, or null when one of them needs an accumulator.</summary>
    public static FlatAggregates? TryCreate(BoundAggregate[] aggregates)
    {
        var kinds = new Kind[aggregates.Length];
        for (var i = 0; i < aggregates.Length; i++)
        {
            var aggregate = aggregates[i];
            var input = aggregate.InputType?.Kind;
            Kind? kind = aggregate.Kind switch
            {
                AggregateKind.CountStar => Kind.CountAll,
                AggregateKind.Count => Kind.CountValues,
                AggregateKind.Sum when input is SqlTypeKind.Double => Kind.SumDouble,
                AggregateKind.Sum when input is SqlTypeKind.Int or SqlTypeKind.BigInt => Kind.SumInt64,
                AggregateKind.Avg when input is SqlTypeKind.Double => Kind.AvgDouble,
                _ => null,
            };
            if (kind is null)
                return null;
            kinds[i] = kind.Value;
        }
        return new FlatAggregates(kinds);
    }

    /// <summary>Makes room for group <paramref name="group"/> (its state starts at zero: no rows).</summary>
    public void AddGroup(int group)
    {
        var needed = (long)(group + 1) * _stride;
        if (needed > _slots.Length)
            Array.Resize(ref _slots, (int)Math.Max(needed, Math.Min(Array.MaxLength, 2L * _slots.Length)));
    }

    /// <summary>Folds one row's aggregate arguments (<paramref name="values"/>, one per aggregate) in.</summary>
    public void Add(int group, ReadOnlySpan<Cell> values)
    {
        var state = _slots.AsSpan(group * _stride, _stride);
        for (var a = 0; a < _kinds.Length; a++)
        {
            ref readonly var value = ref values[a];
            switch (_kinds[a])
            {
                case Kind.CountAll:
                    state[(2 * a) + 1]++;
                    break;
                case Kind.CountValues:
                    if (!value.IsNull)
                        state[(2 * a) + 1]++;
                    break;
                case Kind.SumInt64:
                    if (!value.IsNull)
                    {
                        state[2 * a] = checked(state[2 * a] + value.Bits);
                        state[(2 * a) + 1]++;
                    }
                    break;
                default:
                    if (!value.IsNull)
                    {
                        state[2 * a] = BitConverter.DoubleToInt64Bits(
                            BitConverter.Int64BitsToDouble(state[2 * a]) + value.AsDouble);
                        state[(2 * a) + 1]++;
                    }
                    break;
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
            Kind.SumInt64 => count > 0 ? Cell.FromInt64(_slots[at]) : Cell.Null,
            Kind.SumDouble => count == 0 ? Cell.Null : Cell.FromDouble(BitConverter.Int64BitsToDouble(_slots[at])),
            _ => count == 0 ? Cell.Null : Cell.FromDouble(BitConverter.Int64BitsToDouble(_slots[at]) / count),
        };
    }

    /// <summary>Folds <paramref name="other"/>'s group (rows read after ours) into <paramref name="group"/>.</summary>
    public void Merge(int group, FlatAggregates other, int otherGroup)
    {
        var state = _slots.AsSpan(group * _stride, _stride);
        var from = other._slots.AsSpan(otherGroup * _stride, _stride);
        for (var a = 0; a < _kinds.Length; a++)
        {
            state[2 * a] = _kinds[a] switch
            {
                Kind.SumInt64 => checked(state[2 * a] + from[2 * a]),
                Kind.SumDouble or Kind.AvgDouble => BitConverter.DoubleToInt64Bits(
                    BitConverter.Int64BitsToDouble(state[2 * a]) + BitConverter.Int64BitsToDouble(from[2 * a])),
                _ => 0,
            };
            state[(2 * a) + 1] += from[(2 * a) + 1];
        }
    }
}
