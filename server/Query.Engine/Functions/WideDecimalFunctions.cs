using System.Numerics;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// The DECIMAL overloads of the math functions for wide DECIMALs (precision above 28), with the same results as
/// the System.Decimal ones (<see cref="MathFunctions"/>, <see cref="Rounding"/>): ROUND halves toward positive
/// infinity (ksqlDB), TRUNC cuts toward zero, CEIL / FLOOR keep the argument's scale. A method whose name ends in
/// Narrow answers a System.Decimal, for a result type of at most 28 digits (ROUND(DECIMAL(33, 16)) is
/// DECIMAL(17, 0)).
/// </summary>
public static class WideDecimalFunctions
{
    public static WideDecimal Abs(WideDecimal value) => value.Abs();

    public static WideDecimal Ceil(WideDecimal value) =>
        value.Whole(ceiling: true).ToPrecision(WideDecimal.MaxDigits, value.Scale);

    public static WideDecimal Floor(WideDecimal value) =>
        value.Whole(ceiling: false).ToPrecision(WideDecimal.MaxDigits, value.Scale);

    public static int Sign(WideDecimal value) => value.Sign;

    public static WideDecimal Round(WideDecimal value) =>
        value.RoundTo(0, halfUp: true).ToPrecision(WideDecimal.MaxDigits, 0);

    public static decimal RoundNarrow(WideDecimal value) => Round(value).ToDecimal();

    public static WideDecimal RoundTo(WideDecimal value, int places) => value.RoundTo(places, halfUp: true);

    public static WideDecimal Trunc(WideDecimal value) => TruncTo(value, 0).ToPrecision(WideDecimal.MaxDigits, 0);

    public static decimal TruncNarrow(WideDecimal value) => Trunc(value).ToDecimal();

    /// <summary>Cuts toward zero at <paramref name="places"/> digits after the point, keeping the scale.</summary>
    public static WideDecimal TruncTo(WideDecimal value, int places)
    {
        if (places >= value.Scale)
            return value;
        var unit = BigInteger.Pow(10, value.Scale - places);
        var cut = BigInteger.Divide(WideDecimal.ToBigInteger(value), unit) * unit;
        return WideDecimal.FromBig(cut, value.Scale, WideDecimal.MaxDigits, value.Scale);
    }

    public static WideDecimal? Greatest(WideDecimal?[] values) => Pick(values, greater: true);

    public static WideDecimal? Least(WideDecimal?[] values) => Pick(values, greater: false);

    private static WideDecimal? Pick(WideDecimal?[] values, bool greater)
    {
        WideDecimal? best = null;
        foreach (var value in values)
        {
            if (value is { } v && (best is not { } b || (greater ? v > b : v < b)))
                best = v;
        }
        return best;
    }
}
