namespace Query.Engine.Planning;

/// <summary>
/// A set of 64-bit integers as sorted, disjoint, closed intervals: the offsets or timestamps a predicate can
/// match. Immutable; <see cref="All"/> is [long.MinValue, long.MaxValue].
/// </summary>
public sealed class IntervalSet
{
    private readonly (long Low, long High)[] _intervals;

    private IntervalSet((long, long)[] intervals) => _intervals = intervals;

    public static readonly IntervalSet All = new([(long.MinValue, long.MaxValue)]);

    public static readonly IntervalSet None = new([]);

    public static IntervalSet Range(long low, long high) => low > high ? None : new([(low, high)]);

    public static IntervalSet AtLeast(long low) => Range(low, long.MaxValue);

    public static IntervalSet AtMost(long high) => Range(long.MinValue, high);

    public static IntervalSet Point(long value) => Range(value, value);

    public IReadOnlyList<(long Low, long High)> Intervals => _intervals;

    public bool IsEmpty => _intervals.Length == 0;

    public bool IsAll => _intervals.Length == 1 && _intervals[0] == (long.MinValue, long.MaxValue);

    public long Min => _intervals[0].Low;

    public long Max => _intervals[^1].High;

    public IntervalSet Intersect(IntervalSet other)
    {
        var result = new List<(long, long)>();
        int i = 0, j = 0;
        while (i < _intervals.Length && j < other._intervals.Length)
        {
            var low = Math.Max(_intervals[i].Low, other._intervals[j].Low);
            var high = Math.Min(_intervals[i].High, other._intervals[j].High);
            if (low <= high)
                result.Add((low, high));
            if (_intervals[i].High < other._intervals[j].High)
                i++;
            else
                j++;
        }
        return new IntervalSet([.. result]);
    }

    public IntervalSet Union(IntervalSet other)
    {
        var all = new List<(long Low, long High)>(_intervals);
        all.AddRange(other._intervals);
        return FromRanges(all);
    }

    /// <summary>The union of closed intervals given in any order (the list is sorted in place).</summary>
    public static IntervalSet FromRanges(List<(long Low, long High)> all)
    {
        all.Sort((a, b) => a.Low.CompareTo(b.Low));
        var result = new List<(long, long)>();
        foreach (var (low, high) in all)
        {
            if (result.Count > 0)
            {
                var (lastLow, lastHigh) = result[^1];
                if (lastHigh == long.MaxValue || low <= lastHigh + 1)
                {
                    result[^1] = (lastLow, Math.Max(lastHigh, high));
                    continue;
                }
            }
            result.Add((low, high));
        }
        return new IntervalSet([.. result]);
    }

    public override string ToString()
    {
        if (IsEmpty)
            return "none";
        var parts = new string[_intervals.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var (low, high) = _intervals[i];
            parts[i] = $"[{(low == long.MinValue ? "-inf" : low)}, {(high == long.MaxValue ? "+inf" : high)}]";
        }
        return string.Join(" u ", parts);
    }
}
