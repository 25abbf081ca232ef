using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Query.Tiering.Parquet.Pages;

/// <summary>
/// Values packed <c>bitWidth</c> bits each, least significant bit first (the bit-packed runs of the RLE hybrid and
/// DELTA_BINARY_PACKED's miniblocks). Every value is one unaligned 64-bit read, a shift and a mask, without a
/// bounds check: the values whose read stays inside the input are unpacked in place, the last few from a
/// zero-padded copy of the bytes they are in. Widths up to 8 read each group of 8 values as one word.
/// </summary>
internal static class BitUnpacking
{
    /// <summary>Unpacks output.Length values of <paramref name="bitWidth"/> (0-32) bits from
    /// <paramref name="packed"/>, which must hold at least output.Length * bitWidth bits.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, int bitWidth, Span<int> output)
    {
        if ((uint)bitWidth > 32 || (long)output.Length * bitWidth > (long)packed.Length * 8)
            throw new ArgumentException("the packed input is shorter than the values asked for");
        if (bitWidth == 0)
        {
            output.Clear();
            return;
        }
        var safe = InPlace(packed.Length, bitWidth, output.Length, 8);
        Unpack32(ref MemoryMarshal.GetReference(packed), 0, bitWidth, output[..safe]);
        if (safe == output.Length)
            return;
        var bit = (long)safe * bitWidth;
        Span<byte> tail = stackalloc byte[24];
        tail.Clear();
        packed[(int)(bit >> 3)..].CopyTo(tail);
        Unpack32(ref MemoryMarshal.GetReference(tail), (int)(bit & 7), bitWidth, output[safe..]);
    }

    /// <summary>Unpacks output.Length values of <paramref name="bitWidth"/> (0-64) bits, as
    /// <see cref="Unpack(ReadOnlySpan{byte}, int, Span{int})"/> does.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, int bitWidth, Span<ulong> output)
    {
        if ((uint)bitWidth > 64 || (long)output.Length * bitWidth > (long)packed.Length * 8)
            throw new ArgumentException("the packed input is shorter than the values asked for");
        if (bitWidth == 0)
        {
            output.Clear();
            return;
        }
        var safe = InPlace(packed.Length, bitWidth, output.Length, 9);
        Unpack64(ref MemoryMarshal.GetReference(packed), 0, bitWidth, output[..safe]);
        if (safe == output.Length)
            return;
        var bit = (long)safe * bitWidth;
        Span<byte> tail = stackalloc byte[32];
        tail.Clear();
        packed[(int)(bit >> 3)..].CopyTo(tail);
        Unpack64(ref MemoryMarshal.GetReference(tail), (int)(bit & 7), bitWidth, output[safe..]);
    }

    // How many leading values can be read in place: value i reads `reach` bytes from byte (i * width) / 8.
    private static int InPlace(int bytes, int width, int count, int reach) =>
        bytes < reach ? 0 : (int)Math.Min(count, (((long)bytes - reach) * 8 / width) + 1);

    private static void Unpack32(ref byte source, int firstBit, int width, Span<int> output)
    {
        ref var target = ref MemoryMarshal.GetReference(output);
        var count = output.Length;
        var mask = (1UL << width) - 1;
        var i = 0;
        if (width <= 8 && firstBit == 0)
        {
            // A group of 8 values of up to 8 bits is one 64-bit word.
            for (; i + 8 <= count; i += 8)
            {
                var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, (nint)((long)i * width >> 3)));
                ref var group = ref Unsafe.Add(ref target, i);
                group = (int)(word & mask);
                Unsafe.Add(ref group, 1) = (int)((word >> width) & mask);
                Unsafe.Add(ref group, 2) = (int)((word >> (2 * width)) & mask);
                Unsafe.Add(ref group, 3) = (int)((word >> (3 * width)) & mask);
                Unsafe.Add(ref group, 4) = (int)((word >> (4 * width)) & mask);
                Unsafe.Add(ref group, 5) = (int)((word >> (5 * width)) & mask);
                Unsafe.Add(ref group, 6) = (int)((word >> (6 * width)) & mask);
                Unsafe.Add(ref group, 7) = (int)((word >> (7 * width)) & mask);
            }
        }
        var bit = firstBit + ((long)i * width);
        for (; i < count; i++, bit += width)
        {
            var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, (nint)(bit >> 3)));
            Unsafe.Add(ref target, i) = (int)((word >> (int)(bit & 7)) & mask);
        }
    }

    private static void Unpack64(ref byte source, int firstBit, int width, Span<ulong> output)
    {
        ref var target = ref MemoryMarshal.GetReference(output);
        var count = output.Length;
        var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        var bit = (long)firstBit;
        if (width <= 56)
        {
            for (var i = 0; i < count; i++, bit += width)
            {
                var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, (nint)(bit >> 3)));
                Unsafe.Add(ref target, i) = (word >> (int)(bit & 7)) & mask;
            }
            return;
        }
        // More than 56 bits from a bit offset may straddle a ninth byte.
        for (var i = 0; i < count; i++, bit += width)
        {
            ref var at = ref Unsafe.Add(ref source, (nint)(bit >> 3));
            var shift = (int)(bit & 7);
            var word = Unsafe.ReadUnaligned<ulong>(ref at) >> shift;
            if (shift != 0)
                word |= (ulong)Unsafe.Add(ref at, 8) << (64 - shift);
            Unsafe.Add(ref target, i) = word & mask;
        }
    }
}
