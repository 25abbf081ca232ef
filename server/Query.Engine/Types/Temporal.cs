using System.Globalization;
using Query.Engine.Errors;

namespace Query.Engine.Types;

/// <summary>
/// TIMESTAMP is Unix epoch milliseconds (UTC, no zone, ksqlDB's precision); DATE is days since 1970-01-01;
/// TIME is milliseconds since midnight. Text input accepts ISO-8601 with 'T' or a space, partial dates
/// ("2024-01" pads to the first), fractional seconds and an optional zone suffix (converted to UTC).
/// </summary>
public static class Temporal
{
    private const long MsPerDay = 86_400_000L;

    private static readonly string[] PartialDateFormats = ["yyyy", "yyyy-MM", "yyyy-MM-dd"];

    public static bool TryParseTimestamp(string text, out long timestampMs)
    {
        var trimmed = text.Trim();
        if (DateTime.TryParseExact(trimmed, PartialDateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            timestampMs = ToEpochMs(date);
            return true;
        }
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            timestampMs = parsed.ToUnixTimeMilliseconds();
            return true;
        }
        timestampMs = 0;
        return false;
    }

    public static long ParseTimestamp(string text) =>
        TryParseTimestamp(text, out var ms) ? ms
            : throw new SqlException(SqlState.InvalidDatetimeFormat,
                $"invalid input syntax for type timestamp: \"{text}\"");

    public static int ParseDate(string text)
    {
        if (DateTime.TryParseExact(text.Trim(), PartialDateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            return (int)(ToEpochMs(date) / MsPerDay);
        throw new SqlException(SqlState.InvalidDatetimeFormat, $"invalid input syntax for type date: \"{text}\"");
    }

    public static int ParseTime(string text)
    {
        if (TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var time)
            && time >= TimeSpan.Zero && time < TimeSpan.FromDays(1))
            return (int)(time.Ticks / TimeSpan.TicksPerMillisecond);
        throw new SqlException(SqlState.InvalidDatetimeFormat, $"invalid input syntax for type time: \"{text}\"");
    }

    public static DateTime ToDateTime(long timestampMs) =>
        DateTime.UnixEpoch.AddTicks(timestampMs * TimeSpan.TicksPerMillisecond);

    public static long ToEpochMs(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    /// <summary>PostgreSQL's text form: <c>2024-01-01 00:00:00</c>, with <c>.123</c> when there are ms.</summary>
    public static string FormatTimestamp(long timestampMs)
    {
        var value = ToDateTime(timestampMs);
        return value.Millisecond == 0
            ? value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd HH:mm:ss.FFF", CultureInfo.InvariantCulture);
    }

    public static string FormatDate(int days) =>
        DateTime.UnixEpoch.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string FormatTime(int msOfDay)
    {
        var time = TimeSpan.FromMilliseconds(msOfDay);
        return time.Milliseconds == 0
            ? time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)
            : time.ToString(@"hh\:mm\:ss\.FFF", CultureInfo.InvariantCulture);
    }

    public static int DaysOf(long timestampMs) => (int)Math.Floor(timestampMs / (double)MsPerDay);
}
