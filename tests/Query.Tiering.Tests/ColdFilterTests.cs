using System.Text;
using Parquet.Data;
using Parquet.Schema;
using Query.Storage;
using Query.Storage.Reading;
using Query.Testing;
using Query.Tiering.Archival;
using Query.Tiering.Layout;
using Query.Tiering.Parquet;
using Query.Tiering.Reading;

namespace Query.Tiering.Tests;

/// <summary>
/// Column predicates on cold reads: row groups skipped by statistics and rows left out on the typed columns,
/// never a row the predicate holds for (compared with the unfiltered read and with the generated values).
/// </summary>
public sealed class ColdFilterTests : IDisposable
{
    private readonly TempDirectory _directory = new("cold-filter");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Predicates_on_every_scalar_type_never_drop_a_matching_row()
    {
        var (tier, rows) = await ArchiveAllTypesAsync(3000);
        var all = Read(tier, TierTestKit.Layout, null, out _);
        var predicates = new ColumnPredicate[]
        {
            new(0, ColumnComparison.Less, 250L), new(0, ColumnComparison.Equal, 1234L),
            new(0, ColumnComparison.GreaterOrEqual, 2990L), new(0, ColumnComparison.Greater, 1000.5),
            new(1, ColumnComparison.Equal, "name-7"), new(1, ColumnComparison.Less, "name-2"),
            new(2, ColumnComparison.LessOrEqual, -900L), new(2, ColumnComparison.Greater, 990.5),
            new(2, ColumnComparison.Equal, 5L), new(4, ColumnComparison.Greater, 0.95),
            new(4, ColumnComparison.LessOrEqual, 0.01), new(5, ColumnComparison.Equal, true),
            new(5, ColumnComparison.Less, true), new(7, ColumnComparison.GreaterOrEqual,
                RowGenerator.BaseTimestampMs + 2_000_000_000L),
            new(8, ColumnComparison.Equal, 20_100L), new(8, ColumnComparison.Less, 20_010L),
        };
        foreach (var predicate in predicates)
        {
            var filtered = Read(tier, TierTestKit.Layout, [predicate], out var statistics);
            AssertSubsetKeepingEveryMatch(all, filtered, offset =>
                Matches(rows[(int)offset][predicate.Column], TestLayout.AllTypes[predicate.Column].Type.Kind,
                    predicate));
            Assert.True(statistics.RowsFilteredOut > 0 || statistics.RowGroupsSkippedByFilter > 0,
                $"{predicate} left nothing out");
        }
        var both = Read(tier, TierTestKit.Layout, [predicates[0], predicates[4]], out _);
        AssertSubsetKeepingEveryMatch(all, both, offset => Matches(rows[(int)offset][0], ColdTypeKind.Int64,
            predicates[0]) && Matches(rows[(int)offset][1], ColdTypeKind.String, predicates[4]));
    }

    [Fact]
    public async Task Row_groups_whose_statistics_exclude_a_predicate_are_skipped()
    {
        var (tier, _) = await ArchiveAllTypesAsync(3000);
        var groups = AllRowGroups(tier);

        Read(tier, TierTestKit.Layout, [new ColumnPredicate(0, ColumnComparison.Less, 250L)], out var statistics);

        // Id is the offset here, so the row groups that may hold Id < 250 are those starting below offset 250.
        var overlapping = groups.Count(g => g.BaseOffset < 250);
        Assert.Equal(overlapping, statistics.RowGroupsRead);
        Assert.Equal(groups.Count - overlapping, statistics.RowGroupsSkippedByFilter);
        Read(tier, TierTestKit.Layout, [new ColumnPredicate(0, ColumnComparison.Equal, 1234L)], out statistics);
        Assert.Equal(1, statistics.RowGroupsRead);
        Assert.Equal(250, Read(tier, TierTestKit.Layout, [new ColumnPredicate(0, ColumnComparison.Less, 250L)],
            out _).Count);
    }

    [Fact]
    public async Task Null_row_groups_are_skipped_long_and_surrogate_strings_keep_every_match_raw_rows_stay()
    {
        IReadOnlyList<ColdColumn> columns = [new("N", ColdType.Int64), new("S", ColdType.String)];
        var layout = new TestLayout(columns);
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("t", TierTestKit.SmallSegments).GetPartition(0);
        var random = new Random(5);
        var rows = new List<ColdValue[]>();
        var tier = await TierTestKit.AppendAndArchiveAsync(partition, Path.Combine(_directory.Path, "cold"), layout,
            1300, i =>
            {
                // N: NULL from row 500 on (whole row groups of NULLs); S: long text with surrogate pairs and high
                // BMP characters, where UTF-8 and UTF-16 orders differ.
                var row = new[]
                {
                    i < 500 ? ColdValue.FromInt64(i) : ColdValue.Null,
                    i % 10 == 3 ? ColdValue.Null : ColdValue.FromRef(Text(random, i)),
                };
                rows.Add(row);
                // Rows 900-949 have the shape before ADD COLUMN (one column): kept raw in the file.
                return IsRaw(i) ? TestLayout.EncodeRow([columns[0]], [row[0]]) : TestLayout.EncodeRow(columns, row);
            });
        Assert.True(tier.Manifest.EndOffset > 1000);
        var all = Read(tier, layout, null, out _);
        var groups = tier.Manifest.Files.SelectMany(f => ColdFileRowGroups.Describe(tier.FullPath(f), layout, []));

        var notNull = Read(tier, layout, [new ColumnPredicate(0, ColumnComparison.GreaterOrEqual, 0L)], out var stats);
        Assert.Equal(500 + 50, notNull.Count);              // the raw rows are returned for the caller to judge
        // Row groups wholly past row 500 hold only NULLs of N, unless they hold raw rows (never skipped).
        Assert.Equal(groups.Count(g => g.BaseOffset >= 500 && !(g.BaseOffset < 950 && g.EndOffset > 900)),
            stats.RowGroupsSkippedByFilter);
        Assert.True(stats.RowGroupsSkippedByFilter >= 3);
        foreach (var probe in new[] { 7, 123, 640, 999 })
        {
            var text = (string?)rows[probe][1].Ref ?? "";
            foreach (var comparison in Enum.GetValues<ColumnComparison>())
            {
                var predicate = new ColumnPredicate(1, comparison, text);
                var filtered = Read(tier, layout, [predicate], out _);
                AssertSubsetKeepingEveryMatch(all, filtered, offset => IsRaw((int)offset)
                    || Matches(rows[(int)offset][1], ColdTypeKind.String, predicate));
                Assert.Equal(50, filtered.Count(r => IsRaw((int)r.Offset)));      // raw rows are kept
            }
        }
    }

    [Fact]
    public void Missing_or_unordered_statistics_never_prune()
    {
        var leaf = (LeafColumn<long>)ColdFields.CreateLeaf(ColdType.Int64, new DataField<long>("n", true), 1);
        var greater = new NumericPredicate<long, long, Int64AsInt64>(leaf, ColumnComparison.Greater, 10);
        Assert.True(greater.MayMatch(null, 100));
        Assert.True(greater.MayMatch(new DataColumnStatistics(null, null, null, null), 100));
        Assert.True(greater.MayMatch(new DataColumnStatistics(3, null, null, null), 100));
        Assert.True(greater.MayMatch(new DataColumnStatistics(0, null, 1L, null), 100));
        Assert.True(greater.MayMatch(new DataColumnStatistics(0, null, "text", "text"), 100));
        Assert.True(greater.MayMatch(new DataColumnStatistics(0, null, 1L, 11L), 100));
        Assert.False(greater.MayMatch(new DataColumnStatistics(0, null, 1L, 10L), 100));
        Assert.False(greater.MayMatch(new DataColumnStatistics(100, null, null, null), 100));

        var doubles = (LeafColumn<double>)ColdFields.CreateLeaf(ColdType.Double, new DataField<double>("d", true), 1);
        foreach (var comparison in Enum.GetValues<ColumnComparison>())
        {
            var predicate = new NumericPredicate<double, double, DoubleAsDouble>(doubles, comparison, 5.0);
            Assert.True(predicate.MayMatch(new DataColumnStatistics(0, null, double.NaN, double.NaN), 100));
            Assert.True(predicate.MayMatch(new DataColumnStatistics(0, null, 1.0, double.NaN), 100));
            Assert.True(predicate.MayMatch(new DataColumnStatistics(0, null, double.NaN, 9.0), 100));
        }
        var texts = (LeafColumn<ReadOnlyMemory<char>>)ColdFields.CreateLeaf(ColdType.String,
            new DataField<string>("s", true), 1);
        var surrogate = new StringPredicate(texts, ColumnComparison.Equal, "\U0001F600");
        Assert.True(surrogate.MayMatch(new DataColumnStatistics(0, null, "\uFF00", "\uFFFF"), 100));
        Assert.False(new StringPredicate(texts, ColumnComparison.Equal, "b")
            .MayMatch(new DataColumnStatistics(0, null, "c", "d"), 100));
    }

    private async Task<(PartitionTier Tier, List<ColdValue[]> Rows)> ArchiveAllTypesAsync(int count)
    {
        await using var store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var partition = store.CreateLog("s", TierTestKit.SmallSegments).GetPartition(0);
        var rows = await new RowGenerator(31).AppendAsync(partition, count);
        var tier = new ColdStore(Path.Combine(_directory.Path, "cold")).GetTier("s", 0);
        await new SegmentArchiver(new ColdFileOptions { RowGroupMaxRows = 100 })
            .ArchiveAsync(partition, tier, TierTestKit.Layout, _ => true);
        Assert.True(tier.Manifest.EndOffset > count / 2);
        return (tier, rows);
    }

    private static List<SourceExtent> AllRowGroups(PartitionTier tier) =>
        [.. tier.Manifest.Files.SelectMany(f => ColdFileRowGroups.Describe(tier.FullPath(f), TierTestKit.Layout, []))];

    private static List<RecordImage> Read(PartitionTier tier, IColumnLayout layout, ColumnPredicate[]? filter,
        out ColdReadStatistics statistics)
    {
        var images = new List<RecordImage>();
        using var reader = new ColdPartitionReader(tier, layout, new ColdScanRange(0) { Filter = filter });
        while (reader.TryRead(out var record))
            images.Add(RecordImage.Of(record));
        statistics = reader.Statistics;
        return images;
    }

    // Every filtered record is the unfiltered one at its offset, and every offset that matches is there.
    private static void AssertSubsetKeepingEveryMatch(List<RecordImage> all, List<RecordImage> filtered,
        Func<long, bool> matches)
    {
        var byOffset = all.ToDictionary(r => r.Offset);
        foreach (var record in filtered)
            Assert.Equal(byOffset[record.Offset], record);
        var kept = filtered.Select(r => r.Offset).ToHashSet();
        var missing = all.Where(r => matches(r.Offset) && !kept.Contains(r.Offset)).Select(r => r.Offset).ToList();
        Assert.Empty(missing);
    }

    // The engine's WHERE semantics: NULL and NaN fail; integers, times and dates by value, text ordinally.
    private static bool Matches(ColdValue value, ColdTypeKind kind, ColumnPredicate predicate)
    {
        if (value.IsNull)
            return false;
        double? number = (kind, predicate.Value) switch
        {
            (ColdTypeKind.Double, double) => value.AsDouble,
            (_, double) => value.Bits,
            _ => null,
        };
        if (number is { } n)
        {
            var c = (double)predicate.Value;
            return !double.IsNaN(n) && predicate.Accepts(n.CompareTo(c));
        }
        var order = predicate.Value switch
        {
            long c => value.Bits.CompareTo(c),
            string c => string.CompareOrdinal((string)value.Ref!, c),
            bool c => (value.Bits != 0).CompareTo(c),
            _ => throw new InvalidOperationException(),
        };
        return predicate.Accepts(order);
    }

    private static bool IsRaw(int row) => row is >= 900 and < 950;

    private static string Text(Random random, int i)
    {
        var text = new StringBuilder(300);
        text.Append((char)('a' + random.Next(3)));
        var length = 150 + random.Next(150);
        for (var c = 0; c < length; c++)
        {
            switch (random.Next(6))
            {
                case 0:
                    text.Append("\U0001F600");      // a surrogate pair
                    break;
                case 1:
                    text.Append((char)(0xE000 + random.Next(0x1000)));
                    break;
                default:
                    text.Append((char)('a' + random.Next(26)));
                    break;
            }
        }
        return text.Append(i).ToString();
    }
}
