using Parquet;
using Query.Storage;
using Query.Storage.Reading;
using Query.Testing;
using Query.Tiering.Layout;
using Query.Tiering.Parquet;

namespace Query.Tiering.Tests;

/// <summary>
/// The own page decoder against Parquet.Net on the same files: every leaf of every row group (levels and values)
/// and the system columns must be identical whichever decodes them, for each codec the archiver can use, and
/// the own decoder must really have read the flat columns.
/// </summary>
public sealed class ColdPageDecoderTests : IDisposable
{
    private static readonly IReadOnlyList<ColdColumn> CountryColumns =
        [new("Country", ColdType.String), new("N", ColdType.Int64), new("Seen", ColdType.Timestamp)];

    private readonly TempDirectory _directory = new("page-decoder");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(CompressionMethod.Zstd)]
    [InlineData(CompressionMethod.Snappy)]
    [InlineData(CompressionMethod.None)]
    public async Task Every_column_the_archiver_writes_decodes_as_parquet_net_decodes_it(CompressionMethod codec)
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("s", new LogOptions()).GetPartition(0);
        await new RowGenerator(11).AppendAsync(partition, 2500);
        var path = Path.Combine(_directory.Path, "f.parquet");
        var layout = new TestLayout(TestLayout.AllTypes);
        await WriteAsync(partition, layout, path, new ColdFileOptions { RowGroupMaxRows = 700, Compression = codec });

        var (decoded, declined, rowGroups) = await CompareAsync(path, layout);
        Assert.Equal(4, rowGroups);
        // Per row group: rowoffset, rowtime, rowkey, the flat stream columns but Price (DECIMAL), the struct's two
        // leaves, rowvalue. Left to Parquet.Net: Price (no DECIMAL here) and nothing else that is flat.
        Assert.Equal(rowGroups * 15, decoded);
        Assert.Equal(rowGroups, declined);
    }

    private static readonly string?[] Countries = ["NO", "SE", null, "DK", "Æøå", "\U0001F600 x", ""];

    [Fact]
    public async Task Dictionary_encoded_strings_with_nulls_and_any_text_decode_as_parquet_net_decodes_them()
    {
        var (path, layout) = await WriteCountriesAsync();
        await using (var reader = await ParquetReader.CreateAsync(path))
        {
            var encodings = reader.OpenRowGroupReader(0).GetMetadata(reader.Schema.FindDataField("country"))!
                .MetaData!.Encodings;
            Assert.Contains(encodings, e => e is global::Parquet.Meta.Encoding.PLAIN_DICTIONARY
                or global::Parquet.Meta.Encoding.RLE_DICTIONARY);
        }
        var (decoded, declined, rowGroups) = await CompareAsync(path, layout);
        Assert.Equal(3, rowGroups);
        Assert.Equal(rowGroups * 7, decoded);      // rowoffset, rowtime, rowkey, country, n, seen, rowvalue
        Assert.Equal(0, declined);
    }

    [Theory]
    [InlineData(ColumnComparison.Equal, "NO")]
    [InlineData(ColumnComparison.Less, "SE")]
    [InlineData(ColumnComparison.GreaterOrEqual, "Æøå")]
    [InlineData(ColumnComparison.Equal, "")]
    public async Task A_string_predicate_on_dictionary_codes_keeps_exactly_the_matching_rows(
        ColumnComparison comparison, string constant)
    {
        var (path, layout) = await WriteCountriesAsync();
        var schema = ColdFileSchema.Create(layout.Columns);
        var range = new ColdScanRange(0) { Filter = [new ColumnPredicate(0, comparison, constant)] };
        await using var reader = await ColdFileReader.OpenAsync(path, schema, layout, range, default);
        var country = (LeafColumn<ReadOnlyMemory<char>>)((LeafNode)schema.Columns[1]).Column;
        var offsets = new List<long>();
        while (await reader.LoadNextRowGroupAsync(default))
        {
            Assert.NotNull(country.LoadedCodes);        // judged on the dictionary, not row by row
            while (reader.TryRead(out var record))
                offsets.Add(record.Offset);
        }
        var expected = Enumerable.Range(0, 3000).Where(i => Countries[i % Countries.Length] is { } value
            && comparison switch
            {
                ColumnComparison.Equal => string.CompareOrdinal(value, constant) == 0,
                ColumnComparison.Less => string.CompareOrdinal(value, constant) < 0,
                _ => string.CompareOrdinal(value, constant) >= 0,
            }).Select(i => (long)i);
        Assert.Equal(expected, offsets);
    }

    // 3,000 rows of a low-cardinality STRING (NULLs, non-ASCII, empty), a BIGINT and a TIMESTAMP with NULLs, in
    // row groups of 1,024: Parquet.Net dictionary-encodes the strings.
    private async Task<(string Path, IColumnLayout Layout)> WriteCountriesAsync()
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("s", new LogOptions()).GetPartition(0);
        using (var batch = new RecordBatchBuilder())
        {
            for (var i = 0; i < 3000; i++)
            {
                var country = Countries[i % Countries.Length];
                var row = new[]
                {
                    country is null ? ColdValue.Null : ColdValue.FromRef(country), ColdValue.FromInt64(i),
                    i % 4 == 0 ? ColdValue.Null : ColdValue.FromInt64(RowGenerator.BaseTimestampMs + i),
                };
                batch.Add(RowGenerator.BaseTimestampMs + i, TestLayout.EncodeRow(CountryColumns, row));
                if (batch.Count == 500)
                {
                    await partition.AppendAsync(batch);
                    batch.Clear();
                }
            }
        }
        var path = Path.Combine(_directory.Path, "d.parquet");
        var layout = new TestLayout(CountryColumns);
        await WriteAsync(partition, layout, path, new ColdFileOptions { RowGroupMaxRows = 1024 });
        return (path, layout);
    }

    private static async Task WriteAsync(PartitionLog partition, IColumnLayout layout, string path,
        ColdFileOptions options)
    {
        var schema = ColdFileSchema.Create(layout.Columns);
        await using var stream = File.Create(path);
        var writer = await ColdFileWriter.CreateAsync(schema, layout, partition.Partition, stream, options, default);
        using (var reader = partition.OpenReader(partition.StartOffset, partition.EndOffset))
        {
            while (reader.TryRead(out var record))
            {
                writer.Add(record);
                if (writer.IsRowGroupFull)
                    await writer.FlushRowGroupAsync(default);
            }
        }
        await writer.CompleteAsync(new Dictionary<string, string>(), default);
    }

    // Loads every row group with both decoders and compares all they hold; answers the own reader's counters.
    private static async Task<(int Decoded, int Declined, int RowGroups)> CompareAsync(string path,
        IColumnLayout layout)
    {
        var schema = ColdFileSchema.Create(layout.Columns);
        var ownSchema = ColdFileSchema.Create(layout.Columns);       // leaves hold buffers: one schema per reader
        var rowGroups = 0;
        await using var library = await ColdFileReader.OpenAsync(path, schema, layout, new ColdScanRange(0), default,
            ownDecoder: false);
        var own = await ColdFileReader.OpenAsync(path, ownSchema, layout, new ColdScanRange(0), default,
            ownDecoder: true);
        while (await library.LoadNextRowGroupAsync(default))
        {
            Assert.True(await own.LoadNextRowGroupAsync(default));
            rowGroups++;
            Assert.Equal(library.LoadedOffsets.ToArray(), own.LoadedOffsets.ToArray());
            Assert.Equal(library.LoadedTimes.ToArray(), own.LoadedTimes.ToArray());
            Assert.Equal(library.LoadedTimes.ToArray().Select(t => t.Kind), own.LoadedTimes.ToArray().Select(t => t.Kind));
            for (var node = 0; node < schema.Columns.Length; node++)
            {
                var expected = schema.Columns[node].Leaves.ToList();
                var actual = ownSchema.Columns[node].Leaves.ToList();
                for (var i = 0; i < expected.Count; i++)
                    AssertSameLeaf(expected[i], actual[i]);
            }
        }
        Assert.False(await own.LoadNextRowGroupAsync(default));
        await own.DisposeAsync();
        Assert.Equal(0, library.Statistics.ColumnChunksDecoded);
        return (own.Statistics.ColumnChunksDecoded, own.Statistics.ColumnChunksDeclined, rowGroups);
    }

    private static void AssertSameLeaf(LeafColumn expected, LeafColumn actual)
    {
        var name = expected.Field.Path.ToString();
        Assert.True(expected.LoadedDefinitions.SequenceEqual(actual.LoadedDefinitions), name + ": definitions");
        // Values are dense (one per defined level); the library's buffer may hold more slots after them.
        var count = expected.LoadedDefinitions.Count(expected.MaxDefinition);
        switch (expected)
        {
            case LeafColumn<ReadOnlyMemory<char>> text:
                Assert.Equal(Texts(text.LoadedValues[..count]),
                    Texts(((LeafColumn<ReadOnlyMemory<char>>)actual).LoadedValues[..count]));
                break;
            case LeafColumn<ReadOnlyMemory<byte>> bytes:
                Assert.Equal(Hex(bytes.LoadedValues[..count]),
                    Hex(((LeafColumn<ReadOnlyMemory<byte>>)actual).LoadedValues[..count]));
                break;
            case LeafColumn<DateTime> times:
                var other = ((LeafColumn<DateTime>)actual).LoadedValues[..count].ToArray();
                Assert.Equal(times.LoadedValues[..count].ToArray(), other);
                Assert.Equal(times.LoadedValues[..count].ToArray().Select(t => t.Kind), other.Select(t => t.Kind));
                break;
            default:
                Assert.Equal(Boxed(expected).Take(count), Boxed(actual).Take(count));
                break;
        }
    }

    private static List<string> Texts(ReadOnlySpan<ReadOnlyMemory<char>> values)
    {
        var list = new List<string>(values.Length);
        foreach (var value in values)
            list.Add(value.ToString());
        return list;
    }

    private static List<string> Hex(ReadOnlySpan<ReadOnlyMemory<byte>> values)
    {
        var list = new List<string>(values.Length);
        foreach (var value in values)
            list.Add(Convert.ToHexString(value.Span));
        return list;
    }

    private static List<object> Boxed(LeafColumn leaf) => leaf switch
    {
        LeafColumn<bool> b => b.LoadedValues.ToArray().Cast<object>().ToList(),
        LeafColumn<int> i => i.LoadedValues.ToArray().Cast<object>().ToList(),
        LeafColumn<long> l => l.LoadedValues.ToArray().Cast<object>().ToList(),
        LeafColumn<double> d => d.LoadedValues.ToArray().Cast<object>().ToList(),
        LeafColumn<decimal> m => m.LoadedValues.ToArray().Cast<object>().ToList(),
        LeafColumn<DateOnly> d => d.LoadedValues.ToArray().Cast<object>().ToList(),
        _ => throw new InvalidOperationException($"no comparison for {leaf.GetType()}"),
    };
}
