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
            // Parquet.Net writes dictionary indexes as runs of one value each (header 2, one value byte): those
            // take the first branch without a call.
            if (valueBytes == 1 && input.Length - position >= 2 && input[position] is var small and < 0x80
                && (small & 1) == 0 && small != 0)
            {
                var value = input[position + 1];
                position += 2;
                var end = Math.Min(written + (small >> 1), output.Length);
                for (; written < end; written++)
                    output[written] = value;
                continue;
            }
            if (!TryReadVarint(input, ref position, out var header))
                return false;
            var left = input.Length - position;
            if ((header & 1) == 0)
            {
                var run = header >> 1;
                if (left < valueBytes || run == 0)
                    return false;
                var value = valueBytes switch
                {
                    1 => input[position],
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(input[position..]),
                    3 => input[position] | (BinaryPrimitives.ReadUInt16LittleEndian(input[(position + 1)..]) << 8),
                    _ => BinaryPrimitives.ReadInt32LittleEndian(input[position..]),
                };
                position += valueBytes;
                var count = (int)Math.Min(run, (ulong)(output.Length - written));
                output.Slice(written, count).Fill(value);
                written += count;
            }
            else
            {
                // 8 values of bitWidth bits per group, so a group is bitWidth bytes.
                var groups = header >> 1;
                if (groups == 0 || groups > (ulong)(left / bitWidth))
                    return false;
                var packedBytes = (int)groups * bitWidth;
                var count = (int)Math.Min(groups * 8, (ulong)(output.Length - written));
                BitUnpacking.Unpack(input.Slice(position, packedBytes), bitWidth, output.Slice(written, count));
                position += packedBytes;
                written += count;
            }
        }
        return true;
    }

    /// <summary>Whether <paramref name="input"/> starts with one RLE run of at least <paramref name="count"/>
    /// values, all <paramref name="value"/> (a page's levels when none of its rows is NULL).</summary>
    public static bool StartsWithRun(ReadOnlySpan<byte> input, int bitWidth, int count, int value)
    {
        var position = 0;
        if (bitWidth is < 1 or > 32 || count < 1 || !TryReadVarint(input, ref position, out var header)
            || (header & 1) != 0 || header >> 1 < (ulong)count)
            return false;
        var valueBytes = (bitWidth + 7) / 8;
        if (input.Length - position < valueBytes)
            return false;
        var run = 0;
        for (var i = 0; i < valueBytes; i++)
            run |= input[position + i] << (8 * i);
        return run == value;
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
