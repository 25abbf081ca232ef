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

    /// <summary>ROUND(x): halves toward positive infinity, as ksqlDB (Java's Math.round) does.</summary>
    public static long RoundDouble(double value) => CastRound(Rounding.RoundHalfUp(value, 0));

    public static double RoundDoubleTo(double value, int digits) => Rounding.RoundHalfUp(value, digits);

    public static decimal RoundDecimal(decimal value) => Rounding.RoundHalfUp(value, 0);

    public static decimal RoundDecimalTo(decimal value, int digits) => Rounding.RoundHalfUp(value, digits);

    public static long TruncDouble(double value) => CastRound(Math.Truncate(value));

    public static double TruncDoubleTo(double value, int digits) => Rounding.Truncate(value, digits);

    public static decimal TruncDecimal(decimal value) => decimal.Truncate(value);

    public static decimal TruncDecimalTo(decimal value, int digits) => Rounding.Truncate(value, digits);

    private static long CastRound(double value) =>
        value >= long.MinValue && value < 9.2233720368547758E18 ? (long)value : throw SqlException.OutOfRange("bigint");

    // ksqlDB follows Java's Math here: SQRT(-1) is NaN and LN(0) is -Infinity, not an error (PostgreSQL raises
    // 2201F / 2201E). DOUBLE carries NaN and ±Infinity over the wire, so clients see ksqlDB's answers.
    public static double Sqrt(double value) => Math.Sqrt(value);

    /// <summary>Exact for perfect cubes (CBRT(27) = 3), where the platform's cube root can be one ulp off.</summary>
    public static double Cbrt(double value)
    {
        var root = Math.Cbrt(value);
        var whole = Math.Round(root);
        return whole * whole * whole == value ? whole : root;
    }

    public static double Power(double value, double exponent) => Math.Pow(value, exponent);

    public static double Ln(double value) => Math.Log(value);

    public static double Log10(double value) => Math.Log10(value);

    /// <summary>LOG(base, x): NaN for a base of 0, 1 or below 0 and for x below 0; -Infinity for x = 0.</summary>
    public static double LogBase(double logBase, double value)
    {
        if (logBase <= 0 || logBase == 1 || value < 0)
            return double.NaN;
        return value == 0 ? double.NegativeInfinity : Math.Log(value) / Math.Log(logBase);
    }

    public static double Exp(double value) => Math.Exp(value);

    public static int SignDouble(double value) => Math.Sign(value);

    public static double Random() => System.Random.Shared.NextDouble();

    public static double Pi() => Math.PI;

    public static double Degrees(double value) => value * 180 / Math.PI;

    public static double Radians(double value) => value * Math.PI / 180;

    public static double Sin(double value) => Math.Sin(value);

    public static double Cos(double value) => Math.Cos(value);

    public static double Tan(double value) => Math.Tan(value);

    public static double Cot(double value) => 1.0 / Math.Tan(value);

    public static double Acos(double value) => Math.Acos(value);

    public static double Asin(double value) => Math.Asin(value);

    public static double Atan(double value) => Math.Atan(value);

    public static double Atan2(double y, double x) => Math.Atan2(y, x);

    public static double Cosh(double value) => Math.Cosh(value);

    public static double Sinh(double value) => Math.Sinh(value);

    public static double Tanh(double value) => Math.Tanh(value);

    /// <summary>CEIL, FLOOR, ROUND and TRUNC of an integer: the integer itself, in its own type.</summary>
    public static int Whole32(int value) => value;

    public static long Whole64(long value) => value;

    public static int SignInt64(long value) => Math.Sign(value);

    public static int SignDecimal(decimal value) => Math.Sign(value);

    /// <summary>ROUND of an integer with a negative scale rounds to tens, hundreds...; otherwise it is exact.</summary>
    public static long RoundInt64To(long value, int digits) =>
        digits >= 0 ? value : CastRound((double)Rounding.RoundHalfUp((decimal)value, digits));

    public static int RoundInt32To(int value, int digits)
    {
        var rounded = RoundInt64To(value, digits);
        return rounded is >= int.MinValue and <= int.MaxValue ? (int)rounded : throw SqlException.OutOfRange("integer");
    }

    /// <summary>Great-circle distance between two points in decimal degrees, in km or miles.</summary>
    public static double GeoDistance(double lat1, double lon1, double lat2, double lon2) =>
        GeoDistance(lat1, lon1, lat2, lon2, "KM");

    public static double GeoDistance(double lat1, double lon1, double lat2, double lon2, string unit)
    {
        var radius = unit.ToUpperInvariant() switch
        {
            "KM" or "KILOMETER" or "KILOMETERS" or "KILOMETRE" or "KILOMETRES" => 6371.0,
            "MI" or "MILE" or "MILES" => 3959.0,
            _ => throw new SqlException(SqlState.InvalidParameterValue,
                $"GEO_DISTANCE unit \"{unit}\" is not KM or MILES"),
        };
        if (Math.Abs(lat1) > 90 || Math.Abs(lat2) > 90 || Math.Abs(lon1) > 180 || Math.Abs(lon2) > 180)
            throw new SqlException(SqlState.InvalidParameterValue,
                "GEO_DISTANCE latitudes must be within ±90 and longitudes within ±180 degrees");
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * radius * Math.Asin(Math.Sqrt(a));
    }
}
