using System.Globalization;
using Query.Engine.Errors;

namespace Query.Engine.Types;

/// <summary>
/// Conversions to and from wide DECIMALs (precision above 28) the compiled expressions and value casts call, with
/// the rules of <see cref="CastMethods"/>: values round half away from zero to the target scale, 22003 past its
/// precision or a target type's range, 22P02 for bad text.
/// </summary>
public static class WideDecimalCasts
{
    public static WideDecimal ToPrecision(WideDecimal value, int precision, int scale) =>
        value.ToPrecision(precision, scale);

    public static WideDecimal FromDecimal(decimal value) => WideDecimal.FromDecimal(value);

    public static WideDecimal FromInt64(long value) => WideDecimal.FromInt64(value);

    public static WideDecimal FromDouble(double value)
    {
        if (!double.IsFinite(value))
            throw SqlException.OutOfRange("numeric");
        return WideDecimal.Parse(value.ToString("R", CultureInfo.InvariantCulture));
    }

    public static WideDecimal Parse(string text) => WideDecimal.Parse(text);

    public static decimal ToDecimal(WideDecimal value) => value.ToDecimal();

    public static double ToDouble(WideDecimal value) => value.ToDouble();

    public static int ToInt32(WideDecimal value)
    {
        var whole = value.RoundTo(0, halfUp: false).Whole(ceiling: false);
        return whole.Unscaled >= int.MinValue && whole.Unscaled <= int.MaxValue ? (int)whole.Unscaled
            : throw SqlException.OutOfRange("integer");
    }

    public static long ToInt64(WideDecimal value)
    {
        var whole = value.RoundTo(0, halfUp: false).Whole(ceiling: false);
        return whole.Unscaled >= long.MinValue && whole.Unscaled <= long.MaxValue ? (long)whole.Unscaled
            : throw SqlException.OutOfRange("bigint");
    }

    public static string ToText(WideDecimal value) => value.ToString();

    /// <summary>Any engine value of <paramref name="from"/> (a number or text) as a wide DECIMAL.</summary>
    public static WideDecimal FromValue(object value, SqlType from) => value switch
    {
        WideDecimal wide => wide,
        decimal narrow => WideDecimal.FromDecimal(narrow),
        double d => FromDouble(d),
        int i => FromInt64(i),
        long l => FromInt64(l),
        string text => Parse(text),
        _ => throw SqlException.DatatypeMismatch($"cannot cast type {from} to numeric"),
    };
}
