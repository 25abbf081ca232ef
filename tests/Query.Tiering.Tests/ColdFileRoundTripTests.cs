using Query.Storage;
using Query.Testing;
using Query.Tiering.Layout;
using Query.Tiering.Parquet;

namespace Query.Tiering.Tests;

public sealed class ColdFileRoundTripTests : IDisposable
{
    private readonly TempDirectory _directory = new("tiering");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_record_reads_back_with_identical_key_value_headers_offset_and_time()
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("s", new LogOptions()).GetPartition(0);
        await new RowGenerator(1).AppendAsync(partition, 3000);
        var path = Path.Combine(_directory.Path, "f.parquet");
        var layout = new TestLayout(TestLayout.AllTypes);
        await WriteFileAsync(partition, layout, path, rowGroupRows: 700);

        var expected = ReadHot(partition, 0, 3000);
        var actual = await ReadColdAsync(path, layout, new ColdScanRange(0));
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.Equal(expected[i], actual[i]);
    }

    [Fact]
    public async Task An_offset_range_reads_only_the_row_groups_that_hold_it()
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("s", new LogOptions()).GetPartition(0);
        await new RowGenerator(2).AppendAsync(partition, 3000);
        var path = Path.Combine(_directory.Path, "f.parquet");
        var layout = new TestLayout(TestLayout.AllTypes);
        await WriteFileAsync(partition, layout, path, rowGroupRows: 500);

        var statistics = new ColdReadStatistics();
        var rows = await ReadColdAsync(path, layout, new ColdScanRange(1_100, 1_350), statistics);
        Assert.Equal(ReadHot(partition, 1_100, 1_350), rows);
        Assert.Equal(1, statistics.RowGroupsRead);
        Assert.Equal(5, statistics.RowGroupsSkipped);
    }

    [Fact]
    public async Task A_rowtime_range_skips_row_groups_by_statistics()
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("s", new LogOptions()).GetPartition(0);
        await new RowGenerator(3).AppendAsync(partition, 2000);
        var path = Path.Combine(_directory.Path, "f.parquet");
        var layout = new TestLayout(TestLayout.AllTypes);
        await WriteFileAsync(partition, layout, path, rowGroupRows: 250);

        var from = RowGenerator.BaseTimestampMs + (1_600 * 1000L);
        var statistics = new ColdReadStatistics();
        var rows = await ReadColdAsync(path, layout,
            new ColdScanRange(0, MinTimestampMs: from, MaxTimestampMs: from + 10_000), statistics);
        Assert.True(1 == statistics.RowGroupsRead, $"read {statistics.RowGroupsRead}, skipped {statistics.RowGroupsSkipped}");
        Assert.Contains(rows, r => r.Offset == 1_600);
    }

    [Fact]
    public async Task A_projection_reads_only_the_asked_columns_and_the_rest_come_back_null()
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("s", new LogOptions()).GetPartition(0);
        var rows = await new RowGenerator(4).AppendAsync(partition, 300);
        var path = Path.Combine(_directory.Path, "f.parquet");
        var layout = new TestLayout(TestLayout.AllTypes);
        await WriteFileAsync(partition, layout, path, rowGroupRows: 1000);

        var read = await ReadColdAsync(path, layout, new ColdScanRange(0, Columns: new HashSet<int> { 0, 10 }));
        for (var i = 0; i < rows.Count; i++)
        {
            var projected = new ColdValue[rows[i].Length];
            projected.AsSpan().Fill(ColdValue.Null);
            projected[0] = rows[i][0];
            projected[10] = rows[i][10];
            Assert.Equal(Convert.ToHexString(TestLayout.EncodeRow(TestLayout.AllTypes, projected)), read[i].ValueHex);
        }
    }

    [Fact]
    public async Task A_row_of_an_older_shape_keeps_its_exact_bytes_in_rowvalue()
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("s", new LogOptions()).GetPartition(0);
        var narrow = TestLayout.AllTypes.Take(3).ToList();
        using (var batch = new RecordBatchBuilder())
        {
            batch.Add(1000, TestLayout.EncodeRow(narrow, [ColdValue.FromInt64(7), ColdValue.Null, ColdValue.FromInt64(3)]));
            batch.Add(2000, new byte[] { 0xFF, 0xFF, 0x01 });       // not decodable at all
            await partition.AppendAsync(batch);
        }
        var path = Path.Combine(_directory.Path, "f.parquet");
        var layout = new TestLayout(TestLayout.AllTypes);
        await WriteFileAsync(partition, layout, path, rowGroupRows: 1000);

        Assert.Equal(ReadHot(partition, 0, 2), await ReadColdAsync(path, layout, new ColdScanRange(0)));
    }

    internal static async Task WriteFileAsync(PartitionLog partition, IColumnLayout layout, string path,
        int rowGroupRows)
    {
        var schema = ColdFileSchema.Create(layout.Columns);
        await using var stream = File.Create(path);
        var writer = await ColdFileWriter.CreateAsync(schema, layout, partition.Partition, stream,
            new ColdFileOptions { RowGroupMaxRows = rowGroupRows }, default);
        using (var reader = partition.OpenReader(partition.StartOffset, partition.EndOffset))
        {
            while (true)
            {
                if (!reader.TryRead(out var record))
                    break;
                writer.Add(record);
                if (writer.IsRowGroupFull)
                    await writer.FlushRowGroupAsync(default);
            }
        }
        await writer.CompleteAsync(new Dictionary<string, string> { ["test"] = "1" }, default);
    }

    internal static List<RecordImage> ReadHot(PartitionLog partition, long start, long end)
    {
        var images = new List<RecordImage>();
        using var reader = partition.OpenReader(start, end);
        while (reader.TryRead(out var record))
            images.Add(RecordImage.Of(record));
        return images;
    }

    internal static async Task<List<RecordImage>> ReadColdAsync(string path, IColumnLayout layout, ColdScanRange range,
        ColdReadStatistics? statistics = null)
    {
        var images = new List<RecordImage>();
        var schema = ColdFileSchema.Create(layout.Columns);
        await using var reader = await ColdFileReader.OpenAsync(path, schema, layout, range, default);
        while (await reader.LoadNextRowGroupAsync(default))
        {
            while (reader.TryRead(out var record))
                images.Add(RecordImage.Of(record));
        }
        if (statistics is not null)
        {
            statistics.RowGroupsRead += reader.Statistics.RowGroupsRead;
            statistics.RowGroupsSkipped += reader.Statistics.RowGroupsSkipped;
        }
        return images;
    }
}
