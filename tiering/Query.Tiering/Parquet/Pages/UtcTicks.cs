using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Query.Tiering.Parquet.Pages;

/// <summary>
/// TIMESTAMP(MILLIS) values to UTC <see cref="DateTime"/>s four at a time: a DateTime is one 64-bit word, its ticks
/// with the kind in the top two bits (UTC = 1). That layout is the runtime's, not a documented contract, so it is
/// proven at start-up (<see cref="IsLayoutKnown"/>: words built this way must equal the DateTimes the constructor
/// makes, ticks and kind) and the callers convert one value at a time with the constructor otherwise.
/// </summary>
internal static class UtcTicks
{
    private const ulong UtcKind = 1UL << 62;
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>Whether a UTC DateTime is its ticks with bit 62 set, as this runtime lays it out.</summary>
    public static bool IsLayoutKnown { get; } = ProveLayout();

    /// <summary>Converts the leading values of <paramref name="milliseconds"/> in whole vectors into
    /// <paramref name="output"/> (DateTimes as words): the count converted (the caller does the rest), or -1 when a
    /// value is outside [<paramref name="min"/>, <paramref name="max"/>]. Only when <see cref="IsLayoutKnown"/>.
    /// </summary>
    public static int Convert(ReadOnlySpan<long> milliseconds, Span<ulong> output, long min, long max)
    {
        var count = Math.Min(milliseconds.Length, output.Length);
        var lowest = Vector256.Create(min);
        var highest = Vector256.Create(max);
        var epoch = Vector256.Create(EpochTicks);
        var kind = Vector256.Create(UtcKind);
        ref var source = ref MemoryMarshal.GetReference(milliseconds);
        ref var target = ref MemoryMarshal.GetReference(output);
        var i = 0;
        for (; i <= count - Vector256<long>.Count; i += Vector256<long>.Count)
        {
            var ms = Vector256.LoadUnsafe(ref source, (nuint)i);
            if ((Vector256.LessThan(ms, lowest) | Vector256.GreaterThan(ms, highest)) != Vector256<long>.Zero)
                return -1;
            // ms * 10,000 (TicksPerMillisecond) as 8192 + 1024 + 512 + 256 + 16: AVX2 has no 64-bit multiply.
            var ticks = (ms << 13) + (ms << 10) + (ms << 9) + (ms << 8) + (ms << 4) + epoch;
            (ticks.AsUInt64() | kind).StoreUnsafe(ref target, (nuint)i);
        }
        return i;
    }

    private static bool ProveLayout()
    {
        if (Unsafe.SizeOf<DateTime>() != sizeof(ulong) || TimeSpan.TicksPerMillisecond != 10_000)
            return false;
        Span<long> ms = [0, 1, -62_135_596_800_000, 253_402_300_799_999, 1_733_000_000_123, -1];
        Span<ulong> words = stackalloc ulong[8];
        Span<long> padded = stackalloc long[8];
        padded.Clear();
        ms.CopyTo(padded);
        if (!Vector256.IsHardwareAccelerated || Convert(padded, words, long.MinValue / 20_000, long.MaxValue / 20_000)
            != 8)
            return false;
        for (var i = 0; i < padded.Length; i++)
        {
            var expected = new DateTime(EpochTicks + (padded[i] * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
            var actual = Unsafe.As<ulong, DateTime>(ref words[i]);
            if (actual != expected || actual.Kind != DateTimeKind.Utc || actual.Ticks != expected.Ticks
                || actual.ToBinary() != expected.ToBinary())
                return false;
        }
        return true;
    }
}
