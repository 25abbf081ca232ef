using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Query.Engine.Types;

/// <summary>
/// Parses text fields straight from UTF-8 bytes into cells (COPY's hot path: no string, no boxing). The fast
/// paths accept only the common spellings (plain integers, numbers, ISO timestamps); anything else, including
/// every invalid value, falls back to <see cref="ValueCast.ParseText"/>, so what is accepted and every error
/// message stay exactly those of INSERT.
/// </summary>
public static class Utf8ValueParser
{
    private const int UnixEpochDayNumber = 719_162;   // DateOnly(1970, 1, 1).DayNumber

    /// <summary>Parses <paramref name="text"/> as a value of <paramref name="type"/> (not STRING).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Cell ParseCell(ReadOnlySpan<byte> text, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Int when TryParseInt64(text, out var int64) && int64 == (int)int64:
                return Cell.FromInt64(int64);
            case SqlTypeKind.BigInt when TryParseInt64(text, out var int64):
                return Cell.FromInt64(int64);
            case SqlTypeKind.Double when TryParseDouble(text, out var number):
                return Cell.FromDouble(number);
            case SqlTypeKind.Timestamp when TryParseTimestamp(text, out var timestampMs):
                return Cell.FromInt64(timestampMs);
            case SqlTypeKind.Boolean when TryParseBoolean(text, out var flag):
                return Cell.FromInt64(flag ? 1 : 0);
            case SqlTypeKind.Decimal when type is DecimalType { IsWide: false } d
                && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value):
                return Cell.FromDecimal(CastMethods.ToDecimal(value, d.Precision, d.Scale));
            default:
                return Cell.FromObject(ValueCast.ParseText(Encoding.UTF8.GetString(text), type), type);
        }
    }

    /// <summary>An optional sign and 1 to 18 ASCII digits (so it cannot overflow); false for anything else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var at = negative || (text.Length > 0 && text[0] == (byte)'+') ? 1 : 0;
        var digits = text.Length - at;
        if (digits is < 1 or > 18)
            return false;
        long result = 0;
        for (; at < text.Length; at++)
        {
            var digit = (uint)(text[at] - '0');
            if (digit > 9)
                return false;
            result = (result * 10) + digit;
        }
        value = negative ? -result : result;
        return true;
    }

    /// <summary>The common spellings only: t, f, true, false (any case).</summary>
    public static bool TryParseBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        value = false;
        if (text.Length == 1)
        {
            value = (text[0] | 0x20) == 't';
            return value || (text[0] | 0x20) == 'f';
        }
        if (Ascii.EqualsIgnoreCase(text, "true"u8))
            return value = true;
        return Ascii.EqualsIgnoreCase(text, "false"u8);
    }

    /// <summary>PostgreSQL float8 input: every form double.Parse takes, with a fast path for plain decimals.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value) =>
        TryParsePlainDecimal(text, out value)
        || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// <c>[-+]digits[.digits]</c> with at most 15 digits in all: the digits as an integer (below 2^53) and the
    /// power of ten (at most 10^22) are exact doubles, so one IEEE division rounds correctly, as double.Parse
    /// does (Clinger's fast path). Anything else (exponents, more digits, spaces, NaN) returns false.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParsePlainDecimal(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var i = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        long mantissa = 0;
        int digits = 0, fractionDigits = 0, point = -1;
        for (; i < text.Length; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (digit <= 9)
            {
                mantissa = (mantissa * 10) + digit;
                digits++;
                if (point >= 0)
                    fractionDigits++;
            }
            else if (text[i] == (byte)'.' && point < 0)
            {
                point = i;
            }
            else
            {
                return false;
            }
        }
        if (digits == 0 || digits > 15)
            return false;
        var magnitude = fractionDigits == 0 ? mantissa : mantissa / PowersOfTen[fractionDigits];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// <c>YYYY-MM-DD[T| ]HH:MM:SS[.1 to 7 digits][Z]</c> as epoch milliseconds (truncated to ms, as
    /// <see cref="Temporal.ParseTimestamp"/> does); false for any other form, which the slow path then handles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out long timestampMs)
    {
        timestampMs = 0;
        if (text.Length > 0 && text[^1] == (byte)'Z')
            text = text[..^1];
        if (text.Length < 19 || text[4] != '-' || text[7] != '-' || (text[10] != ' ' && text[10] != 'T')
            || text[13] != ':' || text[16] != ':')
            return false;
        if (!TryDigits(text, 0, 4, out var year) || !TryDigits(text, 5, 2, out var month)
            || !TryDigits(text, 8, 2, out var day) || !TryDigits(text, 11, 2, out var hour)
            || !TryDigits(text, 14, 2, out var minute) || !TryDigits(text, 17, 2, out var second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23
            || minute > 59 || second > 59)
            return false;
        var millis = 0;
        if (text.Length > 19)
        {
            if (text[19] != '.' || text.Length == 20 || !TryDigits(text, 20, text.Length - 20, out _, maxDigits: 7))
                return false;
            for (var i = 20; i < 23; i++)
                millis = (millis * 10) + (i < text.Length ? text[i] - '0' : 0);
        }
        var days = new DateOnly(year, month, day).DayNumber - UnixEpochDayNumber;
        timestampMs = (days * 86_400_000L) + (((hour * 3600L) + (minute * 60L) + second) * 1000L) + millis;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value, int maxDigits = 4)
    {
        value = 0;
        if (count > maxDigits)
            return false;
        for (var i = start; i < start + count; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (digit > 9)
                return false;
            value = (value * 10) + (int)digit;
        }
        return true;
    }
}
