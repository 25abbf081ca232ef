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
    public const long MsPerDay = 86_400_000L;

    private static readonly string[] PartialDateFormats = ["yyyy", "yyyy-MM", "yyyy-MM-dd"];

    public static bool TryParseTimestamp(string text, out long timestampMs)
    {
        if (TryParseIsoFast(text, out timestampMs))
            return true;
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

    /// <summary>
    /// The common layouts without DateTime parsing (COPY of timestamps is hot): <c>yyyy-MM-dd</c>, then optionally
    /// <c>[T ]HH:mm[:ss[.fraction]]</c> and <c>Z</c> or <c>±HH[:mm]</c>. Anything else takes the general path.
    /// </summary>
    private static bool TryParseIsoFast(string text, out long timestampMs)
    {
        timestampMs = 0;
        var s = text.AsSpan();
        if (s.Length < 10 || s[4] != '-' || s[7] != '-' || !Digits(s, 0, 4, out var year)
            || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        long ms = 0;
        var i = 10;
        if (i < s.Length && (s[i] == 'T' || s[i] == ' '))
        {
            if (s.Length < i + 6 || s[i + 3] != ':' || !Digits(s, i + 1, 2, out var hour)
                || !Digits(s, i + 4, 2, out var minute) || hour > 23 || minute > 59)
                return false;
            ms = (hour * 3_600_000L) + (minute * 60_000L);
            i += 6;
            if (i < s.Length && s[i] == ':')
            {
                if (!Digits(s, i + 1, 2, out var second) || second > 59)
                    return false;
                ms += second * 1000L;
                i += 3;
                if (i < s.Length && s[i] == '.')
                {
                    var scale = 100;
                    i++;
                    var start = i;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        ms += (s[i] - '0') * scale;
                        scale /= 10;
                        i++;
                    }
                    if (i == start)
                        return false;
                }
            }
        }
        if (i < s.Length && !TryZone(s[i..], ref ms))
            return false;
        timestampMs = ((new DateTime(year, month, day).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond)
            + ms;
        return true;
    }

    private static bool TryZone(ReadOnlySpan<char> zone, ref long ms)
    {
        if (zone is "Z" or "z")
            return true;
        if (zone.Length is not (3 or 5 or 6) || (zone[0] != '+' && zone[0] != '-') || !Digits(zone, 1, 2,
            out var hours))
            return false;
        var minutes = 0;
        if (zone.Length > 3 && !Digits(zone, zone.Length - 2, 2, out minutes))
            return false;
        var offsetMs = (hours * 3_600_000L) + (minutes * 60_000L);
        ms -= zone[0] == '+' ? offsetMs : -offsetMs;
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
            return false;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
                return false;
            value = (value * 10) + (s[i] - '0');
        }
        return true;
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
