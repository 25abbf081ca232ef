using System.Globalization;
using System.Text;
using Query.Testing;
using Query.Tiering;

namespace Query.Engine.Tests;

/// <summary>
/// Cold row groups read by column (no row rebuilt): scalar queries answer exactly what they answered before
/// archival and are read as column batches; rows the typed columns cannot describe (written before ADD COLUMN),
/// nested columns, the hot tail and parallel scans over several partitions go through records where they must.
/// </summary>
public sealed class ColdColumnScanTests : IAsyncLifetime
{
    private static readonly string[] Shapes =
    [
        "SELECT id, name, qty, amount, ratio, ok, blob, ts, day, tod, ROWTIME, ROWOFFSET, ROWPARTITION FROM ev",
        "SELECT count(*), sum(qty), sum(amount), min(ratio), max(ts), min(day), max(tod) FROM ev",
        "SELECT name, count(*), sum(ratio) FROM ev WHERE qty >= 3 GROUP BY name",
        "SELECT id, name FROM ev WHERE name = 'n2' AND ok",
        "SELECT id FROM ev WHERE name IS NULL OR qty IS NULL OR blob IS NULL",
        "SELECT id, ROWOFFSET FROM ev WHERE ROWOFFSET >= 40 AND ROWOFFSET < 75 AND ROWPARTITION = 1",
        "SELECT id FROM ev WHERE ROWTIME >= '2026-03-01T00:05:00Z' AND ROWTIME < '2026-03-01T00:06:00Z'",
        "SELECT id, qty FROM ev ORDER BY qty DESC, id LIMIT 9",
    ];

    private readonly TempDirectory _directory = new("engine-cold-columns");
    private QueryEngine _engine = null!;
    private EngineSession _session = null!;

    public async Task InitializeAsync()
    {
        _engine = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = Path.Combine(_directory.Path, "data"),
            ColdStore = new ColdStore(Path.Combine(_directory.Path, "cold")),
            QueryScanWorkers = 2,
            QueryScanWorkerMinRecords = 10,
        });
        _session = _engine.CreateSession();
        await ExecAsync("""
            CREATE STREAM ev (id BIGINT KEY, name STRING, qty INT, amount DECIMAL(10, 2), ratio DOUBLE, ok BOOLEAN,
              blob BYTES, ts TIMESTAMP, day DATE, tod TIME, tags ARRAY<INT>) WITH (PARTITIONS = 2, SEGMENT_BYTES = 4096)
            """);
        for (var batch = 0; batch < 8; batch++)
            await ExecAsync(InsertBatch(batch * 50, 50));
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Scalar_queries_read_cold_rows_by_column_and_answer_as_before_archival()
    {
        var before = await RunAllAsync();
        Assert.True((await _engine.ArchiveStreamAsync("ev")).Rows > 300);
        var after = await RunAllAsync(expectColumns: true);
        for (var i = 0; i < Shapes.Length; i++)
            Assert.True(before[i] == after[i], $"{Shapes[i]}\nbefore: {before[i]}\nafter:  {after[i]}");

        // A hot tail after the cold rows: columns, then records, in one scan.
        await ExecAsync(InsertBatch(400, 10));
        var (rows, columnBatches) = await QueryAsync("SELECT count(*), sum(id), count(name) FROM ev");
        Assert.Equal([410L, 410L * 409 / 2, 351L], rows[0]);
        Assert.True(columnBatches > 0);
    }

    [Fact]
    public async Task Nested_columns_are_read_as_records_and_answer_as_before()
    {
        const string Sql = "SELECT id, tags[1], qty FROM ev WHERE qty > 4";
        var before = Render((await QueryAsync(Sql)).Rows, ordered: false);
        await _engine.ArchiveStreamAsync("ev");
        var (rows, columnBatches) = await QueryAsync(Sql);
        Assert.Equal(before, Render(rows, ordered: false));
        Assert.Equal(0, columnBatches);
    }

    [Fact]
    public async Task Rows_kept_raw_are_read_as_records_between_column_batches()
    {
        // Rows written before ADD COLUMN and archived after it keep their bytes raw in the cold file.
        await ExecAsync("ALTER STREAM ev ADD COLUMN extra STRING");
        for (var batch = 0; batch < 4; batch++)
            await ExecAsync(InsertBatch(1000 + (batch * 50), 50, extra: true));
        const string Sum = "SELECT count(*), sum(qty), count(extra), sum(ratio) FROM ev WHERE qty >= 0";
        var before = Render((await QueryAsync(Sum)).Rows, ordered: true);
        await _engine.ArchiveStreamAsync("ev");
        var (rows, columnBatches) = await QueryAsync(Sum);
        Assert.Equal(before, Render(rows, ordered: true));
        Assert.True(columnBatches > 0, "the rows written after ADD COLUMN were read by column");
    }

    [Fact]
    public async Task A_stream_whose_rowtime_is_a_column_skips_rows_without_one_by_column_too()
    {
        await ExecAsync("CREATE STREAM tsv (ts TIMESTAMP, n INT) WITH (TIMESTAMP = 'ts', SEGMENT_BYTES = 4096)");
        for (var batch = 0; batch < 6; batch++)
        {
            var values = string.Join(", ", Enumerable.Range(batch * 50, 50).Select(i => i % 9 == 0
                ? $"(NULL, {i})" : $"('2026-03-01T00:{i / 60 % 60:00}:{i % 60:00}Z', {i})"));
            await ExecAsync($"INSERT INTO tsv (ts, n) VALUES {values}");
        }
        const string Sql = "SELECT count(*), sum(n), min(ROWTIME), max(ROWTIME) FROM tsv";
        var before = Render((await QueryAsync(Sql)).Rows, ordered: true);
        Assert.True((await _engine.ArchiveStreamAsync("tsv")).Rows > 100);
        var (rows, columnBatches) = await QueryAsync(Sql);
        Assert.Equal(before, Render(rows, ordered: true));
        Assert.True(columnBatches > 0);
        Assert.StartsWith("266|", before, StringComparison.Ordinal);
    }

    private async Task<List<string>> RunAllAsync(bool expectColumns = false)
    {
        var results = new List<string>();
        foreach (var sql in Shapes)
        {
            var (rows, columnBatches) = await QueryAsync(sql);
            if (expectColumns)
                Assert.True(columnBatches > 0, $"{sql}: no column batch read");
            results.Add(Render(rows, sql.Contains("ORDER BY", StringComparison.Ordinal)));
        }
        return results;
    }

    private static string Render(List<object?[]> rows, bool ordered)
    {
        var lines = rows.Select(r => string.Join("|", r.Select(v => v switch
        {
            null => "null",
            byte[] b => Convert.ToHexString(b),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString(),
        }))).ToList();
        if (!ordered)
            lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    private async Task ExecAsync(string sql)
    {
        await using var result = await _session.ExecuteAsync(sql);
        if (result.Rows is not null)
        {
            while (await result.Rows.ReadAsync())
            {
            }
        }
    }

    private async Task<(List<object?[]> Rows, long ColumnBatches)> QueryAsync(string sql)
    {
        await using var result = await _session.ExecuteAsync(sql);
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        return (rows, result.Rows!.Statistics.ColumnBatchesRead);
    }

    private static string InsertBatch(int first, int count, bool extra = false)
    {
        var sql = new StringBuilder("INSERT INTO ev (id, name, qty, amount, ratio, ok, blob, ts, day, tod, ROWTIME, "
            + (extra ? "tags, extra) VALUES " : "tags) VALUES "));
        for (var i = first; i < first + count; i++)
        {
            if (i > first)
                sql.Append(", ");
            var name = i % 7 == 0 ? "NULL" : $"'n{i % 5}'";
            var qty = i % 11 == 0 ? "NULL" : (i % 13).ToString(CultureInfo.InvariantCulture);
            var blob = i % 6 == 0 ? "NULL" : $"'\\x{i % 256:X2}'";
            sql.Append(CultureInfo.InvariantCulture, $"({i}, {name}, {qty}, {i * 0.37m:0.00}, {i / 7.0:R}, ")
                .Append(CultureInfo.InvariantCulture, $"{(i % 2 == 0 ? "true" : "false")}, {blob}, '{Iso(i * 3)}', ")
                .Append(CultureInfo.InvariantCulture, $"'2026-01-{1 + (i % 28):00}', '10:{i % 60:00}:00', '{Iso(i)}', ")
                .Append(CultureInfo.InvariantCulture, $"ARRAY[{i % 3}]{(extra ? ", 'x'" : "")})");
        }
        return sql.ToString();
    }

    private static string Iso(int seconds) =>
        new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds)
            .ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
