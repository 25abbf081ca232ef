using Parquet.Meta;
using PhysicalType = global::Parquet.Meta.Type;
using Query.Testing;
using Query.Tiering.Parquet;
using Query.Tiering.Parquet.Pages;

namespace Query.Tiering.Tests;

/// <summary>
/// The page decoder's parts on generated data built by <see cref="PageEncoder"/> from the specification: the
/// RLE / bit-packed hybrid and DELTA_BINARY_PACKED at every bit width, and whole chunks of several pages with
/// NULL mixes, empty pages, runs that end at page ends and dictionary indexes wider than they need be.
/// </summary>
public sealed class PageDecodingTests : IDisposable
{
    private readonly TempDirectory _directory = new("page-decoding");

    public void Dispose() => _directory.Dispose();

    public static TheoryData<int> Widths32 => Range(0, 32);

    public static TheoryData<int> Widths64 => Range(0, 64);

    [Theory]
    [MemberData(nameof(Widths32))]
    public void Hybrid_runs_of_every_width_decode_to_the_values_written(int width)
    {
        var random = new Random(width);
        foreach (var count in new[] { 1, 7, 8, 9, 63, 64, 65, 1000, 4099 })
        {
            var values = new int[count];
            for (var i = 0; i < count; i++)
            {
                // Stretches of repeats (RLE runs) between random values, the largest value of the width included.
                var repeat = (i / 37) % 3 == 0 && i > 0;
                values[i] = repeat ? values[i - 1] : (int)(uint)(random.NextInt64(0, 1L << width));
            }
            if (width > 0)
                values[count / 2] = (int)(uint)((1L << width) - 1);
            foreach (var minRun in new[] { 0, 1, 8 })
            {
                var output = new int[count + 3];
                output.AsSpan().Fill(-7);
                Assert.True(RleBitPackedReader.TryDecode(PageEncoder.Hybrid(values, width, minRun), width,
                    output.AsSpan(0, count)));
                Assert.Equal(values, output[..count]);
                Assert.Equal([-7, -7, -7], output[count..]);        // nothing written past the output
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths32))]
    public void Truncated_hybrid_input_answers_false(int width)
    {
        var values = new int[100];
        for (var i = 0; i < values.Length; i++)
            values[i] = (int)(uint)(i * 2654435761L & ((1L << width) - 1));
        var encoded = PageEncoder.Hybrid(values, width, 0);
        for (var cut = 0; cut < encoded.Length; cut += Math.Max(1, encoded.Length / 10))
        {
            if (width > 0)
                Assert.False(RleBitPackedReader.TryDecode(encoded.AsSpan(0, cut), width, new int[100]));
        }
    }

    [Theory]
    [MemberData(nameof(Widths64))]
    public void Delta_binary_packed_of_every_width_decodes_to_the_values_written(int width)
    {
        var random = new Random(100 + width);
        foreach (var (blockValues, miniblocks) in new[] { (128, 4), (256, 8), (128, 1), (512, 16) })
        {
            foreach (var count in new[] { 0, 1, 2, 33, 129, 1000 })
            {
                var values = DeltaValues(random, count, width);
                var encoded = PageEncoder.Delta(values, blockValues, miniblocks);
                var output = new long[count + 2];
                Assert.True(DeltaBinaryPackedReader.TryDecode(encoded, output.AsSpan(0, count), out var consumed));
                Assert.Equal(values, output[..count]);
                Assert.Equal([0L, 0L], output[count..]);
                Assert.True(consumed <= encoded.Length);
                // Cut short: never a wrong value and never an exception (false, or the same values when only the
                // last miniblock's padding was cut).
                for (var cut = 0; cut < encoded.Length; cut += Math.Max(1, encoded.Length / 7))
                {
                    if (DeltaBinaryPackedReader.TryDecode(encoded.AsSpan(0, cut), output.AsSpan(0, count), out _))
                        Assert.Equal(values, output[..count]);
                }
            }
        }
    }

    // Values whose deltas span exactly `width` bits in every miniblock (0 and 2^width - 1 both occur); wrapping.
    private static long[] DeltaValues(Random random, int count, int width)
    {
        var values = new long[count];
        var previous = random.NextInt64();
        for (var i = 0; i < count; i++)
        {
            var delta = width == 64 ? random.NextInt64(long.MinValue, long.MaxValue)
                : random.NextInt64(0, 1L << Math.Min(width, 62)) << Math.Max(0, width - 62);
            if (i % 32 == 1)
                delta = 0;
            else if (i % 32 == 2 && width > 0)
                delta = width == 64 ? -1 : (long)((1UL << width) - 1);
            values[i] = previous = i == 0 ? previous : unchecked(previous + delta);
        }
        return values;
    }

    [Fact]
    public void Pages_with_nulls_empty_pages_and_runs_ending_at_page_ends_decode_to_the_rows_written()
    {
        var random = new Random(5);
        var encoder = new PageEncoder();
        var expectedLevels = new List<int>();
        var expectedValues = new List<long>();
        // Page shapes: all present, all NULL, empty, a NULL mix, a run of present values that ends the page,
        // one row, and bit-packed levels whose last group is padded.
        foreach (var (rows, pattern) in new[] { (1000, 1), (300, 0), (0, 1), (777, 2), (64, 3), (1, 1), (13, 2) })
        {
            var levels = new int[rows];
            for (var i = 0; i < rows; i++)
                levels[i] = pattern switch { 0 => 0, 1 => 1, 2 => random.Next(2), _ => i < 40 ? random.Next(2) : 1 };
            var values = new List<long>();
            foreach (var level in levels)
            {
                if (level == 1)
                    values.Add(random.NextInt64());
            }
            var plain = rows % 2 == 0;
            encoder.AddDataPage(rows, PageEncoder.Hybrid(levels, 1, pattern == 2 ? 0 : 8),
                plain ? PageEncoder.PlainLongs([.. values]) : PageEncoder.Delta([.. values]),
                plain ? PageEncoder.Plain : PageEncoder.DeltaBinaryPacked);
            expectedLevels.AddRange(levels);
            expectedValues.AddRange(values);
        }
        var (definitions, values2, rowsRead, count) = Decode<long>(encoder, PhysicalType.INT64, 1);
        Assert.Equal(expectedLevels.Count, rowsRead);
        Assert.Equal(expectedLevels, definitions[..rowsRead]);
        Assert.Equal(expectedValues.Count, count);
        Assert.Equal(expectedValues, values2[..count]);
    }

    public static TheoryData<int> IndexWidths => Range(1, 20);

    [Theory]
    [MemberData(nameof(IndexWidths))]
    public void Dictionary_indexes_of_every_width_with_nulls_decode_to_the_dictionary_values(int width)
    {
        var random = new Random(width);
        var distinct = Math.Min(1 << (width - 1), 5000) + 1;            // needs exactly `width` bits at most
        var dictionary = Enumerable.Range(0, distinct).Select(i => $"v{i}-{(char)('a' + (i % 26))}").ToArray();
        var encoder = new PageEncoder();
        encoder.AddDictionaryPage(distinct, PageEncoder.PlainStrings(dictionary));
        var expectedLevels = new List<int>();
        var expected = new List<string>();
        foreach (var rows in new[] { 500, 0, 1029, 8 })
        {
            var levels = new int[rows];
            var indexes = new List<int>();
            for (var i = 0; i < rows; i++)
            {
                levels[i] = i % 11 == 3 ? 0 : 1;
                if (levels[i] == 1)
                    indexes.Add((i / 20) % 2 == 0 ? distinct - 1 : random.Next(distinct));
            }
            // The width is declared wider than the indexes need on one page (a writer may).
            var declared = rows == 8 ? Math.Min(32, width + 9) : width;
            encoder.AddDataPage(rows, PageEncoder.Hybrid(levels, 1),
                PageEncoder.Indexes([.. indexes], declared, rows == 1029 ? 0 : 8), PageEncoder.RleDictionary);
            expectedLevels.AddRange(levels);
            expected.AddRange(indexes.Select(i => dictionary[i]));
        }
        var codes = new DictionaryCodes<ReadOnlyMemory<char>>();
        var (definitions, values, rows2, count) = Decode<ReadOnlyMemory<char>>(encoder, PhysicalType.BYTE_ARRAY,
            1, codes);
        Assert.Equal(expectedLevels, definitions[..rows2]);
        Assert.Equal(expected, values[..count].Select(v => v.ToString()));
        Assert.True(codes.IsComplete);
        Assert.Equal(expected, codes.Indexes[..count].ToArray().Select(i => codes.Values[i].ToString()));
    }

    [Fact]
    public void An_index_outside_the_dictionary_or_a_truncated_page_is_declined()
    {
        var encoder = new PageEncoder();
        encoder.AddDictionaryPage(3, PageEncoder.PlainStrings(["a", "b", "c"]));
        encoder.AddDataPage(16, null, PageEncoder.Indexes([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 3], 2, 0),
            PageEncoder.RleDictionary);
        Assert.False(TryDecode<ReadOnlyMemory<char>>(encoder.Bytes, encoder, PhysicalType.BYTE_ARRAY, 0));

        var plain = new PageEncoder();
        plain.AddDataPage(100, null, PageEncoder.PlainInts(Enumerable.Range(0, 100).ToArray()), PageEncoder.Plain);
        var bytes = plain.Bytes;
        for (var cut = 1; cut < bytes.Length; cut += 37)
            Assert.False(TryDecode<int>(bytes[..cut], plain, PhysicalType.INT32, 0));
        Assert.True(TryDecode<int>(bytes, plain, PhysicalType.INT32, 0));
    }

    [Fact]
    public void Delta_int32_pages_decode_with_the_32_bit_wrapping_the_format_specifies()
    {
        var values = Enumerable.Range(0, 3000).Select(i => (long)(i * 7919 % 100_003) - 50_000).ToArray();
        values[7] = int.MaxValue;
        values[8] = int.MinValue;          // deltas a 32-bit writer wraps
        var encoder = new PageEncoder();
        encoder.AddDataPage(values.Length, null, PageEncoder.Delta(values), PageEncoder.DeltaBinaryPacked);
        var (_, ints, rows, count) = Decode<int>(encoder, PhysicalType.INT32, 0);
        Assert.Equal(3000, rows);
        Assert.Equal(values.Select(v => (int)v), ints[..count]);

        // The same deltas as a 32-bit writer computes them: int.MaxValue + 1 wraps to int.MinValue.
        var wrapped = new PageEncoder();
        wrapped.AddDataPage(3, null, PageEncoder.Delta([int.MaxValue - 1L, int.MaxValue, int.MaxValue + 1L]),
            PageEncoder.DeltaBinaryPacked);
        Assert.Equal([int.MaxValue - 1, int.MaxValue, int.MinValue], Decode<int>(wrapped, PhysicalType.INT32, 0)
            .Values[..3]);
    }

    [Fact]
    public void Timestamps_decode_as_the_constructor_makes_them_and_out_of_range_values_are_declined()
    {
        Assert.True(UtcTicks.IsLayoutKnown || !System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated);
        var random = new Random(3);
        var min = ColdFields.MinTimestampMs;
        var max = ColdFields.MaxTimestampMs;
        foreach (var count in new[] { 1, 3, 4, 5, 17, 1001 })
        {
            var ms = new long[count];
            for (var i = 0; i < count; i++)
                ms[i] = i % 7 == 0 ? min : i % 7 == 1 ? max : i % 7 == 2 ? -1 : random.NextInt64(min, max);
            var encoder = new PageEncoder();
            encoder.AddDataPage(count, null, PageEncoder.PlainLongs(ms), PageEncoder.Plain);
            var (_, times, rows, decoded) = Decode<DateTime>(encoder, PhysicalType.INT64, 0);
            Assert.Equal(count, decoded);
            for (var i = 0; i < count; i++)
            {
                var expected = DateTime.UnixEpoch.AddTicks(ms[i] * TimeSpan.TicksPerMillisecond);
                Assert.Equal(expected, times[i]);
                Assert.Equal(DateTimeKind.Utc, times[i].Kind);
            }
            foreach (var outside in new[] { min - 1, max + 1, long.MinValue, long.MaxValue })
            {
                var bad = (long[])ms.Clone();
                bad[count - 1] = outside;                   // the last, after every whole vector
                bad[0] = count > 4 ? outside : bad[0];      // and the first, in a vector
                var page = new PageEncoder();
                page.AddDataPage(count, null, PageEncoder.PlainLongs(bad), PageEncoder.Plain);
                Assert.False(TryDecode<DateTime>(page.Bytes, page, PhysicalType.INT64, 0));
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_dense_read_leaves_out_the_levels_of_a_chunk_without_nulls_and_writes_them_after_one(bool nullLast)
    {
        var random = new Random(9);
        var encoder = new PageEncoder();
        var expectedLevels = new List<int>();
        var expectedValues = new List<long>();
        foreach (var pageRows in new[] { 700, 0, 300, 1 })
        {
            var levels = new int[pageRows];
            levels.AsSpan().Fill(1);
            if (nullLast && pageRows == 1)
                levels[0] = 0;
            var values = Enumerable.Range(0, levels.Count(l => l == 1)).Select(_ => random.NextInt64()).ToArray();
            encoder.AddDataPage(pageRows, PageEncoder.Hybrid(levels, 1), PageEncoder.PlainLongs(values),
                PageEncoder.Plain);
            expectedLevels.AddRange(levels);
            expectedValues.AddRange(values);
        }
        var definitions = Enumerable.Repeat(-5, 2000).ToArray();
        var output = Array.Empty<long>();
        using var file = File.OpenHandle(Write(encoder.Bytes));
        using var decoder = new ColumnChunkDecoder(file);
        var chunk = Chunk(encoder, encoder.Bytes.Length, PhysicalType.INT64);
        Assert.True(decoder.TryReadDense(chunk, 1, ref definitions, ref output, new ValueArenas(), out var rows,
            out var count, out var allPresent));
        Assert.Equal(1001, rows);
        Assert.Equal(expectedValues, output[..count]);
        Assert.Equal(!nullLast, allPresent);
        if (allPresent)
            Assert.All(definitions[..1000], level => Assert.Equal(-5, level));  // RLE runs: not written at all
        else
            Assert.Equal(expectedLevels, definitions[..rows]);

        // TryRead writes every level either way; a required column is always all present.
        Assert.True(decoder.TryRead(chunk, 1, ref definitions, ref output, new ValueArenas(), out rows, out count));
        Assert.Equal(expectedLevels, definitions[..rows]);
        var required = new PageEncoder();
        required.AddDataPage(3, null, PageEncoder.PlainLongs([1, 2, 3]), PageEncoder.Plain);
        using var requiredFile = File.OpenHandle(Write(required.Bytes));
        using var requiredDecoder = new ColumnChunkDecoder(requiredFile);
        Assert.True(requiredDecoder.TryReadDense(Chunk(required, required.Bytes.Length, PhysicalType.INT64), 0,
            ref definitions, ref output, new ValueArenas(), out _, out count, out allPresent));
        Assert.True(allPresent);
        Assert.Equal([1L, 2, 3], output[..count]);
    }

    private (int[] Definitions, T[] Values, int Rows, int Count) Decode<T>(PageEncoder encoder,
        PhysicalType type, int maxDefinition, DictionaryCodes<T>? codes = null)
    {
        var definitions = Array.Empty<int>();
        var values = Array.Empty<T>();
        var path = Write(encoder.Bytes);
        using var file = File.OpenHandle(path);
        using var decoder = new ColumnChunkDecoder(file);
        Assert.True(decoder.TryRead(Chunk(encoder, encoder.Bytes.Length, type), maxDefinition, ref definitions,
            ref values, new ValueArenas(), out var rows, out var count, codes));
        return (definitions, values, rows, count);
    }

    private bool TryDecode<T>(byte[] bytes, PageEncoder encoder, PhysicalType type, int maxDefinition)
    {
        var definitions = Array.Empty<int>();
        var values = Array.Empty<T>();
        using var file = File.OpenHandle(Write(bytes));
        using var decoder = new ColumnChunkDecoder(file);
        return decoder.TryRead(Chunk(encoder, bytes.Length, type), maxDefinition, ref definitions, ref values,
            new ValueArenas(), out _, out _);
    }

    private static ColumnMetaData Chunk(PageEncoder encoder, int length, PhysicalType type) => new()
    {
        Type = type,
        Codec = CompressionCodec.UNCOMPRESSED,
        NumValues = encoder.Rows,
        TotalCompressedSize = length,
        TotalUncompressedSize = length,
        DataPageOffset = 4 + Math.Max(0, encoder.FirstDataPage),
        DictionaryPageOffset = encoder.FirstDataPage > 0 ? 4L : null,
    };

    // The chunk at offset 4 of a file (after a magic number, as in a Parquet file).
    private string Write(byte[] chunk)
    {
        var path = Path.Combine(_directory.Path, $"{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, [.. "PAR1"u8, .. chunk]);
        return path;
    }

    private static TheoryData<int> Range(int from, int to)
    {
        var data = new TheoryData<int>();
        for (var i = from; i <= to; i++)
            data.Add(i);
        return data;
    }
}
