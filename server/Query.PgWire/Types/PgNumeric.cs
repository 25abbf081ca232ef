using System.Globalization;
using System.Text;
using Query.PgWire.Framing;

namespace Query.PgWire.Types;

/// <summary>
/// PostgreSQL's binary numeric: Int16 ndigits, Int16 weight, UInt16 sign, Int16 dscale, then ndigits base-10000
/// digits, most significant first; the value is sum(digit[i] * 10000^(weight - i)), shown with dscale decimals.
/// </summary>
public static class PgNumeric
{
    private const ushort Positive = 0x0000;
    private const ushort Negative = 0x4000;
    private const ushort NaN = 0xC000;

    public static void WriteBinary(PgOutputBuffer output, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        int scale = value.Scale;
        bool negative = bits[3] < 0;
        var magnitude = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        int pad = (4 - scale % 4) % 4;
        for (int i = 0; i < pad; i++)
            magnitude *= 10;
        int fractionGroups = (scale + pad) / 4;
        Span<short> groups = stackalloc short[12];   // little-endian base-10000 digits; 2^96 * 1000 has 8 groups
        int count = 0;
        while (magnitude != 0)
        {
            groups[count++] = (short)(ushort)(magnitude % 10000);
            magnitude /= 10000;
        }
        int low = 0;
        while (low < count && groups[low] == 0)
            low++;
        int ndigits = count - low;
        output.WriteInt16((short)ndigits);
        output.WriteInt16((short)(ndigits == 0 ? 0 : count - 1 - fractionGroups));
        output.WriteInt16(unchecked((short)(negative && ndigits > 0 ? Negative : Positive)));
        output.WriteInt16((short)scale);
        for (int i = count - 1; i >= low; i--)
            output.WriteInt16(groups[i]);
    }

    /// <summary>
    /// A numeric of up to 38 digits (a DECIMAL above System.Decimal's 28): its unscaled value and scale. The digits
    /// are grouped from text, so padding the fraction to whole base-10000 groups cannot overflow.
    /// </summary>
    public static void WriteBinary(PgOutputBuffer output, Int128 unscaled, int scale)
    {
        bool negative = unscaled < 0;
        string digits = (negative ? -unscaled : unscaled).ToString(CultureInfo.InvariantCulture);
        if (digits.Length < scale + 1)
            digits = digits.PadLeft(scale + 1, '0');
        int integral = digits.Length - scale;
        int fractionGroups = (scale + 3) / 4;
        int integralGroups = (integral + 3) / 4;
        string aligned = digits.PadLeft(integralGroups * 4 + scale, '0').PadRight((integralGroups + fractionGroups) * 4,
            '0');
        int count = aligned.Length / 4;
        Span<short> groups = stackalloc short[count];   // most significant first
        for (int i = 0; i < count; i++)
            groups[i] = short.Parse(aligned.AsSpan(i * 4, 4), CultureInfo.InvariantCulture);
        int first = 0;
        while (first < count && groups[first] == 0)
            first++;
        int last = count - 1;
        while (last >= first && groups[last] == 0)
            last--;
        int ndigits = last - first + 1;
        output.WriteInt16((short)ndigits);
        output.WriteInt16((short)(ndigits == 0 ? 0 : integralGroups - 1 - first));
        output.WriteInt16(unchecked((short)(negative && ndigits > 0 ? Negative : Positive)));
        output.WriteInt16((short)scale);
        for (int i = first; i <= last; i++)
            output.WriteInt16(groups[i]);
    }

    /// <summary>Decodes a binary numeric to its exact text form (e.g. <c>12.34</c>, <c>NaN</c>).</summary>
    public static string ReadBinaryAsText(ReadOnlySpan<byte> value)
    {
        if (value.Length < 8)
            throw new PgException(PgSqlState.InvalidBinaryRepresentation, "invalid numeric binary value");
        int ndigits = ReadInt16(value, 0);
        int weight = ReadInt16(value, 2);
        ushort sign = (ushort)ReadInt16(value, 4);
        int dscale = ReadInt16(value, 6);
        if (ndigits < 0 || value.Length != 8 + 2 * ndigits || dscale < 0 || dscale > 1000 || weight > 1000 ||
            weight < -1000)
            throw new PgException(PgSqlState.InvalidBinaryRepresentation, "invalid numeric binary value");
        if (sign == NaN)
            return "NaN";
        if (sign is 0xD000 or 0xF000)
            return sign == 0xD000 ? "Infinity" : "-Infinity";
        var text = new StringBuilder();
        if (sign == Negative)
            text.Append('-');
        // Integer part: groups with weight >= 0.
        if (weight < 0)
            text.Append('0');
        for (int w = weight, i = 0; w >= 0; w--, i++)
        {
            int digit = i < ndigits ? ReadInt16(value, 8 + 2 * i) : 0;
            text.Append(i == 0 ? digit.ToString(CultureInfo.InvariantCulture) : digit.ToString("D4",
                CultureInfo.InvariantCulture));
        }
        if (dscale > 0)
        {
            text.Append('.');
            var fraction = new StringBuilder();
            for (int w = -1; fraction.Length < dscale; w--)
            {
                int i = weight - w;
                int digit = i >= 0 && i < ndigits ? ReadInt16(value, 8 + 2 * i) : 0;
                fraction.Append(digit.ToString("D4", CultureInfo.InvariantCulture));
            }
            text.Append(fraction.ToString(0, dscale));
        }
        return text.ToString();
    }

    private static short ReadInt16(ReadOnlySpan<byte> value, int at) =>
        System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(value[at..]);
}
