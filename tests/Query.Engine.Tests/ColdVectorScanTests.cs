using System.Globalization;
using System.Text;
using Query.Tiering;

namespace Query.Engine.Tests;

/// <summary>
/// The vectorised cold scan (column batches admitted whole, the WHERE's comparisons with constants run over the
/// vectors, aggregates without GROUP BY folded from them) against the row path: two streams get the same generated
/// rows, one is archived (read by column) and the other is not (read as records), and every query answers the same
/// over both, with NULLs, dictionary and plain string pages, filters that keep none, some or every row, ROWOFFSET and
/// ROWTIME bounds, a stream whose ROWTIME is a column with NULLs in it, and a hot tail after the cold rows.
/// </summary>
public sealed class ColdVectorScanTests : IAsyncLifetime
{
    private const int Rows = 3000;

    private const string Aggregates = "count(*), count(qty), count(code), sum(qty), sum(big), sum(ratio), " +
        "avg(ratio), min(qty), max(qty), min(big), max(big), min(ratio), max(ratio), min(ts), max(ts)";

    private static readonly string[] Queries =
    [
        $"SELECT {Aggregates} FROM {{0}}",
        $"SELECT {Aggregates} FROM {{0}} WHERE qty >= 0",
        $"SELECT {Aggregates} FROM {{0}} WHERE qty > 1000",
        $"SELECT {Aggregates} FROM {{0}} WHERE big <= 4000 AND ratio > 50.5",
        $"SELECT {Aggregates} FROM {{0}} WHERE ROWOFFSET >= 40 AND ROWOFFSET < 2100",
        $"SELECT {Aggregates} FROM {{0}} WHERE ROWOFFSET >= 0",
        $"SELECT {Aggregates} FROM {{0}} WHERE ROWTIME >= '2026-03-01T00:10:00Z' " +
            "AND ROWTIME < '2026-03-01T00:30:00Z'",
        $"SELECT {Aggregates} FROM {{0}} WHERE name = 'n2' AND qty < 7",
        $"SELECT {Aggregates} FROM {{0}} WHERE code > 'c2' AND big > 100",
        $"SELECT {Aggregates} FROM {{0}} WHERE qty = 3 OR big < 50",
        "SELECT count(*), min(ROWTIME), max(ROWOFFSET), sum(qty) FROM {0} WHERE qty <= 5",
        "SELECT name, count(*), sum(ratio), max(big) FROM {0} WHERE big >= 1000 GROUP BY name",
        "SELECT id, qty, ratio FROM {0} WHERE qty < 2 AND big > 2500",
    ];

    private readonly EngineFixture _fixture = new(options => options with
    {
        ColdStore = new ColdStore(Path.Combine(options.DataDirectory, "cold")),
    });

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "cold", "hot" })
        {
            await _fixture.ExecAsync($"CREATE STREAM {name} (id BIGINT KEY, name STRING, code STRING, qty INT, big BIGINT, " +
                "ratio DOUBLE, ts TIMESTAMP) WITH (SEGMENT_BYTES = 32768)");
            await _fixture.ExecAsync($"CREATE STREAM {name}_ts (n INT, ratio DOUBLE, ts TIMESTAMP) " +
                "WITH (TIMESTAMP = 'ts', SEGMENT_BYTES = 16384)");
        }
        var random = new Random(11);
        for (var first = 0; first < Rows; first += 250)
        {
            var values = Values(first, 250, random);
            await _fixture.ExecAsync(Insert("cold", values));
            await _fixture.ExecAsync(Insert("hot", values));
            var timed = TimedValues(first, 250);
            await _fixture.ExecAsync($"INSERT INTO cold_ts (n, ratio, ts) VALUES {timed}");
            await _fixture.ExecAsync($"INSERT INTO hot_ts (n, ratio, ts) VALUES {timed}");
        }
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Cold_rows_read_by_column_answer_as_the_same_rows_read_as_records()
    {
        Assert.True((await _fixture.Engine.ArchiveStreamAsync("cold")).Rows > Rows / 2);
        await AssertSameAsync(expectColumns: true);

        // A hot tail after the cold rows: the scan goes from column batches to records in one query.
        var values = Values(Rows, 300, new Random(12));
        await _fixture.ExecAsync(Insert("cold", values));
        await _fixture.ExecAsync(Insert("hot", values));
        await AssertSameAsync(expectColumns: true);
    }

    [Fact]
    public async Task A_stream_whose_rowtime_is_a_column_admits_column_batches_as_records()
    {
        Assert.True((await _fixture.Engine.ArchiveStreamAsync("cold_ts")).Rows > Rows / 2);
        string[] queries =
        [
            "SELECT count(*), count(n), sum(n), min(ts), max(ts), sum(ratio), min(ROWTIME), max(ROWTIME) FROM {0}",
            "SELECT count(*), sum(ratio) FROM {0} WHERE ROWTIME >= '2026-03-01T00:20:00Z'",
            "SELECT count(*), max(n) FROM {0} WHERE n > 100 AND ratio < 2000.5",
            "SELECT n, ROWTIME FROM {0} WHERE ROWOFFSET > 1990 AND ROWOFFSET < 2050",
        ];
        foreach (var query in queries)
        {
            var (hot, _) = await QueryAsync(string.Format(CultureInfo.InvariantCulture, query, "hot_ts"));
            var (cold, columnBatches) = await QueryAsync(string.Format(CultureInfo.InvariantCulture, query, "cold_ts"));
            Assert.True(Render(hot) == Render(cold), $"{query}\nrecords: {Render(hot)}\ncolumns: {Render(cold)}");
            Assert.True(columnBatches > 0, $"{query}: no column batch read");
        }
        var (rows, _) = await QueryAsync("SELECT count(*) FROM cold_ts");
        Assert.Equal(Enumerable.Range(0, Rows).Count(i => i % 9 != 4),
            Convert.ToInt32(rows[0][0], CultureInfo.InvariantCulture));
    }

    private async Task AssertSameAsync(bool expectColumns)
    {
        foreach (var query in Queries)
        {
            var (hot, hotColumns) = await QueryAsync(string.Format(CultureInfo.InvariantCulture, query, "hot"));
            var (cold, columnBatches) = await QueryAsync(string.Format(CultureInfo.InvariantCulture, query, "cold"));
            Assert.Equal(0, hotColumns);
            Assert.True(Render(hot) == Render(cold), $"{query}\nrecords: {Render(hot)}\ncolumns: {Render(cold)}");
            // Nothing passes `qty > 1000`: every row group is pruned by its statistics, no batch is read.
            if (expectColumns && !query.Contains("> 1000", StringComparison.Ordinal))
                Assert.True(columnBatches > 0, $"{query}: no column batch read");
        }
        // The generated data makes every kind of filter happen: none, some and every row kept.
        Assert.Equal("0", Render((await QueryAsync("SELECT count(*) FROM cold WHERE qty > 1000")).Rows));
        var all = Render((await QueryAsync("SELECT count(*) FROM cold")).Rows);
        Assert.Equal(all, Render((await QueryAsync("SELECT count(*) FROM cold WHERE ROWOFFSET >= 0")).Rows));
    }

    private static string Values(int first, int count, Random random)
    {
        var sql = new StringBuilder();
        for (var i = first; i < first + count; i++)
        {
            if (i > first)
                sql.Append(", ");
            var name = i % 7 == 0 ? "NULL" : $"'n{i % 5}'";
            var code = i % 10 == 0 ? "NULL" : $"'c{random.Next(1_000_000)}'";     // unique: plain pages
            var qty = i % 11 == 0 ? "NULL" : random.Next(-3, 13).ToString(CultureInfo.InvariantCulture);
            var big = i % 13 == 0 ? "NULL" : random.NextInt64(-100, 5000).ToString(CultureInfo.InvariantCulture);
            var ratio = i % 17 == 0 ? "NULL"
                : ((random.NextDouble() * 100) - 1).ToString("R", CultureInfo.InvariantCulture);
            var ts = i % 19 == 0 ? "NULL" : $"'{Iso(random.Next(86_400))}'";
            sql.Append(CultureInfo.InvariantCulture, $"({i}, {name}, {code}, {qty}, {big}, {ratio}, {ts}, '{Iso(i)}')");
        }
        return sql.ToString();
    }

    private static string Insert(string stream, string values) =>
        $"INSERT INTO {stream} (id, name, code, qty, big, ratio, ts, ROWTIME) VALUES {values}";

    // Every ninth row has no ts: no ROWTIME, skipped by both paths.
    private static string TimedValues(int first, int count) => string.Join(", ", Enumerable.Range(first, count)
        .Select(i => string.Create(CultureInfo.InvariantCulture,
            $"({(i % 5 == 0 ? "NULL" : i)}, {i * 0.75:R}, {(i % 9 == 4 ? "NULL" : $"'{Iso(i)}'")})")));

    private static string Iso(int seconds) =>
        new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds)
            .ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Render(List<object?[]> rows)
    {
        var lines = rows.Select(r => string.Join("|", r.Select(v => v switch
        {
            null => "null",
            double d => BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString(),
        }))).ToList();
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    private async Task<(List<object?[]> Rows, long ColumnBatches)> QueryAsync(string sql)
    {
        await using var result = await _fixture.Session.ExecuteAsync(sql);
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        return (rows, result.Rows!.Statistics.ColumnBatchesRead);
    }
}
