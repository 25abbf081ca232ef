namespace Query.Engine.Functions;

/// <summary>
/// ROUND and TRUNC as ksqlDB computes them: halves round toward positive infinity (ROUND(-1.5) = -1,
/// ROUND(1.5) = 2), a negative number of places rounds to tens, hundreds...; TRUNC cuts toward zero.
/// DOUBLE values go through DECIMAL when they fit, so ROUND(1.005, 2) rounds the decimal digits a user sees.
/// </summary>
public static class Rounding
{
    private const double DecimalLimit = 7.9e27;

    public static decimal RoundHalfUp(decimal value, int places) => Scale(value, places, truncate: false);

    public static decimal Truncate(decimal value, int places) => Scale(value, places, truncate: true);

    public static double RoundHalfUp(double value, int places) => Apply(value, places, truncate: false);

    public static double Truncate(double value, int places) => Apply(value, places, truncate: true);

    private static double Apply(double value, int places, bool truncate)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            return value;
        if (Math.Abs(value) < DecimalLimit)
            return (double)Scale(ToDecimal(value), Math.Min(places, 28), truncate);
        // Beyond decimal's range every double is an integer: only negative places can change it.
        if (places >= 0)
            return value;
        var unit = Math.Pow(10, -places);
        var scaled = value / unit;
        return (truncate ? Math.Truncate(scaled) : Math.Floor(scaled + 0.5)) * unit;
    }

    /// <summary>
    /// The decimal digits of the double's shortest round-trip text, as Java's BigDecimal.valueOf takes them (a plain
    /// conversion keeps only 15 significant digits, so ROUND(4477.646407574158, 13) lost its last two).
    /// </summary>
    private static decimal ToDecimal(double value)
    {
        Span<char> text = stackalloc char[32];
        return value.TryFormat(text, out var written, "R", System.Globalization.CultureInfo.InvariantCulture)
            && decimal.TryParse(text[..written], System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var exact)
            ? exact : (decimal)value;
    }

    private static decimal Scale(decimal value, int places, bool truncate)
    {
        if (places >= 0)
        {
            places = Math.Min(places, 28);
            return truncate ? TruncateTo(value, places) : HalfUp(value, places);
        }
        if (places < -28)
            return 0m;
        var unit = Pow10(-places);
        var scaled = value / unit;
        var whole = truncate ? decimal.Truncate(scaled) : HalfUp(scaled, 0);
        return whole * unit;
    }

    private static decimal HalfUp(decimal value, int places)
    {
        var away = Math.Round(value, places, MidpointRounding.AwayFromZero);
        if (value >= 0)
            return away;
        // A negative half rounds toward zero (up): -1.5 -> -1.
        var toward = Math.Round(value, places, MidpointRounding.ToZero);
        return away - toward == -Pow10Negative(places) && value - toward == -Pow10Negative(places) / 2
            ? toward : away;
    }

    private static decimal TruncateTo(decimal value, int places) => Math.Round(value, places, MidpointRounding.ToZero);

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
            result *= 10m;
        return result;
    }

    private static decimal Pow10Negative(int places)
    {
        var result = 1m;
        for (var i = 0; i < places; i++)
            result /= 10m;
        return result;
    }
}
