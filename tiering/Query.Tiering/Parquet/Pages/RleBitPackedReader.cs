using System.Buffers.Binary;

namespace Query.Tiering.Parquet.Pages;

/// <summary>
/// Parquet's RLE / bit-packing hybrid (definition levels, dictionary indexes): runs of one repeated value
/// (header <c>count &lt;&lt; 1</c>, value in ceil(width / 8) little-endian bytes) and groups of 8 values packed
/// <c>width</c> bits each, least significant bit first (header <c>groups &lt;&lt; 1 | 1</c>).
/// </summary>
internal static class RleBitPackedReader
{
    /// <summary>Decodes <paramref name="output"/>.Length values of <paramref name="bitWidth"/> bits; false when
    /// the input ends first or is malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> input, int bitWidth, Span<int> output)
    {
        if (bitWidth is < 0 or > 32)
            return false;
        if (bitWidth == 0)
        {
            output.Clear();
            return true;
        }
        var position = 0;
        var written = 0;
        var valueBytes = (bitWidth + 7) / 8;
        while (written < output.Length)
        {
            if (!TryReadVarint(input, ref position, out var header))
                return false;
            if ((header & 1) == 0)
            {
                var count = (int)Math.Min(header >> 1, (uint)(output.Length - written));
                if (input.Length - position < valueBytes || header >> 1 == 0)
                    return false;
                var value = 0;
                for (var i = 0; i < valueBytes; i++)
                    value |= input[position + i] << (8 * i);
                position += valueBytes;
                output.Slice(written, count).Fill(value);
                written += count;
            }
            else
            {
                var groups = (long)(header >> 1);
                var packedBytes = groups * bitWidth;      // 8 values of bitWidth bits per group
                if (groups == 0 || input.Length - position < packedBytes)
                    return false;
                var count = (int)Math.Min(groups * 8, output.Length - written);
                Unpack(input.Slice(position, (int)packedBytes), bitWidth, output.Slice(written, count));
                position += (int)packedBytes;
                written += count;
            }
        }
        return true;
    }

    /// <summary>Unpacks output.Length values of <paramref name="bitWidth"/> bits (LSB first) from
    /// <paramref name="packed"/>, which holds at least that many bits.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, int bitWidth, Span<int> output)
    {
        var mask = (1UL << bitWidth) - 1;
        var done = 0;
        if (bitWidth <= 8)
        {
            // A group of 8 values of up to 8 bits is one 64-bit word: one read, eight shifts.
            var groups = output.Length / 8;
            for (var g = 0; g < groups; g++)
            {
                var word = ReadBits(packed, (long)g * bitWidth * 8);
                var group = output.Slice(g * 8, 8);
                for (var j = 0; j < 8; j++)
                    group[j] = (int)((word >> (j * bitWidth)) & mask);
            }
            done = groups * 8;
        }
        long bit = (long)done * bitWidth;
        for (var i = done; i < output.Length; i++, bit += bitWidth)
            output[i] = (int)(ReadBits(packed, bit) & mask);
    }

    /// <summary>Unpacks output.Length values of up to 64 bits each (DELTA_BINARY_PACKED's miniblocks).</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, int bitWidth, Span<ulong> output)
    {
        if (bitWidth == 0)
        {
            output.Clear();
            return;
        }
        var mask = bitWidth == 64 ? ulong.MaxValue : (1UL << bitWidth) - 1;
        long bit = 0;
        for (var i = 0; i < output.Length; i++, bit += bitWidth)
        {
            var shift = (int)(bit & 7);
            var low = ReadBits(packed, bit);
            // A value of more than 56 bits may straddle a ninth byte.
            if (shift + bitWidth > 64)
                low |= (ulong)packed[(int)(bit >> 3) + 8] << (64 - shift);
            output[i] = low & mask;
        }
    }

    // 64 bits from the byte holding bit 'bit', shifted so that bit is bit 0 (fewer near the end of the input).
    private static ulong ReadBits(ReadOnlySpan<byte> packed, long bit)
    {
        var index = (int)(bit >> 3);
        var shift = (int)(bit & 7);
        ulong word;
        if (packed.Length - index >= 8)
        {
            word = BinaryPrimitives.ReadUInt64LittleEndian(packed[index..]);
        }
        else
        {
            Span<byte> tail = stackalloc byte[8];
            tail.Clear();
            packed[index..].CopyTo(tail);
            word = BinaryPrimitives.ReadUInt64LittleEndian(tail);
        }
        return word >> shift;
    }

    public static bool TryReadVarint(ReadOnlySpan<byte> input, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= input.Length)
                return false;
            var b = input[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return true;
        }
        return false;
    }
}
