using Query.Storage;
using Query.Storage.Reading;
using Query.Testing;
using Query.Tiering.Layout;
using Query.Tiering.Reading;

namespace Query.Tiering.Tests;

/// <summary>
/// A column read only to admit rows (ColdScanRange.AdmissionColumn: the engine drops a row whose ROWTIME column is
/// NULL or negative) is left undecoded in a row group whose statistics show a non-negative value in every row, and
/// decoded wherever a row might be refused, so the consumer sees exactly the rows to refuse.
/// </summary>
public sealed class ColdAdmissionColumnTests : IDisposable
{
    private const int Rows = 1300;
    private readonly TempDirectory _directory = new("cold-admission");

    public void Dispose() => _directory.Dispose();

    // Ts is NULL in rows 300-329 and negative in rows 700-709; row groups hold 100 rows.
    private static long? Ts(int i) => i is >= 300 and < 330 ? null : i is >= 700 and < 710 ? -5_000 + i
        : RowGenerator.BaseTimestampMs + i;

    [Fact]
    public async Task The_admission_column_is_decoded_only_in_row_groups_where_a_row_may_be_refused()
    {
        IReadOnlyList<ColdColumn> columns = [new("N", ColdType.Int64), new("Ts", ColdType.Timestamp)];
        var layout = new TestLayout(columns);
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 2048 }).GetPartition(0);
        var tier = await TierTestKit.AppendAndArchiveAsync(partition, Path.Combine(_directory.Path, "cold"), layout,
            Rows, i => TestLayout.EncodeRow(columns,
                [ColdValue.FromInt64(i), Ts(i) is { } ms ? ColdValue.FromInt64(ms) : ColdValue.Null]));
        var end = tier.Manifest.EndOffset;
        Assert.True(end > 1000);

        var range = new ColdScanRange(0, end, Columns: new HashSet<int> { 0, 1 }) { Columnar = true };
        var (decoded, decodedStatistics) = ReadBatches(tier, layout, range);
        var (admitted, statistics) = ReadBatches(tier, layout, range with { AdmissionColumn = 1 });
        Assert.Equal(0, decodedStatistics.ColumnChunksLeftOut);
        Assert.Equal(decoded.Count, admitted.Count);
        var refusing = 0;
        for (var b = 0; b < decoded.Count; b++)
        {
            var (first, rows, everyRowAdmitted, tsRead, _) = admitted[b];
            Assert.Equal(decoded[b].First, first);
            Assert.Equal(decoded[b].Rows, rows);
            Assert.True(decoded[b].TsRead);
            Assert.False(decoded[b].EveryRowAdmitted);
            var mayRefuse = Enumerable.Range((int)first, rows).Any(i => Ts(i) is not >= 0);
            refusing += mayRefuse ? 1 : 0;
            Assert.Equal(!mayRefuse, everyRowAdmitted);
            Assert.Equal(mayRefuse, tsRead);
        }
        Assert.Equal(decoded.Count - refusing, statistics.ColumnChunksLeftOut);
        // Column batches take rowoffset from the statistics of a row group without gaps: the offsets records have.
        using (var records = new ColdPartitionReader(tier, layout, new ColdScanRange(0, end)))
        {
            var offsets = new List<long>();
            while (records.TryRead(out var record))
                offsets.Add(record.Offset);
            Assert.Equal(offsets, decoded.SelectMany(b => b.Offsets));
        }
        Assert.True(refusing >= 2 && statistics.ColumnChunksLeftOut >= 8, $"{refusing} of {decoded.Count}");

        // A filter on the column decodes it everywhere (its predicate reads the values).
        var (filtered, filteredStatistics) = ReadBatches(tier, layout, range with
        {
            AdmissionColumn = 1,
            Filter = [new ColumnPredicate(1, ColumnComparison.GreaterOrEqual, 0L)],
        });
        Assert.Equal(0, filteredStatistics.ColumnChunksLeftOut);
        Assert.All(filtered, batch => Assert.True(batch.TsRead && !batch.EveryRowAdmitted));
    }

    private static (List<(long First, int Rows, bool EveryRowAdmitted, bool TsRead, long[] Offsets)>,
        ColdReadStatistics) ReadBatches(PartitionTier tier, IColumnLayout layout, ColdScanRange range)
    {
        var batches = new List<(long, int, bool, bool, long[])>();
        var batch = new ColumnBatch();
        var reader = new ColdPartitionReader(tier, layout, range);
        try
        {
            while (reader.TryReadBatch(batch))
            {
                batches.Add((batch.Offsets[0], batch.RowCount, batch.EveryRowAdmitted, batch.Columns[1] is not null,
                    batch.Offsets[..batch.RowCount]));
            }
        }
        finally
        {
            reader.Dispose();       // adds the open file's counters
        }
        return (batches, reader.Statistics);
    }
}
