using Query.Engine.Errors;

namespace Query.Engine.Functions;

/// <summary>Numeric functions; integer overloads are checked so overflow is 22003, never a wrong answer.</summary>
public static class MathFunctions
{
    public static int AbsInt32(int value) => value == int.MinValue ? throw SqlException.OutOfRange("integer")
        : Math.Abs(value);

    public static long AbsInt64(long value) => value == long.MinValue ? throw SqlException.OutOfRange("bigint")
        : Math.Abs(value);

    public static double AbsDouble(double value) => Math.Abs(value);

    public static decimal AbsDecimal(decimal value) => Math.Abs(value);

    public static double Ceil(double value) => Math.Ceiling(value);

    public static decimal CeilDecimal(decimal value) => Math.Ceiling(value);

    public static double Floor(double value) => Math.Floor(value);

    public static decimal FloorDecimal(decimal value) => Math.Floor(value);

    /// <summary>ROUND(x) rounds half away from zero (PostgreSQL and ksqlDB agree for DECIMAL).</summary>
    public static long RoundDouble(double value) => CastRound(Math.Round(value, MidpointRounding.AwayFromZero));

    public static double RoundDoubleTo(double value, int digits) =>
        Math.Round(value, Math.Clamp(digits, 0, 15), MidpointRounding.AwayFromZero);

    public static decimal RoundDecimal(decimal value) => Math.Round(value, MidpointRounding.AwayFromZero);

    public static decimal RoundDecimalTo(decimal value, int digits) =>
        Math.Round(value, Math.Clamp(digits, 0, 28), MidpointRounding.AwayFromZero);

    public static double Trunc(double value) => Math.Truncate(value);

    private static long CastRound(double value) =>
        value >= long.MinValue && value < 9.2233720368547758E18 ? (long)value : throw SqlException.OutOfRange("bigint");

    public static double Sqrt(double value) => value < 0
        ? throw new SqlException("2201F", "cannot take square root of a negative number") : Math.Sqrt(value);

    public static double Power(double value, double exponent) => Math.Pow(value, exponent);

    public static double Ln(double value) => value <= 0
        ? throw new SqlException("2201E", "cannot take logarithm of zero or a negative number") : Math.Log(value);

    public static double Log10(double value) => value <= 0
        ? throw new SqlException("2201E", "cannot take logarithm of zero or a negative number") : Math.Log10(value);

    public static double Exp(double value) => Math.Exp(value);

    public static int SignDouble(double value) => Math.Sign(value);

    public static double Random() => System.Random.Shared.NextDouble();

    public static double Pi() => Math.PI;

    public static double Degrees(double value) => value * 180 / Math.PI;

    public static double Radians(double value) => value * Math.PI / 180;

    public static double Sin(double value) => Math.Sin(value);

    public static double Cos(double value) => Math.Cos(value);

    public static double Tan(double value) => Math.Tan(value);
}
