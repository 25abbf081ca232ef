using System.Buffers.Binary;

namespace Query.Tiering.Tests;

/// <summary>
/// A writer of Parquet column chunks for the page decoder's tests, from the format specification: uncompressed
/// data pages v1 and dictionary pages with Thrift compact page headers, RLE / bit-packed hybrid runs of a chosen
/// kind and width, PLAIN values and DELTA_BINARY_PACKED with the widths the data needs. Lets a test build what a
/// writer may legally produce but Parquet.Net does not (several pages, runs ending at page ends, empty pages,
/// declared widths wider than the values).
/// </summary>
internal sealed class PageEncoder
{
    public const int Plain = 0;
    public const int PlainDictionary = 2;
    public const int Rle = 3;
    public const int DeltaBinaryPacked = 5;
    public const int RleDictionary = 8;

    private readonly List<byte> _chunk = [];

    public byte[] Bytes => [.. _chunk];

    /// <summary>Level entries written in data pages so far.</summary>
    public int Rows { get; private set; }

    /// <summary>Where the first data page starts in the chunk (after a dictionary page).</summary>
    public int FirstDataPage { get; private set; } = -1;

    /// <summary>Appends a data page v1: its definition levels (when given, RLE with a 4-byte length) and values.
    /// </summary>
    public void AddDataPage(int rows, byte[]? levels, byte[] values, int encoding)
    {
        if (FirstDataPage < 0)
            FirstDataPage = _chunk.Count;
        var body = new List<byte>();
        if (levels is not null)
        {
            body.AddRange(BitConverter.GetBytes(levels.Length));
            body.AddRange(levels);
        }
        body.AddRange(values);
        var header = new ThriftWriter();
        header.I32(1, 0);
        header.I32(2, body.Count);
        header.I32(3, body.Count);
        header.BeginStruct(5);
        header.I32(1, rows);
        header.I32(2, encoding);
        header.I32(3, Rle);
        header.I32(4, Rle);
        header.EndStruct();
        header.Stop();
        _chunk.AddRange(header.Bytes);
        _chunk.AddRange(body);
        Rows += rows;
    }

    public void AddDictionaryPage(int count, byte[] values)
    {
        var header = new ThriftWriter();
        header.I32(1, 2);
        header.I32(2, values.Length);
        header.I32(3, values.Length);
        header.BeginStruct(7);
        header.I32(1, count);
        header.I32(2, PlainDictionary);
        header.EndStruct();
        header.Stop();
        _chunk.AddRange(header.Bytes);
        _chunk.AddRange(values);
    }

    /// <summary>The hybrid encoding of <paramref name="values"/>: runs of <paramref name="minRun"/> or more equal
    /// values as RLE runs, the rest bit-packed (the last group padded with zeros); with
    /// <paramref name="minRun"/> 0, everything bit-packed.</summary>
    public static byte[] Hybrid(ReadOnlySpan<int> values, int width, int minRun = 8)
    {
        var output = new List<byte>();
        var i = 0;
        while (i < values.Length)
        {
            var run = 1;
            while (i + run < values.Length && values[i + run] == values[i])
                run++;
            if (minRun > 0 && run >= minRun)
            {
                Varint(output, (ulong)run << 1);
                for (var b = 0; b < (width + 7) / 8; b++)
                    output.Add((byte)(values[i] >> (8 * b)));
                i += run;
                continue;
            }
            // Bit-pack until a long enough run starts (in whole groups of 8).
            var end = i;
            while (end < values.Length)
            {
                var ahead = 1;
                while (end + ahead < values.Length && values[end + ahead] == values[end])
                    ahead++;
                if (minRun > 0 && ahead >= minRun && (end - i) % 8 == 0 && end > i)
                    break;
                end++;
            }
            var groups = (end - i + 7) / 8;
            var ulongs = new ulong[groups * 8];
            for (var k = 0; k < end - i; k++)
                ulongs[k] = (uint)values[i + k];
            Varint(output, ((ulong)groups << 1) | 1);
            output.AddRange(Pack(ulongs, width));
            i = end;
        }
        return [.. output];
    }

    /// <summary><paramref name="values"/> packed <paramref name="width"/> bits each, LSB first.</summary>
    public static byte[] Pack(ReadOnlySpan<ulong> values, int width)
    {
        var bytes = new byte[(values.Length * width + 7) / 8];
        long bit = 0;
        foreach (var value in values)
        {
            for (var b = 0; b < width; b++, bit++)
            {
                if (((value >> b) & 1) != 0)
                    bytes[bit >> 3] |= (byte)(1 << (int)(bit & 7));
            }
        }
        return bytes;
    }

    /// <summary>DELTA_BINARY_PACKED of <paramref name="values"/> in blocks of <paramref name="blockValues"/> with
    /// <paramref name="miniblocks"/> miniblocks each; every miniblock packed at the width its deltas need
    /// (a trailing miniblock without values gets width 0 and no bytes, as the format allows).</summary>
    public static byte[] Delta(ReadOnlySpan<long> values, int blockValues = 128, int miniblocks = 4)
    {
        var output = new List<byte>();
        Varint(output, (ulong)blockValues);
        Varint(output, (ulong)miniblocks);
        Varint(output, (ulong)values.Length);
        Varint(output, ZigZag(values.IsEmpty ? 0 : values[0]));
        var perMiniblock = blockValues / miniblocks;
        for (var start = 1; start < values.Length; start += blockValues)
        {
            var count = Math.Min(blockValues, values.Length - start);
            var deltas = new long[count];
            for (var i = 0; i < count; i++)
                deltas[i] = unchecked(values[start + i] - values[start + i - 1]);
            var min = deltas.Min();
            Varint(output, ZigZag(min));
            var widths = new byte[miniblocks];
            var packed = new List<byte>();
            for (var m = 0; m < miniblocks; m++)
            {
                var first = m * perMiniblock;
                if (first >= count)
                    break;
                var adjusted = new ulong[perMiniblock];
                for (var i = first; i < Math.Min(count, first + perMiniblock); i++)
                    adjusted[i - first] = unchecked((ulong)(deltas[i] - min));
                var width = 0;
                foreach (var a in adjusted)
                    width = Math.Max(width, 64 - System.Numerics.BitOperations.LeadingZeroCount(a));
                widths[m] = (byte)width;
                packed.AddRange(Pack(adjusted, width));
            }
            output.AddRange(widths);
            output.AddRange(packed);
        }
        return [.. output];
    }

    public static byte[] PlainLongs(ReadOnlySpan<long> values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    public static byte[] PlainInts(ReadOnlySpan<int> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] PlainStrings(IEnumerable<string> values)
    {
        var output = new List<byte>();
        foreach (var value in values)
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(value);
            output.AddRange(BitConverter.GetBytes(utf8.Length));
            output.AddRange(utf8);
        }
        return [.. output];
    }

    /// <summary>Dictionary indexes as a data page stores them: one byte of width, then the hybrid runs.</summary>
    public static byte[] Indexes(ReadOnlySpan<int> indexes, int width, int minRun = 8) =>
        [(byte)width, .. Hybrid(indexes, width, minRun)];

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static void Varint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    /// <summary>Thrift's compact protocol, the few field types a page header uses.</summary>
    private sealed class ThriftWriter
    {
        private readonly List<byte> _bytes = [];
        private readonly Stack<short> _lastIds = new();
        private short _lastId;

        public byte[] Bytes => [.. _bytes];

        public void I32(short id, int value)
        {
            Field(id, 5);
            Varint(_bytes, ZigZag(value));
        }

        public void BeginStruct(short id)
        {
            Field(id, 12);
            _lastIds.Push(_lastId);
            _lastId = 0;
        }

        public void EndStruct()
        {
            Stop();
            _lastId = _lastIds.Pop();
        }

        public void Stop() => _bytes.Add(0);

        private void Field(short id, int type)
        {
            _bytes.Add((byte)(((id - _lastId) << 4) | type));
            _lastId = id;
        }
    }
}
