using System.Globalization;
using Query.Engine.Errors;

namespace Query.Engine.Functions;

/// <summary>
/// PostgreSQL's time functions that dashboards send: <c>extract</c> / <c>date_part</c> fields, <c>date_bin</c>,
/// <c>generate_series</c> of timestamps, and interval text (<c>'15 minutes'</c>, <c>'1 day 02:00:00'</c>). An
/// interval is a number of milliseconds here (INTERVAL literals are BIGINT milliseconds).
/// </summary>
public static class PgTimeFunctions
{
    /// <summary><c>date_bin(stride, ts, origin)</c>: the start of the stride-wide bin, counted from origin, that
    /// holds ts.</summary>
    public static long DateBin(long strideMs, long timestampMs, long originMs)
    {
        if (strideMs <= 0)
            throw new SqlException(SqlState.InvalidParameterValue, "stride must be greater than zero");
        var delta = timestampMs - originMs;
        var bins = delta / strideMs;
        if (delta % strideMs < 0)
            bins--;
        return originMs + (bins * strideMs);
    }

    /// <summary>Timestamps from start to end inclusive, step milliseconds apart (none when step points away).
    /// </summary>
    public static Types.SqlArray GenerateSeriesTimestamps(long startMs, long endMs, long stepMs)
    {
        if (stepMs == 0)
            throw new SqlException(SqlState.InvalidParameterValue, "step size cannot equal zero");
        var away = stepMs > 0 ? startMs > endMs : startMs < endMs;
        var count = away ? 0 : ((endMs - startMs) / stepMs) + 1;
        var items = ResultAllocation.Items(Math.Max(0, count));
        for (var i = 0L; i < items.Length; i++)
            items[i] = startMs + (i * stepMs);
        return new Types.SqlArray(items);
    }

    /// <summary>The milliseconds of an interval's text; null when it is not one.</summary>
    public static long? ParseIntervalMs(string text)
    {
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var total = 0.0;
        var sign = 1;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Contains(':', StringComparison.Ordinal))
            {
                if (!TimeSpan.TryParse(part.TrimStart('-', '+'), CultureInfo.InvariantCulture, out var clock))
                    return null;
                total += (part.StartsWith('-') ? -1 : 1) * clock.TotalMilliseconds;
                continue;
            }
            if (part.Equals("ago", StringComparison.OrdinalIgnoreCase))
            {
                sign = -1;
                continue;
            }
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
                return null;
            var unit = i + 1 < parts.Length ? UnitMs(parts[i + 1]) : 1000;   // a bare number is seconds
            if (unit is null)
                return null;
            if (i + 1 < parts.Length)
                i++;
            total += count * unit.Value;
        }
        return parts.Length == 0 ? null : (long)Math.Round(total * sign);
    }

    private static double? UnitMs(string unit) => unit.ToLowerInvariant().TrimEnd('s') switch
    {
        "microsecond" or "u" => 0.001,
        "millisecond" or "m" => 1,
        "second" or "sec" => 1000,
        "minute" or "min" => 60_000,
        "hour" or "h" or "hr" => 3_600_000,
        "day" or "d" => 86_400_000,
        "week" or "w" => 7 * 86_400_000.0,
        "month" or "mon" => 30 * 86_400_000.0,
        "year" or "y" => 365.25 * 86_400_000,
        _ => null,
    };

    /// <summary>The fields of <c>extract</c> that <see cref="CatalogFunctions.DatePart"/> does not have.</summary>
    public static double? MoreFields(string field, DateTime time, long timestampMs) => field switch
    {
        "microseconds" => ((time.Second * 1000) + time.Millisecond) * 1000.0,
        "week" => ISOWeek.GetWeekOfYear(time),
        "isoyear" => ISOWeek.GetYear(time),
        "isodow" => time.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)time.DayOfWeek,
        "decade" => Math.Floor(time.Year / 10.0),
        "century" => Math.Ceiling(time.Year / 100.0),
        "millennium" => Math.Ceiling(time.Year / 1000.0),
        "timezone" or "timezone_hour" or "timezone_minute" => 0,
        "julian" => (timestampMs / 86_400_000.0) + 2440588,
        _ => null,
    };
}
