using System.Globalization;
using System.Text;
using Query.Engine.Errors;

namespace Query.Engine.Types;

/// <summary>
/// Typed conversions the compiled expressions call (no boxing). Range violations raise 22003 and bad text
/// 22P02 / 22007, as PostgreSQL does. Double to integer rounds half to even (PostgreSQL's rint); DECIMAL to
/// integer rounds half away from zero (PostgreSQL's numeric rounding).
/// </summary>
public static class CastMethods
{
    public static int Int64ToInt32(long value) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw SqlException.OutOfRange("integer");

    public static int DoubleToInt32(double value)
    {
        var rounded = Math.Round(value, MidpointRounding.ToEven);
        return rounded is >= int.MinValue and <= int.MaxValue ? (int)rounded : throw SqlException.OutOfRange("integer");
    }

    public static long DoubleToInt64(double value)
    {
        var rounded = Math.Round(value, MidpointRounding.ToEven);
        return rounded >= long.MinValue && rounded < 9.2233720368547758E18
            ? (long)rounded : throw SqlException.OutOfRange("bigint");
    }

    public static int DecimalToInt32(decimal value)
    {
        var rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        return rounded is >= int.MinValue and <= int.MaxValue ? (int)rounded : throw SqlException.OutOfRange("integer");
    }

    public static long DecimalToInt64(decimal value)
    {
        var rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        return rounded is >= long.MinValue and <= long.MaxValue ? (long)rounded
            : throw SqlException.OutOfRange("bigint");
    }

    public static decimal DoubleToDecimal(double value)
    {
        if (!double.IsFinite(value) || Math.Abs(value) >= 7.9e28)
            throw SqlException.OutOfRange("numeric");
        return (decimal)value;
    }

    public static double DecimalToDouble(decimal value) => (double)value;

    /// <summary>Rounds to the scale and checks the precision of DECIMAL(p, s); the result carries scale s.</summary>
    public static decimal ToDecimal(decimal value, int precision, int scale)
    {
        var rounded = Math.Round(value, scale, MidpointRounding.AwayFromZero);
        var limit = Pow10(precision - scale);
        if (Math.Abs(rounded) >= limit)
            throw new SqlException(SqlState.NumericValueOutOfRange, "numeric field overflow",
                detail: $"A field with precision {precision}, scale {scale} must round to an absolute value "
                    + $"less than 10^{precision - scale}.");
        return rounded + new decimal(0, 0, 0, false, (byte)scale);
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
            result *= 10m;
        return result;
    }

    public static string BooleanToString(bool value) => value ? "true" : "false";

    public static string Int32ToString(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Int64ToString(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string DoubleToString(double value) => ValueText.FormatDouble(value);

    public static string DecimalToString(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string TimestampToString(long value) => Temporal.FormatTimestamp(value);

    public static string DateToString(int value) => Temporal.FormatDate(value);

    public static string TimeToString(int value) => Temporal.FormatTime(value);

    public static string BytesToString(byte[] value) => Convert.ToBase64String(value);

    public static bool ParseBoolean(string text) => text.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "T" or "YES" or "Y" or "ON" or "1" => true,
        "FALSE" or "F" or "NO" or "N" or "OFF" or "0" => false,
        _ => throw SqlException.InvalidText("boolean", text),
    };

    public static int ParseInt32(string text)
    {
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        throw long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? SqlException.OutOfRange("integer") : SqlException.InvalidText("integer", text);
    }

    public static long ParseInt64(string text)
    {
        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        throw SqlException.InvalidText("bigint", text);
    }

    public static double ParseDouble(string text)
    {
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return value;
        return trimmed.ToUpperInvariant() switch
        {
            "NAN" => double.NaN,
            "INFINITY" or "+INFINITY" => double.PositiveInfinity,
            "-INFINITY" => double.NegativeInfinity,
            _ => throw SqlException.InvalidText("double precision", text),
        };
    }

    public static decimal ParseDecimal(string text)
    {
        if (decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return value;
        throw SqlException.InvalidText("numeric", text);
    }

    public static long ParseTimestamp(string text) => Temporal.ParseTimestamp(text);

    public static int ParseDate(string text) => Temporal.ParseDate(text);

    public static int ParseTime(string text) => Temporal.ParseTime(text);

    /// <summary>Text to BYTES: PostgreSQL's <c>\x</c> hex form, otherwise the UTF-8 bytes of the text.</summary>
    public static byte[] ParseBytes(string text)
    {
        if (text.StartsWith("\\x", StringComparison.Ordinal))
        {
            try
            {
                return Convert.FromHexString(text.AsSpan(2));
            }
            catch (FormatException)
            {
                throw SqlException.InvalidText("bytea", text);
            }
        }
        return Encoding.UTF8.GetBytes(text);
    }

    public static int TimestampToDate(long value) => Temporal.DaysOf(value);

    public static int TimestampToTime(long value) => (int)(((value % 86_400_000L) + 86_400_000L) % 86_400_000L);

    public static long DateToTimestamp(int value) => value * 86_400_000L;
}
