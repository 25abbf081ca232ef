using System.Globalization;

namespace Query.Engine.Format;

/// <summary>
/// A DOUBLE as Java's <c>Double.toString</c> writes it, which is how ksqlDB's DELIMITED format writes doubles:
/// plain digits with at least one after the point from 10^-3 up to 10^7 (<c>10.0</c>, <c>0.001</c>), otherwise
/// <c>d.dddE±n</c> without a plus sign (<c>1.0E10</c>, <c>4.9E-324</c>); the digits are the fewest that read back
/// to the same double, and never fewer than two significant digits in the scientific form.
/// </summary>
public static class JavaDoubleText
{
    public static string Format(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "Infinity" : "-Infinity";
        if (value == 0)
            return double.IsNegative(value) ? "-0.0" : "0.0";
        var magnitude = Math.Abs(value);
        if (magnitude >= 1e-3 && magnitude < 1e7)
        {
            var plain = value.ToString("R", CultureInfo.InvariantCulture);
            if (plain.Contains('E', StringComparison.Ordinal))
                plain = value.ToString("0.####################", CultureInfo.InvariantCulture);
            return plain.Contains('.', StringComparison.Ordinal) ? plain : plain + ".0";
        }
        var digits = SignificantDigits(value);
        var text = value.ToString("E" + Math.Max(1, digits - 1).ToString(CultureInfo.InvariantCulture),
            CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = text[..e].TrimEnd('0');
        if (mantissa.EndsWith('.'))
            mantissa += "0";
        var exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return mantissa + "E" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>How many significant digits the shortest round-trip text of <paramref name="value"/> has.</summary>
    private static int SignificantDigits(double value)
    {
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e >= 0 ? text[..e] : text;
        var count = 0;
        var leading = true;
        foreach (var c in mantissa)
        {
            if (c is < '0' or > '9')
                continue;
            if (leading && c == '0')
                continue;
            leading = false;
            count++;
        }
        // Trailing zeros of an integer's text are not significant.
        if (e < 0 && !mantissa.Contains('.', StringComparison.Ordinal))
            count -= mantissa.Length - mantissa.TrimEnd('0').Length;
        return Math.Max(1, count);
    }
}
