using Query.Storage;
using Query.Testing;
using Query.Tiering.Layout;

namespace Query.Tiering.Tests;

/// <summary>
/// Archival takes top-level STRING and BYTES values as ranges of the value bytes (no string or array per value)
/// and copies them into arenas reused across row groups: the files must read back exactly as when the layout
/// hands over strings and arrays, for any text (non-ASCII, surrogate pairs, values larger than an arena chunk).
/// </summary>
public sealed class ValueRangeArchiveTests : IDisposable
{
    private static readonly IReadOnlyList<ColdColumn> Columns =
    [
        new("Id", ColdType.Int64),
        new("Name", ColdType.String),
        new("Blob", ColdType.Bytes),
        new("Note", ColdType.String),
    ];

    private readonly TempDirectory _directory = new("tiering-ranges");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Text_and_bytes_read_back_identical_whether_decoded_as_ranges_or_objects(bool ranges)
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("s", new LogOptions()).GetPartition(0);
        var rows = await AppendAsync(partition, 2_500);
        var layout = new TestLayout(Columns, decodeRanges: ranges);
        var path = Path.Combine(_directory.Path, "f.parquet");
        await ColdFileRoundTripTests.WriteFileAsync(partition, layout, path, rowGroupRows: 300);

        var expected = ColdFileRoundTripTests.ReadHot(partition, 0, rows.Count);
        var actual = await ColdFileRoundTripTests.ReadColdAsync(path, layout, new ColdScanRange(0));
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.Equal(expected[i], actual[i]);
    }

    private static async Task<List<ColdValue[]>> AppendAsync(PartitionLog partition, int count)
    {
        var random = new Random(11);
        var rows = new List<ColdValue[]>(count);
        using var batch = new RecordBatchBuilder();
        for (var i = 0; i < count; i++)
        {
            var blob = new byte[random.Next(0, i % 97 == 0 ? 70_000 : 20)];
            random.NextBytes(blob);
            ColdValue[] row =
            [
                ColdValue.FromInt64(i),
                i % 7 == 0 ? ColdValue.Null : ColdValue.FromRef(Text(random, i)),
                i % 11 == 0 ? ColdValue.Null : ColdValue.FromRef(blob),
                ColdValue.FromRef(i % 5 == 0 ? "" : "n" + i),
            ];
            rows.Add(row);
            batch.Add(RowGenerator.BaseTimestampMs + i, default, false, TestLayout.EncodeRow(Columns, row), []);
            if (batch.Count == 100 || i == count - 1)
            {
                await partition.AppendAsync(batch);
                batch.Clear();
            }
        }
        return rows;
    }

    // ASCII, Latin, CJK, emoji (surrogate pairs), and now and then a value longer than an arena chunk.
    private static string Text(Random random, int i)
    {
        string[] pieces = ["plain", "blåbærsyltetøy", "東京都", "🙂🚀", "x"];
        var repeat = i % 101 == 0 ? 9_000 : random.Next(1, 4);
        var builder = new System.Text.StringBuilder();
        for (var k = 0; k < repeat; k++)
            builder.Append(pieces[(i + k) % pieces.Length]);
        return builder.ToString();
    }
}
