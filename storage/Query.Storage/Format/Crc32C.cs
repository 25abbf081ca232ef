using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Query.Storage.Format;

/// <summary>
/// CRC-32C (Castagnoli). <see cref="BitOperations.Crc32C(uint, ulong)"/> compiles to the SSE4.2 / ARMv8 CRC
/// instruction where available (software otherwise). The instruction has a latency of about three cycles but
/// can start one per cycle, so long inputs run three independent lanes over consecutive blocks and then
/// combine them: the CRC register update is linear, so
/// <c>R(c, A|B|C) = S(S(R(c, A)) ^ R(0, B)) ^ R(0, C)</c> where <c>S</c> advances a register over
/// <see cref="LaneBytes"/> zero bytes. <c>S</c> is a linear map on 32 bits, applied with four byte tables
/// built at startup from the scalar code itself (no magic constants). The loops are compiled optimized at once:
/// every batch read or written runs them, from a fresh process's first.
/// </summary>
internal static class Crc32C
{
    private const int LaneBytes = 1024;
    private static readonly uint[] Shift = BuildShiftTables();

    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 3 * LaneBytes)
        {
            crc = AppendThreeLanes(crc, data[..(3 * LaneBytes)]);
            data = data[(3 * LaneBytes)..];
        }
        return AppendScalar(crc, data);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint AppendThreeLanes(uint crc, ReadOnlySpan<byte> block)
    {
        ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(block);
        uint a = crc, b = 0, c = 0;
        for (var i = 0; i < LaneBytes; i += 8)
        {
            a = BitOperations.Crc32C(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
            b = BitOperations.Crc32C(b, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + LaneBytes)));
            c = BitOperations.Crc32C(c, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + (2 * LaneBytes))));
        }
        return ShiftLane(ShiftLane(a) ^ b) ^ c;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint AppendScalar(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data)
            crc = BitOperations.Crc32C(crc, b);
        return crc;
    }

    private static uint ShiftLane(uint crc)
    {
        var tables = Shift;
        return tables[crc & 0xFF] ^ tables[256 + ((crc >> 8) & 0xFF)]
            ^ tables[512 + ((crc >> 16) & 0xFF)] ^ tables[768 + (crc >> 24)];
    }

    // Table k, entry v: the register v << 8k advanced over LaneBytes zero bytes, by linearity from 32 basis images.
    private static uint[] BuildShiftTables()
    {
        Span<uint> basis = stackalloc uint[32];
        Span<byte> zeros = stackalloc byte[LaneBytes];
        zeros.Clear();
        for (var bit = 0; bit < 32; bit++)
            basis[bit] = AppendScalar(1u << bit, zeros);
        var tables = new uint[4 * 256];
        for (var k = 0; k < 4; k++)
        {
            for (var v = 0; v < 256; v++)
            {
                uint image = 0;
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((v & (1 << bit)) != 0)
                        image ^= basis[(8 * k) + bit];
                }
                tables[(k * 256) + v] = image;
            }
        }
        return tables;
    }
}
