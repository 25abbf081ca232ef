using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Query.Tiering.Parquet.Pages;

/// <summary>
/// PLAIN-encoded values into the cold reader's value types: INT32 (int, DATE as <see cref="DateOnly"/>), INT64
/// (long, TIMESTAMP(MILLIS) as a UTC <see cref="DateTime"/>), DOUBLE, BOOLEAN (bit-packed, LSB first) and
/// BYTE_ARRAY (4-byte length, bytes) as UTF-16 text or bytes copied into the leaf's arenas. Each call answers
/// the input bytes it used, or -1 when the input is short or a value does not fit the type.
/// </summary>
internal static class PlainValues
{
    private const int UnixEpochDayNumber = 719_162;
    private static readonly long MinMs = ColdFields.MinTimestampMs;
    private static readonly long MaxMs = ColdFields.MaxTimestampMs;
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    public static int Decode<T>(ReadOnlySpan<byte> input, Span<T> output, ValueArenas arenas)
    {
        var count = output.Length;
        if (typeof(T) == typeof(int))
            return CopyFixed(input, As<T, int>(output));
        if (typeof(T) == typeof(long))
            return CopyFixed(input, As<T, long>(output));
        if (typeof(T) == typeof(double))
            return CopyFixed(input, As<T, double>(output));
        if (typeof(T) == typeof(DateTime))
            return DecodeTimestamps(input, As<T, DateTime>(output));
        if (typeof(T) == typeof(DateOnly))
            return DecodeDates(input, As<T, DateOnly>(output));
        if (typeof(T) == typeof(bool))
        {
            var booleans = As<T, bool>(output);
            var bytes = (count + 7) / 8;
            if (input.Length < bytes)
                return -1;
            for (var i = 0; i < count; i++)
                booleans[i] = ((input[i >> 3] >> (i & 7)) & 1) != 0;
            return bytes;
        }
        if (typeof(T) == typeof(ReadOnlyMemory<char>))
            return DecodeTexts(input, As<T, ReadOnlyMemory<char>>(output), arenas.Chars);
        if (typeof(T) == typeof(ReadOnlyMemory<byte>))
            return DecodeBinaries(input, As<T, ReadOnlyMemory<byte>>(output), arenas.Bytes);
        return -1;
    }

    /// <summary>Whether <typeparamref name="T"/> is stored as Parquet physical type <paramref name="physical"/>
    /// (parquet.thrift <c>Type</c>: BOOLEAN 0, INT32 1, INT64 2, DOUBLE 5, BYTE_ARRAY 6).</summary>
    public static bool Stores<T>(int physical) =>
        (typeof(T) == typeof(bool) && physical == 0)
        || ((typeof(T) == typeof(int) || typeof(T) == typeof(DateOnly)) && physical == 1)
        || ((typeof(T) == typeof(long) || typeof(T) == typeof(DateTime)) && physical == 2)
        || (typeof(T) == typeof(double) && physical == 5)
        || ((typeof(T) == typeof(ReadOnlyMemory<char>) || typeof(T) == typeof(ReadOnlyMemory<byte>)) && physical == 6);

    /// <summary>The values of DELTA_BINARY_PACKED (decoded as 64-bit integers) as <typeparamref name="T"/>
    /// (INT64 as they are, INT32 wrapped to 32 bits as the format's arithmetic on INT32 wraps); false for a type it
    /// does not apply to.</summary>
    public static bool FromIntegers<T>(ReadOnlySpan<long> integers, Span<T> output)
    {
        if (typeof(T) == typeof(long))
        {
            integers.CopyTo(As<T, long>(output));
            return true;
        }
        if (typeof(T) != typeof(int))
            return false;
        var ints = As<T, int>(output);
        for (var i = 0; i < integers.Length && i < ints.Length; i++)
            ints[i] = unchecked((int)integers[i]);
        return true;
    }

    /// <summary>A span of one value type as another of the same size (the callers check the types).</summary>
    public static Span<TTo> As<TFrom, TTo>(Span<TFrom> span) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(span)), span.Length);

    private static int CopyFixed<TValue>(ReadOnlySpan<byte> input, Span<TValue> output)
        where TValue : unmanaged
    {
        var bytes = output.Length * Unsafe.SizeOf<TValue>();
        if (input.Length < bytes || !BitConverter.IsLittleEndian)
            return -1;
        MemoryMarshal.Cast<byte, TValue>(input[..bytes]).CopyTo(output);
        return bytes;
    }

    private static int DecodeTimestamps(ReadOnlySpan<byte> input, Span<DateTime> output)
    {
        var bytes = output.Length * 8;
        if (input.Length < bytes || !BitConverter.IsLittleEndian)
            return -1;
        var milliseconds = MemoryMarshal.Cast<byte, long>(input[..bytes]);
        var i = 0;
        if (UtcTicks.IsLayoutKnown && Vector256.IsHardwareAccelerated)
            i = UtcTicks.Convert(milliseconds, MemoryMarshal.Cast<DateTime, ulong>(output), MinMs, MaxMs);
        if (i < 0)
            return -1;
        var range = (ulong)(MaxMs - MinMs);
        for (; i < output.Length && i < milliseconds.Length; i++)
        {
            var ms = milliseconds[i];
            if ((ulong)(ms - MinMs) > range)
                return -1;
            output[i] = new DateTime(UnixEpochTicks + (ms * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        }
        return bytes;
    }

    private static int DecodeDates(ReadOnlySpan<byte> input, Span<DateOnly> output)
    {
        var bytes = output.Length * 4;
        if (input.Length < bytes)
            return -1;
        var min = DateOnly.MinValue.DayNumber - UnixEpochDayNumber;
        var max = DateOnly.MaxValue.DayNumber - UnixEpochDayNumber;
        for (var i = 0; i < output.Length; i++)
        {
            var days = BinaryPrimitives.ReadInt32LittleEndian(input[(i * 4)..]);
            if (days < min || days > max)
                return -1;
            output[i] = DateOnly.FromDayNumber(days + UnixEpochDayNumber);
        }
        return bytes;
    }

    private static int DecodeTexts(ReadOnlySpan<byte> input, Span<ReadOnlyMemory<char>> output, ValueArena<char> chars)
    {
        var position = 0;
        for (var i = 0; i < output.Length; i++)
        {
            if (!TryNextBytes(input, ref position, out var utf8))
                return -1;
            var room = chars.Reserve(Encoding.UTF8.GetMaxCharCount(utf8.Length));
            output[i] = chars.Commit(Encoding.UTF8.GetChars(utf8, room));
        }
        return position;
    }

    private static int DecodeBinaries(ReadOnlySpan<byte> input, Span<ReadOnlyMemory<byte>> output,
        ValueArena<byte> arena)
    {
        var position = 0;
        for (var i = 0; i < output.Length; i++)
        {
            if (!TryNextBytes(input, ref position, out var value))
                return -1;
            output[i] = arena.Copy(value);
        }
        return position;
    }

    private static bool TryNextBytes(ReadOnlySpan<byte> input, ref int position, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (input.Length - position < 4)
            return false;
        var length = BinaryPrimitives.ReadInt32LittleEndian(input[position..]);
        position += 4;
        if (length < 0 || input.Length - position < length)
            return false;
        value = input.Slice(position, length);
        position += length;
        return true;
    }
}

/// <summary>Where a leaf's decoded text and bytes live until its next read.</summary>
internal sealed class ValueArenas
{
    public ValueArena<char> Chars { get; } = new();
    public ValueArena<byte> Bytes { get; } = new();

    public void Reset()
    {
        Chars.Reset();
        Bytes.Reset();
    }
}
