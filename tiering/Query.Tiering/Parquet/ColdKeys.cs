namespace Query.Tiering.Parquet;

// How each flat leaf's values (and the statistics Parquet.Net returns for it) become the numbers a column
// predicate's constant is compared with. Structs with static members, so the filter loops inline them.

internal readonly struct Int32AsInt64 : IColdKey<int, long>
{
    public static long Of(int value) => value;

    public static bool TryOfStatistic(object? statistic, out long key) => TryInteger(statistic, out key);

    internal static bool TryInteger(object? statistic, out long key)
    {
        switch (statistic)
        {
            case int i:
                key = i;
                return true;
            case long l:
                key = l;
                return true;
            default:
                key = 0;
                return false;
        }
    }
}

internal readonly struct Int32AsDouble : IColdKey<int, double>
{
    public static double Of(int value) => value;

    public static bool TryOfStatistic(object? statistic, out double key)
    {
        var known = Int32AsInt64.TryInteger(statistic, out var integer);
        key = integer;
        return known;
    }
}

internal readonly struct Int64AsInt64 : IColdKey<long, long>
{
    public static long Of(long value) => value;

    public static bool TryOfStatistic(object? statistic, out long key) => Int32AsInt64.TryInteger(statistic, out key);
}

internal readonly struct Int64AsDouble : IColdKey<long, double>
{
    public static double Of(long value) => value;

    public static bool TryOfStatistic(object? statistic, out double key)
    {
        var known = Int32AsInt64.TryInteger(statistic, out var integer);
        key = integer;
        return known;
    }
}

internal readonly struct DoubleAsDouble : IColdKey<double, double>
{
    public static double Of(double value) => value;

    public static bool TryOfStatistic(object? statistic, out double key)
    {
        key = statistic is double d ? d : double.NaN;
        return statistic is double;
    }
}

/// <summary>TIMESTAMP(MILLIS) as epoch milliseconds; its statistics come back as raw epoch units.</summary>
internal readonly struct TimestampAsEpochMs : IColdKey<DateTime, long>
{
    public static long Of(DateTime value) => ColdFields.ToEpochMs(value);

    public static bool TryOfStatistic(object? statistic, out long key)
    {
        var ms = ColdFileReader.StatisticMs(statistic);
        key = ms ?? 0;
        return ms.HasValue;
    }
}

/// <summary>DATE as days since 1970-01-01.</summary>
internal readonly struct DateAsEpochDays : IColdKey<DateOnly, long>
{
    private const int UnixEpochDayNumber = 719_162;

    public static long Of(DateOnly value) => value.DayNumber - UnixEpochDayNumber;

    public static bool TryOfStatistic(object? statistic, out long key)
    {
        switch (statistic)
        {
            case DateOnly date:
                key = Of(date);
                return true;
            case DateTime time:
                key = Of(DateOnly.FromDateTime(time));
                return true;
            case int days:
                key = days;          // the raw Parquet DATE: days since the epoch
                return true;
            default:
                key = 0;
                return false;
        }
    }
}
