using System.Globalization;
using System.Numerics;
using Query.Engine.Errors;

namespace Query.Engine.Types;

/// <summary>
/// A DECIMAL of 29 to 38 digits (ksqlDB's and SQL's largest DECIMAL precision), which System.Decimal (28-29
/// digits) cannot hold: an unscaled 128-bit integer and a scale, value = <see cref="Unscaled"/> / 10^<see
/// cref="Scale"/>. 10^38 is below 2^127, so every 38-digit value fits. A column or expression is wide or narrow
/// by its static type (<see cref="DecimalType.IsWide"/>); narrow DECIMALs stay System.Decimal on every hot path.
/// Arithmetic is exact (products and quotients go through <see cref="BigInteger"/>); every result is brought to
/// its static type with <see cref="ToPrecision"/>, which rounds half away from zero (PostgreSQL's numeric, Java's
/// HALF_UP) and raises 22003 past the precision.
/// </summary>
public readonly struct WideDecimal : IEquatable<WideDecimal>, IComparable<WideDecimal>, IComparable
{
    public const int MaxDigits = 38;

    private static readonly Int128[] Powers = BuildPowers();

    public WideDecimal(Int128 unscaled, int scale)
    {
        if (scale is < 0 or > MaxDigits)
            throw new ArgumentOutOfRangeException(nameof(scale));
        Unscaled = unscaled;
        Scale = scale;
    }

    public Int128 Unscaled { get; }

    public int Scale { get; }

    public int Sign => Unscaled.CompareTo(Int128.Zero);

    private static Int128[] BuildPowers()
    {
        var powers = new Int128[MaxDigits + 1];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
            powers[i] = powers[i - 1] * 10;
        return powers;
    }

    /// <summary>10^<paramref name="exponent"/>, 0 &lt;= exponent &lt;= 38.</summary>
    public static Int128 Pow10(int exponent) => Powers[exponent];

    public static WideDecimal FromInt64(long value) => new(value, 0);

    public static WideDecimal FromDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        return new WideDecimal(bits[3] < 0 ? -magnitude : magnitude, scale);
    }

    /// <summary>The double nearest the value (through its exact text, so correctly rounded).</summary>
    public double ToDouble() => double.Parse(ToString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The value as System.Decimal, rounded to the scale System.Decimal can hold; 22003 when the
    /// integral part has more than 28 digits.</summary>
    public decimal ToDecimal()
    {
        var value = ToBigInteger(this);
        var scale = Scale;
        while (scale > 0 && (BigInteger.Abs(value) >= DecimalLimit || scale > 28))
        {
            value = DivideRounded(value, 10);
            scale--;
        }
        if (BigInteger.Abs(value) >= DecimalLimit)
            throw SqlException.OutOfRange("numeric");
        var magnitude = BigInteger.Abs(value);
        var lo = (int)(uint)(magnitude & uint.MaxValue);
        var mid = (int)(uint)((magnitude >> 32) & uint.MaxValue);
        var hi = (int)(uint)((magnitude >> 64) & uint.MaxValue);
        return new decimal(lo, mid, hi, value.Sign < 0, (byte)scale);
    }

    private static readonly BigInteger DecimalLimit = BigInteger.One << 96;

    /// <summary>The value rounded (half away from zero) to <paramref name="scale"/> digits after the point;
    /// 22003 "numeric field overflow" when it then needs more than <paramref name="precision"/> digits.</summary>
    public WideDecimal ToPrecision(int precision, int scale) => FromBig(ToBigInteger(this), Scale, precision, scale);

    /// <summary><paramref name="unscaled"/> / 10^<paramref name="fromScale"/> as DECIMAL(precision, scale).</summary>
    public static WideDecimal FromBig(BigInteger unscaled, int fromScale, int precision, int scale)
    {
        if (fromScale < scale)
            unscaled *= BigInteger.Pow(10, scale - fromScale);
        else if (fromScale > scale)
            unscaled = DivideRounded(unscaled, BigInteger.Pow(10, fromScale - scale));
        if (BigInteger.Abs(unscaled) >= BigInteger.Pow(10, precision))
            throw new SqlException(SqlState.NumericValueOutOfRange, "numeric field overflow",
                detail: $"A field with precision {precision}, scale {scale} must round to an absolute value "
                    + $"less than 10^{precision - scale}.");
        return new WideDecimal((Int128)unscaled, scale);
    }

    /// <summary>Integer division rounding half away from zero.</summary>
    private static BigInteger DivideRounded(BigInteger dividend, BigInteger divisor)
    {
        var quotient = BigInteger.DivRem(dividend, divisor, out var remainder);
        if (BigInteger.Abs(remainder) * 2 >= BigInteger.Abs(divisor))
            quotient += (dividend.Sign < 0) != (divisor.Sign < 0) ? -1 : 1;
        return quotient;
    }

    public static BigInteger ToBigInteger(WideDecimal value) => (BigInteger)value.Unscaled;

    /// <summary>Rounds to <paramref name="places"/> digits after the point (negative: before it), keeping the
    /// scale; <paramref name="halfUp"/> rounds halves toward positive infinity (ksqlDB's ROUND), otherwise away
    /// from zero.</summary>
    public WideDecimal RoundTo(int places, bool halfUp)
    {
        if (places >= Scale)
            return this;
        var value = ToBigInteger(this);
        var unit = BigInteger.Pow(10, Scale - places);
        var floor = BigInteger.DivRem(value, unit, out var remainder);
        if (remainder.Sign < 0)
        {
            floor -= 1;
            remainder += unit;
        }
        var twice = remainder * 2;
        var up = twice > unit || (twice == unit && (halfUp || value.Sign >= 0));
        var rounded = (floor + (up ? 1 : 0)) * unit;
        return FromBig(rounded, Scale, MaxDigits, Scale);
    }

    /// <summary>The largest whole number not above (<paramref name="ceiling"/>: the smallest not below) the value,
    /// with scale 0.</summary>
    public WideDecimal Whole(bool ceiling)
    {
        var value = ToBigInteger(this);
        var unit = BigInteger.Pow(10, Scale);
        var whole = BigInteger.DivRem(value, unit, out var remainder);
        if (remainder.Sign < 0 && !ceiling)
            whole -= 1;
        else if (remainder.Sign > 0 && ceiling)
            whole += 1;
        return FromBig(whole, 0, MaxDigits, 0);
    }

    public WideDecimal Negate() => new(-Unscaled, Scale);

    public WideDecimal Abs() => Unscaled < 0 ? Negate() : this;

    public static WideDecimal operator +(WideDecimal left, WideDecimal right) => Combine(left, right, add: true);

    public static WideDecimal operator -(WideDecimal left, WideDecimal right) => Combine(left, right, add: false);

    public static WideDecimal operator -(WideDecimal value) => value.Negate();

    private static WideDecimal Combine(WideDecimal left, WideDecimal right, bool add)
    {
        var scale = Math.Max(left.Scale, right.Scale);
        return Add(left, right, !add, MaxDigits, scale);
    }

    /// <summary>left ± right, exact, then as DECIMAL(precision, scale) in one rounding.</summary>
    public static WideDecimal Add(WideDecimal left, WideDecimal right, bool negateRight, int precision, int scale)
    {
        var common = Math.Max(left.Scale, right.Scale);
        var a = ToBigInteger(left) * BigInteger.Pow(10, common - left.Scale);
        var b = ToBigInteger(right) * BigInteger.Pow(10, common - right.Scale);
        return FromBig(negateRight ? a - b : a + b, common, precision, scale);
    }

    /// <summary>The exact product as DECIMAL(precision, scale) in one rounding.</summary>
    public static WideDecimal Multiply(WideDecimal left, WideDecimal right, int precision, int scale) =>
        FromBig(ToBigInteger(left) * ToBigInteger(right), left.Scale + right.Scale, precision, scale);

    /// <summary>The product at scale s1 + s2, or fewer decimals (rounded) when it needs more than 38 digits.
    /// </summary>
    public static WideDecimal operator *(WideDecimal left, WideDecimal right)
    {
        var scale = left.Scale + right.Scale;
        var product = ToBigInteger(left) * ToBigInteger(right);
        var target = Math.Min(MaxDigits, scale);
        var digits = BigInteger.Abs(product).ToString(CultureInfo.InvariantCulture).Length;
        target = Math.Max(0, Math.Min(target, MaxDigits - (digits - scale)));
        return FromBig(product, scale, MaxDigits, target);
    }

    /// <summary><paramref name="left"/> / <paramref name="right"/> at <paramref name="scale"/> digits after the
    /// point (rounded half away from zero); 22012 when <paramref name="right"/> is 0.</summary>
    public static WideDecimal Divide(WideDecimal left, WideDecimal right, int scale)
    {
        if (right.Unscaled == 0)
            throw SqlException.DivisionByZero();
        // left.u / 10^ls / (right.u / 10^rs) = left.u * 10^(rs - ls) / right.u; keep one more digit to round.
        var shift = scale + right.Scale - left.Scale + 1;
        var dividend = ToBigInteger(left);
        var divisor = ToBigInteger(right);
        if (shift >= 0)
            dividend *= BigInteger.Pow(10, shift);
        else
            divisor *= BigInteger.Pow(10, -shift);
        return FromBig(BigInteger.Divide(dividend, divisor), scale + 1, MaxDigits, scale);
    }

    /// <summary>The remainder with the dividend's sign (PostgreSQL's and Java's); 22012 when dividing by 0.
    /// </summary>
    public static WideDecimal Remainder(WideDecimal left, WideDecimal right)
    {
        if (right.Unscaled == 0)
            throw SqlException.DivisionByZero();
        var scale = Math.Max(left.Scale, right.Scale);
        var a = ToBigInteger(left) * BigInteger.Pow(10, scale - left.Scale);
        var b = ToBigInteger(right) * BigInteger.Pow(10, scale - right.Scale);
        return FromBig(BigInteger.Remainder(a, b), scale, MaxDigits, scale);
    }

    public int CompareTo(WideDecimal other)
    {
        if (Scale == other.Scale)
            return Unscaled.CompareTo(other.Unscaled);
        var scale = Math.Max(Scale, other.Scale);
        var a = ToBigInteger(this) * BigInteger.Pow(10, scale - Scale);
        var b = ToBigInteger(other) * BigInteger.Pow(10, scale - other.Scale);
        return a.CompareTo(b);
    }

    public int CompareTo(object? obj) => obj is WideDecimal other ? CompareTo(other)
        : throw new ArgumentException("not a WideDecimal", nameof(obj));

    /// <summary>Numeric equality: 1.0 equals 1.00.</summary>
    public bool Equals(WideDecimal other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is WideDecimal other && Equals(other);

    /// <summary>Equal values hash alike whatever their scale (trailing zeros are ignored).</summary>
    public override int GetHashCode()
    {
        var unscaled = Unscaled;
        var scale = Scale;
        while (scale > 0 && unscaled % 10 == 0)
        {
            unscaled /= 10;
            scale--;
        }
        return HashCode.Combine(unscaled, scale);
    }

    public static bool operator ==(WideDecimal left, WideDecimal right) => left.Equals(right);

    public static bool operator !=(WideDecimal left, WideDecimal right) => !left.Equals(right);

    public static bool operator <(WideDecimal left, WideDecimal right) => left.CompareTo(right) < 0;

    public static bool operator <=(WideDecimal left, WideDecimal right) => left.CompareTo(right) <= 0;

    public static bool operator >(WideDecimal left, WideDecimal right) => left.CompareTo(right) > 0;

    public static bool operator >=(WideDecimal left, WideDecimal right) => left.CompareTo(right) >= 0;

    /// <summary>Plain text with exactly <see cref="Scale"/> digits after the point ("-12345.1200").</summary>
    public override string ToString()
    {
        var digits = (Unscaled < 0 ? -Unscaled : Unscaled).ToString(CultureInfo.InvariantCulture);
        if (Scale > 0)
        {
            digits = digits.PadLeft(Scale + 1, '0');
            digits = string.Concat(digits.AsSpan(0, digits.Length - Scale), ".", digits.AsSpan(digits.Length - Scale));
        }
        return Unscaled < 0 ? "-" + digits : digits;
    }

    /// <summary>Parses plain or exponent notation ("12.5", "-.12", "1.5E3") exactly; false for anything else or
    /// for more than 38 significant digits after scaling (callers round with <see cref="ToPrecision"/>).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out WideDecimal value)
    {
        value = default;
        if (!TryParseExact(text, out var unscaled, out var scale))
            return false;
        // Keep at most 38 digits after the point (rounding), so the value fits before callers rescale it.
        if (scale > MaxDigits)
        {
            unscaled = DivideRounded(unscaled, BigInteger.Pow(10, scale - MaxDigits));
            scale = MaxDigits;
        }
        if (scale < 0)
        {
            unscaled *= BigInteger.Pow(10, -scale);
            scale = 0;
        }
        while (BigInteger.Abs(unscaled) >= BigInteger.Pow(10, MaxDigits) && scale > 0)
        {
            unscaled = DivideRounded(unscaled, 10);
            scale--;
        }
        if (BigInteger.Abs(unscaled) >= BigInteger.Pow(10, MaxDigits))
            return false;
        value = new WideDecimal((Int128)unscaled, scale);
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/>; 22003 for a value beyond 38 digits, 22P02 for bad text.
    /// </summary>
    public static WideDecimal Parse(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (TryParse(trimmed, out var value))
            return value;
        throw TryParseExact(trimmed, out _, out _) ? SqlException.OutOfRange("numeric")
            : SqlException.InvalidText("numeric", text);
    }

    private static bool TryParseExact(ReadOnlySpan<char> text, out BigInteger unscaled, out int scale)
    {
        unscaled = BigInteger.Zero;
        scale = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-')
            negative = text[i++] == '-';
        var digits = 0;
        var afterPoint = false;
        Int128 chunk = 0;
        var chunkDigits = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.' && !afterPoint)
            {
                afterPoint = true;
                continue;
            }
            if (c is < '0' or > '9')
                break;
            chunk = (chunk * 10) + (c - '0');
            if (++chunkDigits == 30)
            {
                unscaled = (unscaled * BigInteger.Pow(10, 30)) + (BigInteger)chunk;
                (chunk, chunkDigits) = (0, 0);
            }
            digits++;
            if (afterPoint)
                scale++;
        }
        unscaled = (unscaled * BigInteger.Pow(10, chunkDigits)) + (BigInteger)chunk;
        if (digits == 0 || digits > 1000)
            return false;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            if (!int.TryParse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture,
                    out var exponent) || Math.Abs(exponent) > 1000)
                return false;
            scale -= exponent;
            i = text.Length;
        }
        if (i != text.Length)
            return false;
        if (negative)
            unscaled = -unscaled;
        return true;
    }
}
