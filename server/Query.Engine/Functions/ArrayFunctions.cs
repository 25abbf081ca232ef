using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// ksqlDB's set-like and ordering ARRAY functions. Elements compare by value (NULL equals NULL for the set
/// functions, as in ksqlDB); ordering is natural for primitives, with NULLs last.
/// </summary>
public static class ArrayFunctions
{
    /// <summary>NULL only when both are NULL; a single NULL side gives the other array.</summary>
    public static SqlArray? ArrayConcat(SqlArray? first, SqlArray? second)
    {
        if (first is null || second is null)
            return first ?? second;
        var items = ResultAllocation.Items((long)first.Count + second.Count);
        first.Items.CopyTo(items, 0);
        second.Items.CopyTo(items, first.Count);
        return new SqlArray(items);
    }

    public static SqlArray ArrayExcept(SqlArray array, SqlArray remove) =>
        Distinct(array.Items, item => !Contains(remove.Items, item));

    public static SqlArray ArrayIntersect(SqlArray array, SqlArray other) =>
        Distinct(array.Items, item => Contains(other.Items, item));

    public static SqlArray ArrayUnion(SqlArray first, SqlArray second)
    {
        var all = ResultAllocation.Items((long)first.Count + second.Count);
        first.Items.CopyTo(all, 0);
        second.Items.CopyTo(all, first.Count);
        return Distinct(all, _ => true);
    }

    /// <summary>Removes every element equal to the value (every NULL when the value is NULL).</summary>
    public static SqlArray? ArrayRemove(SqlArray? array, object? value)
    {
        if (array is null)
            return null;
        var kept = new List<object?>(array.Count);
        foreach (var item in array.Items)
        {
            if (!ValueEquality.ValueEquals(item, value))
                kept.Add(item);
        }
        return new SqlArray([.. kept]);
    }

    public static object? ArrayMax(SqlArray array) => Extreme(array, max: true);

    public static object? ArrayMin(SqlArray array) => Extreme(array, max: false);

    private static object? Extreme(SqlArray array, bool max)
    {
        object? best = null;
        foreach (var item in array.Items)
        {
            if (item is not null && (best is null || Compare(item, best) * (max ? 1 : -1) > 0))
                best = item;
        }
        return best;
    }

    public static SqlArray ArraySort(SqlArray array) => ArraySort(array, "ASC")!;

    /// <summary>Sorts ASC or DESC (any case), NULLs last either way; another direction gives NULL.</summary>
    public static SqlArray? ArraySort(SqlArray array, string direction)
    {
        var descending = direction.ToUpperInvariant() switch
        {
            "ASC" => false,
            "DESC" => true,
            _ => (bool?)null,
        };
        if (descending is null)
            return null;
        var items = (object?[])array.Items.Clone();
        Array.Sort(items, (a, b) => a is null || b is null
            ? (a is null).CompareTo(b is null)
            : descending.Value ? Compare(b, a) : Compare(a, b));
        return new SqlArray(items);
    }

    /// <summary>SLICE(a, from, to): 1-based, both ends included; a NULL end means the array's end.</summary>
    public static SqlArray? Slice(SqlArray? array, int? from, int? to)
    {
        if (array is null)
            return null;
        var start = Math.Max(1, from ?? 1);
        var end = Math.Min(array.Count, to ?? array.Count);
        if (start > end)
            return new SqlArray([]);
        return new SqlArray(array.Items[(start - 1)..end]);
    }

    /// <summary>GENERATE_SERIES(start, end, step): inclusive; a step of 0 or pointing away from end is 22023.</summary>
    public static SqlArray GenerateSeries(long start, long end, int step)
    {
        if (step == 0 || (end - start) * (long)Math.Sign(step) < 0)
            throw new SqlException(SqlState.InvalidParameterValue,
                $"GENERATE_SERIES step {step} cannot reach {end} from {start}");
        var count = ((end - start) / step) + 1;
        var items = ResultAllocation.Items(count);
        for (var i = 0L; i < count; i++)
            items[i] = start + (i * step);
        return new SqlArray(items);
    }

    public static SqlArray GenerateSeries(long start, long end) => GenerateSeries(start, end, start <= end ? 1 : -1);

    public static SqlArray GenerateSeriesInt(int start, int end, int step)
    {
        var series = GenerateSeries(start, end, step);
        for (var i = 0; i < series.Count; i++)
            series.Items[i] = (int)(long)series.Items[i]!;
        return series;
    }

    public static SqlArray GenerateSeriesInt(int start, int end) =>
        GenerateSeriesInt(start, end, start <= end ? 1 : -1);

    private static SqlArray Distinct(object?[] items, Func<object?, bool> keep)
    {
        var result = new List<object?>();
        foreach (var item in items)
        {
            if (keep(item) && !Contains(result, item))
                result.Add(item);
        }
        return new SqlArray([.. result]);
    }

    private static bool Contains(IEnumerable<object?> items, object? value)
    {
        foreach (var item in items)
        {
            if (ValueEquality.ValueEquals(item, value))
                return true;
        }
        return false;
    }

    /// <summary>Natural order of two non-NULL values of one primitive type (strings ordinal, bytes unsigned).</summary>
    public static int Compare(object a, object b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y),
        (IComparable x, _) => x.CompareTo(b),
        _ => 0,
    };
}
