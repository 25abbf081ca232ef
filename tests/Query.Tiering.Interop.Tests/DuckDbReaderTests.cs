using System.Globalization;
using DuckDB.NET.Data;
using Query.Storage;
using Query.Testing;
using Query.Tiering.Archival;
using Query.Tiering.Layout;
using Query.Tiering.Reading;
using Query.Tiering.Tests;

namespace Query.Tiering.Interop.Tests;

/// <summary>
/// DuckDB, an independent Parquet reader, reads our cold tier as it lies on disk (the README one-liner) and
/// must agree with what our own reader returns: row counts, min/max of rowtime and rowoffset, column sums,
/// nested values, statistics, key-value metadata, Hive folders and schema evolution.
/// </summary>
[Trait("Category", "interop")]
public sealed class DuckDbReaderTests : IAsyncLifetime
{
    private const int Rows = 4000;
    private readonly TempDirectory _directory = new("tiering-duckdb");
    private readonly IColumnLayout _layout = new TestLayout(TestLayout.AllTypes);
    private LogStore? _store;
    private PartitionTier[] _tiers = [];

    private string ColdPath => Path.Combine(_directory.Path, "cold");
    private string Glob => Path.Combine(ColdPath, "s", "*", "*", "*.parquet");

    public async Task InitializeAsync()
    {
        _store = LogStore.Open(Path.Combine(_directory.Path, "data"));
        var log = _store.CreateLog("s", new LogOptions { Partitions = 2, SegmentMaxBytes = 64 * 1024 });
        _tiers = new PartitionTier[2];
        for (var p = 0; p < 2; p++)
        {
            var partition = log.GetPartition(p);
            await new RowGenerator(100 + p).AppendAsync(partition, Rows / 2, firstId: p * 1_000_000,
                timestampStepMs: 120_000);
            _tiers[p] = PartitionTier.Open(ColdPath, "s", p);
            await new SegmentArchiver(new ColdFileOptions { RowGroupMaxRows = 500 })
                .ArchiveAsync(partition, _tiers[p], _layout, _ => true);
        }
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public void The_readme_one_liner_counts_every_archived_row_with_the_same_offsets_and_times()
    {
        var ours = OurRows();
        using var connection = Open();
        // The README's one-liner, verbatim but for the folder.
        var row = QueryRow(connection, $"SELECT count(*), min(rowoffset), max(rowoffset), " +
            $"epoch_ms(min(rowtime)), epoch_ms(max(rowtime)) FROM read_parquet('{Glob}', hive_partitioning = true)");
        Assert.Equal((long)ours.Count, Convert.ToInt64(row[0], CultureInfo.InvariantCulture));
        Assert.Equal(ours.Min(r => r.Offset), Convert.ToInt64(row[1], CultureInfo.InvariantCulture));
        Assert.Equal(ours.Max(r => r.Offset), Convert.ToInt64(row[2], CultureInfo.InvariantCulture));
        Assert.Equal(ours.Min(r => r.TimestampMs), Convert.ToInt64(row[3], CultureInfo.InvariantCulture));
        Assert.Equal(ours.Max(r => r.TimestampMs), Convert.ToInt64(row[4], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Column_sums_and_nested_values_agree_with_our_reader()
    {
        var ours = OurRows();
        using var connection = Open();
        var row = QueryRow(connection, "SELECT sum(id), sum(qty), sum(price), count(name), sum(flag::INT), " +
            "sum(len(tags)), sum(list_sum(tags)), count(address.city), sum(address.zip), sum(cardinality(attrs)), " +
            "sum(len(headers)), count(rowkey), sum(len(matrix)), count(ts), sum(epoch_ms(ts)), " +
            $"sum(day - DATE '1970-01-01'), count(rowvalue) FROM read_parquet('{Glob}', hive_partitioning = true)");
        Assert.Equal(ours.Sum(r => r.Values[0].Bits), ToLong(row[0]));
        Assert.Equal(ours.Where(r => !r.Values[2].IsNull).Sum(r => r.Values[2].Bits), ToLong(row[1]));
        Assert.Equal(ours.Where(r => !r.Values[3].IsNull).Sum(r => r.Values[3].Decimal),
            Convert.ToDecimal(row[2], CultureInfo.InvariantCulture));
        Assert.Equal(ours.Count(r => !r.Values[1].IsNull), ToLong(row[3]));
        Assert.Equal(ours.Where(r => !r.Values[5].IsNull).Sum(r => r.Values[5].Bits), ToLong(row[4]));
        var tags = ours.Where(r => !r.Values[10].IsNull).Select(r => (ColdValue[])r.Values[10].Ref!).ToList();
        Assert.Equal(tags.Sum(t => (long)t.Length), ToLong(row[5]));
        Assert.Equal(tags.Sum(t => t.Where(v => !v.IsNull).Sum(v => v.Bits)), ToLong(row[6]));
        var addresses = ours.Where(r => !r.Values[12].IsNull).Select(r => (ColdValue[])r.Values[12].Ref!).ToList();
        Assert.Equal(addresses.Count(a => !a[0].IsNull), ToLong(row[7]));
        Assert.Equal(addresses.Where(a => !a[1].IsNull).Sum(a => a[1].Bits), ToLong(row[8]));
        Assert.Equal(ours.Where(r => !r.Values[11].IsNull)
            .Sum(r => (long)((KeyValuePair<ColdValue, ColdValue>[])r.Values[11].Ref!).Length), ToLong(row[9]));
        Assert.Equal(ours.Sum(r => (long)r.HeaderCount), ToLong(row[10]));
        Assert.Equal(ours.Count(r => r.HasKey), ToLong(row[11]));
        Assert.Equal(ours.Where(r => !r.Values[13].IsNull).Sum(r => (long)((ColdValue[])r.Values[13].Ref!).Length),
            ToLong(row[12]));
        Assert.Equal(ours.Count(r => !r.Values[7].IsNull), ToLong(row[13]));
        Assert.Equal(ours.Where(r => !r.Values[7].IsNull).Sum(r => r.Values[7].Bits), ToLong(row[14]));
        Assert.Equal(ours.Where(r => !r.Values[8].IsNull).Sum(r => r.Values[8].Bits), ToLong(row[15]));
        Assert.Equal(0, ToLong(row[16]));
    }

    [Fact]
    public void Types_statistics_and_metadata_are_what_other_engines_expect()
    {
        using var connection = Open();
        var types = QueryAll(connection, $"DESCRIBE SELECT * FROM read_parquet('{Glob}', hive_partitioning = true)")
            .ToDictionary(r => (string)r[0], r => (string)r[1]);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["rowtime"]);
        Assert.Equal("BIGINT", types["rowoffset"]);
        Assert.Equal("INTEGER", types["rowpartition"]);
        Assert.Equal("BLOB", types["rowkey"]);
        Assert.Equal("DECIMAL(12,2)", types["price"]);
        Assert.Equal("DATE", types["day"]);
        Assert.Equal("INTEGER[]", types["tags"]);
        Assert.Equal("MAP(VARCHAR, DOUBLE)", types["attrs"]);
        Assert.Equal("STRUCT(city VARCHAR, zip INTEGER)", types["address"]);
        Assert.Equal("VARCHAR[][]", types["matrix"]);
        Assert.Equal("STRUCT(\"key\" VARCHAR, \"value\" BLOB)[]", types["headers"]);
        Assert.Equal("DATE", types["date"]);
        var missingStats = QueryRow(connection, "SELECT count(*) FILTER (WHERE stats_min_value IS NULL), count(*), " +
            "count(DISTINCT compression) FROM parquet_metadata('" + Glob + "') WHERE path_in_schema = 'rowoffset'");
        Assert.Equal(0, ToLong(missingStats[0]));
        Assert.True(ToLong(missingStats[1]) >= 8, "expected several row groups");
        var compression = QueryRow(connection, $"SELECT any_value(compression) FROM parquet_metadata('{Glob}')");
        Assert.Equal("ZSTD", compression[0]);
        var kv = QueryAll(connection, $"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{Glob}')")
            .Select(r => (string)r[0]).ToHashSet();
        Assert.Contains("query.baseOffset", kv);
        Assert.Contains("query.schema", kv);
    }

    [Fact]
    public void Folder_and_statistics_filters_return_exactly_the_matching_rows()
    {
        var ours = OurRows();
        using var connection = Open();
        var from = RowGenerator.BaseTimestampMs + ((1_000_000 + 700) * 120_000L);   // partition 1's ids
        var to = from + (50 * 120_000L);
        var expected = ours.Count(r => r.Partition == 1 && r.TimestampMs >= from && r.TimestampMs < to);
        var row = QueryRow(connection, $"SELECT count(*) FROM read_parquet('{Glob}', hive_partitioning = true) " +
            $"WHERE partition = 1 AND rowtime >= make_timestamptz({from}::BIGINT * 1000) " +
            $"AND rowtime < make_timestamptz({to}::BIGINT * 1000)");
        Assert.Equal(50, expected);
        Assert.Equal((long)expected, ToLong(row[0]));
        var byOffset = QueryRow(connection, $"SELECT count(*) FROM read_parquet('{Glob}', hive_partitioning = true) " +
            "WHERE rowpartition = 0 AND rowoffset BETWEEN 100 AND 199");
        Assert.Equal(100, ToLong(byOffset[0]));
    }

    [Fact]
    public async Task Files_of_an_older_schema_read_with_missing_columns_as_null_by_union_by_name()
    {
        var narrow = TestLayout.AllTypes.Take(3).ToList();
        var wide = TestLayout.AllTypes.Take(5).ToList();
        var log = _store!.CreateLog("e", new LogOptions { SegmentMaxBytes = 1024 });
        var partition = log.GetPartition(0);
        await AppendShapedAsync(partition, narrow, 0, 200);
        var tier = PartitionTier.Open(ColdPath, "e", 0);
        await new SegmentArchiver().ArchiveAsync(partition, tier, new TestLayout(narrow, 1), _ => true);
        var archivedNarrow = tier.Manifest.EndOffset;
        await AppendShapedAsync(partition, wide, 200, 200);
        await new SegmentArchiver().ArchiveAsync(partition, tier, new TestLayout(wide, 2), _ => true);

        using var connection = Open();
        var glob = Path.Combine(ColdPath, "e", "*", "*", "*.parquet");
        var row = QueryRow(connection, $"SELECT count(*), count(ratio), count(*) FILTER (WHERE rowoffset < " +
            $"{archivedNarrow} AND ratio IS NOT NULL) FROM read_parquet('{glob}', union_by_name = true)");
        var ours = new List<ColdValue[]>();
        using (var reader = new ColdPartitionReader(tier, new TestLayout(wide, 2), new ColdScanRange(0)))
        {
            var decoded = new ColdValue[wide.Count];
            while (reader.TryRead(out var record))
            {
                new TestLayout(wide, 2).TryDecode(record.Value, decoded);
                ours.Add([.. decoded]);
            }
        }
        Assert.Equal((long)ours.Count, ToLong(row[0]));
        Assert.Equal(ours.Count(r => !r[4].IsNull), ToLong(row[1]));
        Assert.Equal(0, ToLong(row[2]));
        Assert.True(archivedNarrow > 0);
    }

    private static async Task AppendShapedAsync(PartitionLog partition, IReadOnlyList<ColdColumn> columns, long firstId,
        int count)
    {
        var generator = new RowGenerator((int)firstId + 7);
        using var batch = new RecordBatchBuilder();
        for (var i = 0; i < count; i++)
        {
            var row = generator.NextRow(firstId + i).Take(columns.Count).ToArray();
            batch.Add(RowGenerator.BaseTimestampMs + i, TestLayout.EncodeRow(columns, row));
            await partition.AppendAsync(batch);
            batch.Clear();
        }
    }

    private List<OurRow> OurRows()
    {
        var rows = new List<OurRow>();
        for (var p = 0; p < _tiers.Length; p++)
        {
            using var reader = new ColdPartitionReader(_tiers[p], _layout, new ColdScanRange(0));
            while (reader.TryRead(out var record))
            {
                var values = new ColdValue[_layout.Columns.Count];
                _layout.TryDecode(record.Value, values);
                rows.Add(new OurRow(p, record.Offset, record.TimestampMs, record.HasKey, record.HeaderCount, values));
            }
        }
        Assert.Equal(_tiers.Sum(t => t.Manifest.RowCount), rows.Count);
        return rows;
    }

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }

    private static object[] QueryRow(DuckDBConnection connection, string sql) => QueryAll(connection, sql).Single();

    private static List<object[]> QueryAll(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }
        return rows;
    }

    private static long ToLong(object value) => value switch
    {
        DBNull => 0,
        System.Numerics.BigInteger big => (long)big,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    private sealed record OurRow(int Partition, long Offset, long TimestampMs, bool HasKey, int HeaderCount,
        ColdValue[] Values);
}
