using Parquet;
using Parquet.Schema;
using Query.Testing;
using Query.Tiering.Parquet.Pages;

namespace Query.Tiering.Tests;

/// <summary>
/// The page decoder against Parquet.Net's own reader on files Parquet.Net writes from generated data:
/// DELTA_BINARY_PACKED BIGINT and INT whose deltas need every width 0-64, with and without NULLs, dictionary-encoded
/// strings of growing cardinality (index widths 1-14), and PLAIN INT, BIGINT, DOUBLE and TIMESTAMP columns with
/// NULL mixes (none, some, all), each with every codec the archiver may use.
/// </summary>
public sealed class ParquetNetPageTests : IDisposable
{
    private readonly TempDirectory _directory = new("parquet-net-pages");

    public void Dispose() => _directory.Dispose();

    public static TheoryData<int, bool> DeltaWidths()
    {
        var data = new TheoryData<int, bool>();
        for (var width = 0; width <= 64; width++)
            data.Add(width, width % 3 == 0);
        return data;
    }

    [Theory]
    [MemberData(nameof(DeltaWidths))]
    public async Task Delta_binary_packed_bigints_of_every_width_decode_as_parquet_net_decodes_them(int width,
        bool nulls)
    {
        var random = new Random(width);
        var values = new long?[5000];
        long previous = random.NextInt64();
        for (var i = 0; i < values.Length; i++)
        {
            var delta = width == 64 ? random.NextInt64(long.MinValue, long.MaxValue)
                : random.NextInt64(0, 1L << Math.Min(width, 62)) << Math.Max(0, width - 62);
            previous = unchecked(previous + delta);
            values[i] = nulls && i % 5 == 2 ? null : previous;
        }
        var field = new DataField<long?>("v");
        await CompareAsync(field, values, EncodingHint.DeltaBinaryPacked, CompressionMethod.Zstd);
    }

    [Theory]
    [InlineData(CompressionMethod.Zstd)]
    [InlineData(CompressionMethod.None)]
    public async Task Delta_binary_packed_ints_decode_as_parquet_net_decodes_them(CompressionMethod codec)
    {
        var values = Enumerable.Range(0, 4000).Select(i => (int?)(i % 9 == 0 ? null : (i * 7919) ^ (i << 20)))
            .ToArray();
        await CompareAsync(new DataField<int?>("v"), values, EncodingHint.DeltaBinaryPacked, codec);
    }

    [Theory]
    [InlineData(2, CompressionMethod.Zstd)]
    [InlineData(3, CompressionMethod.Snappy)]
    [InlineData(200, CompressionMethod.None)]
    [InlineData(1000, CompressionMethod.Zstd)]
    [InlineData(9000, CompressionMethod.Zstd)]
    public async Task Dictionary_strings_of_any_cardinality_decode_as_parquet_net_decodes_them(int distinct,
        CompressionMethod codec)
    {
        var random = new Random(distinct);
        var values = new string?[20_000];
        for (var i = 0; i < values.Length; i++)
            values[i] = i % 13 == 5 ? null : $"k{random.Next(distinct)}\u00e6";
        var path = Path.Combine(_directory.Path, "s.parquet");
        var field = new DataField<string>("v", true);
        var options = new ParquetOptions { CompressionMethod = codec };
        options.ColumnEncodingHints["v"] = EncodingHint.Dictionary;
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream, options);
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync(field, values);
        }
        await using var reader = await ParquetReader.CreateAsync(path);
        using var group = reader.OpenRowGroupReader(0);
        var readField = reader.Schema.DataFields[0];
        var expected = new string?[values.Length];
        await group.ReadAsync(readField, expected.AsMemory());
        Assert.Equal(values, expected);
        var (definitions, texts, rows, count) = Decode<ReadOnlyMemory<char>>(path, group, readField);
        Assert.Equal(values.Length, rows);
        var dense = new List<string?>();
        for (int i = 0, v = 0; i < rows; i++)
            dense.Add(definitions[i] == 1 ? texts[v++].ToString() : null);
        Assert.Equal(count, values.Count(v => v is not null));
        Assert.Equal(values, dense);
    }

    public static TheoryData<int> NullMixes => [0, 1, 2];

    [Theory]
    [MemberData(nameof(NullMixes))]
    public async Task Plain_fixed_width_columns_with_any_null_mix_decode_as_parquet_net_decodes_them(int mix)
    {
        var random = new Random(mix);
        bool IsNull(int i) => mix switch { 0 => false, 1 => random.Next(3) == 0, _ => true };
        var ints = Enumerable.Range(0, 3001).Select(i => IsNull(i) ? null : (int?)random.Next()).ToArray();
        var longs = Enumerable.Range(0, 3001).Select(i => IsNull(i) ? null : (long?)random.NextInt64()).ToArray();
        var doubles = Enumerable.Range(0, 3001).Select(i => IsNull(i) ? null : (double?)random.NextDouble())
            .ToArray();
        await CompareAsync(new DataField<int?>("v"), ints, EncodingHint.Default, CompressionMethod.Zstd);
        await CompareAsync(new DataField<long?>("v"), longs, EncodingHint.Default, CompressionMethod.Snappy);
        await CompareAsync(new DataField<double?>("v"), doubles, EncodingHint.Default, CompressionMethod.None);
    }

    private async Task CompareAsync<T>(DataField field, T?[] values, EncodingHint hint, CompressionMethod codec)
        where T : struct
    {
        var path = Path.Combine(_directory.Path, $"{Guid.NewGuid():N}.parquet");
        var options = new ParquetOptions { CompressionMethod = codec };
        options.ColumnEncodingHints[field.Name] = hint;
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream, options);
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync<T>(field, values.AsMemory());
        }
        await using var reader = await ParquetReader.CreateAsync(path);
        using var group = reader.OpenRowGroupReader(0);
        var readField = reader.Schema.DataFields[0];
        var expected = new T?[values.Length];
        await group.ReadAsync<T>(readField, expected.AsMemory());
        Assert.Equal(values, expected);
        var (definitions, dense, rows, count) = Decode<T>(path, group, readField);
        Assert.Equal(values.Length, rows);
        var actual = new T?[rows];
        var v = 0;
        for (var i = 0; i < rows; i++)
            actual[i] = definitions[i] == 1 ? dense[v++] : null;
        Assert.Equal(count, v);
        Assert.Equal(expected, actual);
    }

    private static (int[] Definitions, T[] Values, int Rows, int Count) Decode<T>(string path,
        ParquetRowGroupReader group, DataField field)
    {
        var definitions = Array.Empty<int>();
        var values = Array.Empty<T>();
        using var file = File.OpenHandle(path);
        using var decoder = new ColumnChunkDecoder(file);
        Assert.True(decoder.TryRead(group.GetMetadata(field)!.MetaData!, field.MaxDefinitionLevel, ref definitions,
            ref values, new ValueArenas(), out var rows, out var count));
        return (definitions, values, rows, count);
    }
}
