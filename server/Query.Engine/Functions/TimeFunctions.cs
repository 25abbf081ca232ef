using System.Globalization;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// Date and time functions. Formats are Java DateTimeFormatter patterns as in ksqlDB (yyyy-MM-dd'T'HH:mm:ss.SSS),
/// translated to .NET patterns once per call; zones are IANA ids (or UTC).
/// </summary>
public static class TimeFunctions
{
    /// <summary>Epoch milliseconds now, by the engine's clock (the compiler passes it).</summary>
    public static long UnixTimestampNow(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public static long UnixTimestamp(long timestamp) => timestamp;

    public static long FromUnixTime(long milliseconds) => milliseconds;

    public static int UnixDate(TimeProvider clock) => Temporal.DaysOf(UnixTimestampNow(clock));

    public static string FormatTimestamp(long timestamp, string format) => FormatTimestamp(timestamp, format, "UTC");

    public static string FormatTimestamp(long timestamp, string format, string zone)
    {
        var utc = Temporal.ToDateTime(timestamp);
        var timeZone = FindZone(zone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, timeZone);
        return local.ToString(JavaTimePattern.ForFormat(format, utc, timeZone), CultureInfo.InvariantCulture);
    }

    public static long? ParseTimestamp(string text, string format) => ParseTimestamp(text, format, "UTC");

    /// <summary>
    /// Text that does not match the pattern gives NULL, as ksqlDB's PARSE_ functions do (ksqlDB logs the row to
    /// its processing log); a query over many rows is not failed by one bad value.
    /// </summary>
    public static long? ParseTimestamp(string text, string format, string zone)
    {
        if (JavaTimePattern.HasOffset(format))
            text = JavaTimePattern.NormalizeOffset(text);
        if (!DateTime.TryParseExact(text, JavaTimePattern.ForParse(format), CultureInfo.InvariantCulture,
                DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AdjustToUniversal, out var parsed))
            return null;
        var utc = parsed.Kind == DateTimeKind.Unspecified
            ? TimeZoneInfo.ConvertTimeToUtc(parsed, FindZone(zone)) : parsed.ToUniversalTime();
        return Temporal.ToEpochMs(utc);
    }

    public static int? ParseTime(string text, string format) =>
        DateTime.TryParseExact(text, JavaTimePattern.ForParse(format), CultureInfo.InvariantCulture,
            DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.NoCurrentDateDefault, out var parsed)
            ? (int)(parsed.TimeOfDay.Ticks / TimeSpan.TicksPerMillisecond) : null;

    public static string FormatDate(int days, string format) =>
        DateTime.UnixEpoch.AddDays(days).ToString(
            JavaTimePattern.ForFormat(format, DateTime.UnixEpoch.AddDays(days), TimeZoneInfo.Utc),
            CultureInfo.InvariantCulture);

    /// <summary>
    /// ksqlDB parses dates with a SimpleDateFormat-style parser, which reads a date from the start of the text and
    /// ignores what follows it: PARSE_DATE('2003-12-24-01-01', 'yyyy-MM-dd') is 2003-12-24 (ksqlDB's own test
    /// "coalesce - with parse_date"). So the longest prefix that matches the pattern wins.
    /// </summary>
    public static int? ParseDate(string text, string format)
    {
        if (ParseTimestamp(text, format, "UTC") is { } whole)
            return Temporal.DaysOf(whole);
        // A date is never much longer than its pattern (month names, long years): try only such prefixes, so a
        // long text costs a bounded number of attempts.
        for (var length = Math.Min(text.Length - 1, (format.Length * 4) + 32); length > 0; length--)
        {
            if (ParseTimestamp(text[..length], format, "UTC") is { } timestamp)
                return Temporal.DaysOf(timestamp);
        }
        return null;
    }

    public static int FromDays(int days) => days;

    public static int UnixDateOf(int days) => days;

    public static string FormatTime(int msOfDay, string format) =>
        DateTime.UnixEpoch.AddMilliseconds(msOfDay).ToString(
            JavaTimePattern.ForFormat(format, DateTime.UnixEpoch, TimeZoneInfo.Utc), CultureInfo.InvariantCulture);

    public static string TimestampToString(long timestamp, string format) => FormatTimestamp(timestamp, format);

    public static string TimestampToStringTz(long timestamp, string format, string zone) =>
        FormatTimestamp(timestamp, format, zone);

    public static long? StringToTimestamp(string text, string format) => ParseTimestamp(text, format);

    public static long? StringToTimestampTz(string text, string format, string zone) =>
        ParseTimestamp(text, format, zone);

    public static long ConvertTz(long timestamp, string fromZone, string toZone)
    {
        var source = TimeZoneInfo.ConvertTimeToUtc(Temporal.ToDateTime(timestamp), FindZone(fromZone));
        var target = TimeZoneInfo.ConvertTimeFromUtc(source, FindZone(toZone));
        return Temporal.ToEpochMs(DateTime.SpecifyKind(target, DateTimeKind.Utc));
    }

    public static long DateTrunc(string unit, long timestamp)
    {
        var value = Temporal.ToDateTime(timestamp);
        var truncated = unit.ToUpperInvariant() switch
        {
            "YEAR" => new DateTime(value.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            "MONTH" => new DateTime(value.Year, value.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            "DAY" => value.Date,
            "HOUR" => new DateTime(value.Year, value.Month, value.Day, value.Hour, 0, 0, DateTimeKind.Utc),
            "MINUTE" => new DateTime(value.Year, value.Month, value.Day, value.Hour, value.Minute, 0, DateTimeKind.Utc),
            "SECOND" => new DateTime(value.Year, value.Month, value.Day, value.Hour, value.Minute, value.Second,
                DateTimeKind.Utc),
            _ => throw new SqlException(SqlState.InvalidParameterValue, $"unit \"{unit}\" not recognized"),
        };
        return Temporal.ToEpochMs(truncated);
    }

    public static long TimestampSub(string unit, long amount, long timestamp) =>
        TimestampAdd(unit, checked(-amount), timestamp);

    /// <summary>DATEADD(unit, n, date): whole days of the interval are added (DATEADD('HOURS', 25, d) is d + 1).
    /// </summary>
    public static int DateAdd(string unit, long amount, int days) =>
        checked(days + (int)(UnitMilliseconds(unit, amount) / Temporal.MsPerDay));

    public static int DateSub(string unit, long amount, int days) => DateAdd(unit, checked(-amount), days);

    /// <summary>TIMEADD(unit, n, time): wraps around midnight, as a time of day does.</summary>
    public static int TimeAdd(string unit, long amount, int msOfDay)
    {
        var ms = (msOfDay + (UnitMilliseconds(unit, amount) % Temporal.MsPerDay)) % Temporal.MsPerDay;
        return (int)(ms < 0 ? ms + Temporal.MsPerDay : ms);
    }

    public static int TimeSub(string unit, long amount, int msOfDay) => TimeAdd(unit, checked(-amount), msOfDay);

    private static long UnitMilliseconds(string unit, long amount) =>
        checked(unit.ToUpperInvariant().TrimEnd('S') switch
        {
            "MILLISECOND" => amount,
            "SECOND" => amount * 1000,
            "MINUTE" => amount * 60_000,
            "HOUR" => amount * 3_600_000,
            "DAY" => amount * Temporal.MsPerDay,
            _ => throw new SqlException(SqlState.InvalidParameterValue,
                $"unit \"{unit}\" not recognized; use MILLISECONDS, SECONDS, MINUTES, HOURS or DAYS"),
        });

    /// <summary>TIMESTAMPADD(unit, n, ts) with the unit given as text ('DAYS', 'HOURS', ...).</summary>
    public static long TimestampAdd(string unit, long amount, long timestamp)
    {
        var value = Temporal.ToDateTime(timestamp);
        var result = unit.ToUpperInvariant().TrimEnd('S') switch
        {
            "MILLISECOND" => value.AddMilliseconds(amount),
            "SECOND" => value.AddSeconds(amount),
            "MINUTE" => value.AddMinutes(amount),
            "HOUR" => value.AddHours(amount),
            "DAY" => value.AddDays(amount),
            "WEEK" => value.AddDays(7 * amount),
            "MONTH" => value.AddMonths(checked((int)amount)),
            "YEAR" => value.AddYears(checked((int)amount)),
            _ => throw new SqlException(SqlState.InvalidParameterValue, $"unit \"{unit}\" not recognized"),
        };
        return Temporal.ToEpochMs(result);
    }

    public static int Year(long timestamp) => Temporal.ToDateTime(timestamp).Year;

    public static int Month(long timestamp) => Temporal.ToDateTime(timestamp).Month;

    public static int DayOfMonth(long timestamp) => Temporal.ToDateTime(timestamp).Day;

    public static int Hour(long timestamp) => Temporal.ToDateTime(timestamp).Hour;

    private static TimeZoneInfo FindZone(string zone)
    {
        if (string.Equals(zone, "UTC", StringComparison.OrdinalIgnoreCase) || zone == "Z")
            return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"time zone \"{zone}\" not recognized");
        }
    }
}
