using System.Globalization;
using System.Text;
using Query.PgWire.Framing;

namespace Query.PgWire.Types;

/// <summary>
/// Date/time conversions. Binary dates count days and timestamps count microseconds from the PostgreSQL epoch
/// 2000-01-01; the session API uses the Unix epoch, so both are shifted here. int32/int64 min/max mean -/+infinity.
/// </summary>
public static class PgTime
{
    public const long PostgresEpochUnixMicros = 946_684_800_000_000;
    public const int PostgresEpochUnixDays = 10_957;
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    public static long UnixMicrosToPostgres(long unixMicros) =>
        unixMicros is long.MaxValue or long.MinValue ? unixMicros : unixMicros - PostgresEpochUnixMicros;

    public static long PostgresToUnixMicros(long pgMicros) =>
        pgMicros is long.MaxValue or long.MinValue ? pgMicros : pgMicros + PostgresEpochUnixMicros;

    public static int UnixDaysToPostgres(int unixDays) =>
        unixDays is int.MaxValue or int.MinValue ? unixDays : unixDays - PostgresEpochUnixDays;

    public static int PostgresToUnixDays(int pgDays) =>
        pgDays is int.MaxValue or int.MinValue ? pgDays : pgDays + PostgresEpochUnixDays;

    public static long ToUnixMicros(DateTime value) =>
        (value.Ticks - UnixEpochTicks) / 10;

    public static DateTime FromUnixMicros(long unixMicros) =>
        new(UnixEpochTicks + unixMicros * 10, DateTimeKind.Utc);

    /// <summary><c>2024-01-02 03:04:05.123456</c>, with <c>+05:30</c>-style offset when a zone is given.</summary>
    public static void WriteTimestampText(PgOutputBuffer output, long unixMicros, TimeZoneInfo? zone)
    {
        if (unixMicros is long.MaxValue or long.MinValue)
        {
            output.WriteUtf8(unixMicros == long.MaxValue ? "infinity" : "-infinity");
            return;
        }
        var utc = FromUnixMicrosChecked(unixMicros);
        var local = utc;
        var offset = TimeSpan.Zero;
        if (zone is not null && zone != TimeZoneInfo.Utc)
        {
            offset = zone.GetUtcOffset(utc);
            local = utc + offset;
        }
        var span = output.GetSpan(40);
        local.TryFormat(span, out int written, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        written += WriteFraction(span[written..], local.Ticks % TimeSpan.TicksPerSecond / 10);
        output.Advance(written);
        if (zone is not null)
            WriteOffset(output, offset);
    }

    public static void WriteDateText(PgOutputBuffer output, int unixDays)
    {
        if (unixDays is int.MaxValue or int.MinValue)
        {
            output.WriteUtf8(unixDays == int.MaxValue ? "infinity" : "-infinity");
            return;
        }
        var date = DateOnly.FromDayNumber(checked(unixDays + 719_162));
        var span = output.GetSpan(16);
        date.TryFormat(span, out int written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    public static void WriteTimeText(PgOutputBuffer output, long micros)
    {
        var span = output.GetSpan(24);
        long seconds = micros / 1_000_000;
        int written = WriteTwoDigits(span, seconds / 3600);
        span[written++] = (byte)':';
        written += WriteTwoDigits(span[written..], seconds / 60 % 60);
        span[written++] = (byte)':';
        written += WriteTwoDigits(span[written..], seconds % 60);
        written += WriteFraction(span[written..], micros % 1_000_000);
        output.Advance(written);
    }

    /// <summary>IntervalStyle postgres: <c>1 year 2 mons 3 days -04:05:06.5</c>, <c>00:00:00</c> for zero.</summary>
    public static string FormatInterval(long micros, int days, int months)
    {
        var text = new StringBuilder();
        bool isZero = true, isBefore = false;
        AppendPart(text, months / 12, "year", ref isZero, ref isBefore);
        AppendPart(text, months % 12, "mon", ref isZero, ref isBefore);
        AppendPart(text, days, "day", ref isZero, ref isBefore);
        if (isZero || micros != 0)
        {
            bool minus = micros < 0;
            ulong abs = minus ? (ulong)(-(micros + 1)) + 1 : (ulong)micros;
            if (!isZero)
                text.Append(' ');
            text.Append(minus ? "-" : isBefore ? "+" : "");
            ulong seconds = abs / 1_000_000;
            text.Append((seconds / 3600).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
                .Append((seconds / 60 % 60).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
                .Append((seconds % 60).ToString("D2", CultureInfo.InvariantCulture));
            ulong fraction = abs % 1_000_000;
            if (fraction != 0)
                text.Append('.').Append(fraction.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0'));
        }
        return text.ToString();
    }

    private static void AppendPart(StringBuilder text, int value, string unit, ref bool isZero, ref bool isBefore)
    {
        if (value == 0)
            return;
        if (!isZero)
            text.Append(' ');
        if (isBefore && value > 0)
            text.Append('+');
        text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(unit);
        if (value != 1)
            text.Append('s');
        isBefore = value < 0;
        isZero = false;
    }

    private static DateTime FromUnixMicrosChecked(long unixMicros)
    {
        long ticks = UnixEpochTicks + unixMicros * 10;
        if (unixMicros > (DateTime.MaxValue.Ticks - UnixEpochTicks) / 10 || unixMicros < -UnixEpochTicks / 10)
            throw new PgException("22008", "timestamp out of range");
        return new DateTime(ticks, DateTimeKind.Utc);
    }

    private static void WriteOffset(PgOutputBuffer output, TimeSpan offset)
    {
        var span = output.GetSpan(8);
        var abs = offset.Duration();
        span[0] = offset < TimeSpan.Zero ? (byte)'-' : (byte)'+';
        int written = 1 + WriteTwoDigits(span[1..], abs.Hours);
        if (abs.Minutes != 0)
        {
            span[written++] = (byte)':';
            written += WriteTwoDigits(span[written..], abs.Minutes);
        }
        output.Advance(written);
    }

    private static int WriteTwoDigits(Span<byte> span, long value)
    {
        value.TryFormat(span, out int written, "D2", CultureInfo.InvariantCulture);
        return written;
    }

    private static int WriteFraction(Span<byte> span, long micros)
    {
        if (micros == 0)
            return 0;
        span[0] = (byte)'.';
        micros.TryFormat(span[1..], out _, "D6", CultureInfo.InvariantCulture);
        int length = 7;
        while (span[length - 1] == (byte)'0')
            length--;
        return length;
    }
}
