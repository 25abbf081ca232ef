using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Query.Tiering.Parquet.Pages;

/// <summary>
/// Parquet's DELTA_BINARY_PACKED for INT32 and INT64: a header (values per block, miniblocks per block, total
/// values, first value as a zigzag varint), then blocks of a zigzag minimum delta, one bit width per miniblock
/// and the miniblocks' deltas (minus the minimum) bit-packed. Arithmetic wraps, as the format specifies.
/// </summary>
internal static class DeltaBinaryPackedReader
{
    private const int MaxValuesPerBlock = 1 << 16;

    /// <summary>Decodes output.Length values; <paramref name="consumed"/> is the bytes read. False on malformed or
    /// short input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> input, Span<long> output, out int consumed)
    {
        consumed = 0;
        var position = 0;
        if (!RleBitPackedReader.TryReadVarint(input, ref position, out var blockValues)
            || !RleBitPackedReader.TryReadVarint(input, ref position, out var miniblocks)
            || !RleBitPackedReader.TryReadVarint(input, ref position, out var total)
            || !RleBitPackedReader.TryReadVarint(input, ref position, out var firstZigZag))
            return false;
        if (blockValues is 0 or > MaxValuesPerBlock || blockValues % 128 != 0 || miniblocks == 0
            || blockValues % miniblocks != 0 || (blockValues / miniblocks) % 32 != 0 || total < (ulong)output.Length)
            return false;
        if (output.Length == 0)
        {
            consumed = position;
            return true;
        }
        var miniblockValues = (int)(blockValues / miniblocks);
        var previous = ZigZag(firstZigZag);
        output[0] = previous;
        var written = 1;
        Span<ulong> deltas = stackalloc ulong[miniblockValues <= 1024 ? miniblockValues : 0];
        if (deltas.Length == 0)
            return false;
        while (written < output.Length)
        {
            if (!RleBitPackedReader.TryReadVarint(input, ref position, out var minZigZag)
                || input.Length - position < (int)miniblocks)
                return false;
            var minDelta = ZigZag(minZigZag);
            var widths = input.Slice(position, (int)miniblocks);
            position += (int)miniblocks;
            for (var m = 0; m < widths.Length && written < output.Length; m++)
            {
                int width = widths[m];
                if (width > 64)
                    return false;
                var bytes = miniblockValues / 8 * width;
                var target = output.Slice(written, Math.Min(miniblockValues, output.Length - written));
                var packedNeeded = (int)(((long)target.Length * width + 7) / 8);
                if (input.Length - position < packedNeeded)
                    return false;
                var available = Math.Min(bytes, input.Length - position);
                previous = width == 0
                    ? Steps(target, previous, minDelta)
                    : Accumulate(input.Slice(position, available), width, deltas[..target.Length], target,
                        previous, minDelta);
                written += target.Length;
                position += available;
            }
        }
        consumed = position;
        return true;
    }

    // A miniblock of width 0: every delta is the block's minimum, so value i is previous + (i + 1) * minDelta
    // (wrapping), four at a time.
    private static long Steps(Span<long> target, long previous, long minDelta)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && target.Length >= Vector256<long>.Count)
        {
            var values = unchecked(Vector256.Create(previous) + (Vector256.Create(1L, 2, 3, 4) * minDelta));
            var step = Vector256.Create(unchecked(minDelta * Vector256<long>.Count));
            for (; i <= target.Length - Vector256<long>.Count; i += Vector256<long>.Count)
            {
                values.CopyTo(target[i..]);
                values += step;
            }
            previous = target[i - 1];
        }
        for (; i < target.Length; i++)
        {
            previous = unchecked(previous + minDelta);
            target[i] = previous;
        }
        return previous;
    }

    private static long Accumulate(ReadOnlySpan<byte> packed, int width, Span<ulong> deltas, Span<long> target,
        long previous, long minDelta)
    {
        BitUnpacking.Unpack(packed, width, deltas);
        ref var delta = ref MemoryMarshal.GetReference(deltas);
        for (var i = 0; i < target.Length; i++)
        {
            previous = unchecked(previous + minDelta + (long)Unsafe.Add(ref delta, i));
            target[i] = previous;
        }
        return previous;
    }

    private static long ZigZag(ulong raw) => (long)(raw >> 1) ^ -(long)(raw & 1);
}
