using Query.Storage.Reading;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// Flat aggregates folded straight from a column batch's vectors (the cold tier read by column): one tight loop per
/// aggregate over the selected rows, no row positioned, no cell made. What each loop does to the state is what
/// <see cref="Add"/> does row by row, in the same order (double sums add in input order), so results are identical.
/// </summary>
internal sealed partial class FlatAggregates
{
    /// <summary>The argument of an aggregate taken as <see cref="CountStar"/>: no column.</summary>
    public const int CountStar = -1;

    /// <summary>
    /// Whether <see cref="AddColumns"/> can fold aggregate <paramref name="aggregate"/> from a vector of
    /// <paramref name="kind"/> (null: the column is not in the batch, NULL in every row).
    /// </summary>
    public bool CanFold(int aggregate, ColumnVectorKind? kind) => (_kinds[aggregate], kind) switch
    {
        (Kind.CountAll or Kind.CountValues, _) => true,
        (_, null) => true,
        (Kind.SumInt64 or Kind.MinInt64 or Kind.MaxInt64, ColumnVectorKind.Int32 or ColumnVectorKind.Int64) => true,
        (Kind.SumDouble or Kind.AvgDouble or Kind.MinDouble or Kind.MaxDouble, ColumnVectorKind.Double) => true,
        _ => false,
    };

    /// <summary>
    /// Folds rows <paramref name="rows"/> of <paramref name="columns"/> into group <paramref name="group"/>: aggregate
    /// a takes column <paramref name="arguments"/>[a] (<see cref="CountStar"/> for COUNT(*)), whose vector
    /// <see cref="CanFold"/> must accept.
    /// </summary>
    public void AddColumns(int group, ColumnBatch columns, ReadOnlySpan<int> rows, ReadOnlySpan<int> arguments)
    {
        var state = _slots.AsSpan(group * _stride, _stride);
        for (var a = 0; a < _kinds.Length; a++)
        {
            ref var value = ref state[2 * a];
            ref var count = ref state[(2 * a) + 1];
            var kind = _kinds[a];
            var vector = arguments[a] == CountStar ? null : columns.Columns[arguments[a]];
            if (kind == Kind.CountAll)
            {
                count += rows.Length;
                continue;
            }
            if (vector is null)
                continue;                       // NULL in every row: nothing to fold
            var nulls = vector.HasNulls ? vector.Nulls : null;
            switch (kind)
            {
                case Kind.CountValues:
                    count += nulls is null ? rows.Length : CountPresent(nulls, rows);
                    break;
                case Kind.SumInt64:
                    count += vector.Kind == ColumnVectorKind.Int32 ? SumInt64(vector.Int32s, nulls, rows, ref value)
                        : SumInt64(vector.Int64s, nulls, rows, ref value);
                    break;
                case Kind.SumDouble or Kind.AvgDouble:
                    count += SumDouble(vector.Doubles, nulls, rows, ref value);
                    break;
                case Kind.MinInt64 or Kind.MaxInt64:
                    count += vector.Kind == ColumnVectorKind.Int32
                        ? KeepInt64(vector.Int32s, nulls, rows, kind == Kind.MinInt64, ref value, count)
                        : KeepInt64(vector.Int64s, nulls, rows, kind == Kind.MinInt64, ref value, count);
                    break;
                default:
                    count += KeepDouble(vector.Doubles, nulls, rows, kind == Kind.MinDouble, ref value, count);
                    break;
            }
        }
    }

    private static int CountPresent(bool[] nulls, ReadOnlySpan<int> rows)
    {
        var present = 0;
        foreach (var row in rows)
            present += nulls[row] ? 0 : 1;
        return present;
    }

    // Checked, as Add: an overflow fails the query whatever the order of the values.
    private static int SumInt64<T>(T[] values, bool[]? nulls, ReadOnlySpan<int> rows, ref long sum)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var total = sum;
        var added = 0;
        foreach (var row in rows)
        {
            if (nulls is not null && nulls[row])
                continue;
            total = checked(total + long.CreateTruncating(values[row]));
            added++;
        }
        sum = total;
        return added;
    }

    private static int SumDouble(double[] values, bool[]? nulls, ReadOnlySpan<int> rows, ref long sumBits)
    {
        var total = BitConverter.Int64BitsToDouble(sumBits);
        var added = 0;
        foreach (var row in rows)
        {
            if (nulls is not null && nulls[row])
                continue;
            total += values[row];
            added++;
        }
        sumBits = BitConverter.DoubleToInt64Bits(total);
        return added;
    }

    private static int KeepInt64<T>(T[] values, bool[]? nulls, ReadOnlySpan<int> rows, bool min, ref long kept,
        long count) where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var best = kept;
        var any = count > 0;
        var added = 0;
        foreach (var row in rows)
        {
            if (nulls is not null && nulls[row])
                continue;
            var value = long.CreateTruncating(values[row]);
            if (!any || (min ? value < best : value > best))
                best = value;
            any = true;
            added++;
        }
        kept = best;
        return added;
    }

    // double.CompareTo, as Keep: NaN orders below every number.
    private static int KeepDouble(double[] values, bool[]? nulls, ReadOnlySpan<int> rows, bool min, ref long keptBits,
        long count)
    {
        var best = BitConverter.Int64BitsToDouble(keptBits);
        var bestBits = keptBits;
        var any = count > 0;
        var added = 0;
        foreach (var row in rows)
        {
            if (nulls is not null && nulls[row])
                continue;
            var value = values[row];
            var order = value.CompareTo(best);
            if (!any || (min ? order < 0 : order > 0))
            {
                best = value;
                bestBits = BitConverter.DoubleToInt64Bits(value);
            }
            any = true;
            added++;
        }
        keptBits = bestBits;
        return added;
    }
}
