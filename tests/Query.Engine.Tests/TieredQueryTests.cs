using System.Globalization;
using System.Text;
using Query.Engine.Errors;
using Query.Testing;
using Query.Tiering;

namespace Query.Engine.Tests;

/// <summary>
/// Queries over a stream whose older segments were archived to Parquet answer exactly what they answered before
/// archival: every pull query shape, reading cold then hot through the same partition sources.
/// </summary>
public sealed class TieredQueryTests : IAsyncLifetime
{
    private const string BaseTime = "2026-03-01T00:00:00Z";
    private static readonly string[] Shapes =
    [
        "SELECT *, ROWTIME, ROWOFFSET, ROWPARTITION FROM ev",
        "SELECT id, amount FROM ev WHERE amount > 50.5",
        "SELECT ROWPARTITION, ROWOFFSET, id FROM ev WHERE ROWOFFSET >= 100 AND ROWOFFSET < 130",
        $"SELECT id FROM ev WHERE ROWTIME >= '{Iso(500)}' AND ROWTIME < '{Iso(520)}'",
        "SELECT id FROM ev WHERE ROWPARTITION = 1",
        "SELECT name, count(*), sum(amount), min(id), max(ts) FROM ev GROUP BY name",
        "SELECT count(*), sum(qty), avg(ratio) FROM ev",
        "SELECT id, tags[1], attrs['a'], info->city FROM ev WHERE ok",
        "SELECT id, day, tod, blob FROM ev ORDER BY id DESC LIMIT 7",
        "SELECT DISTINCT name FROM ev",
        // Column predicates the cold reader uses on its own (row group statistics, typed columns): with NULLs, each
        // type, widened integers and a key column, the answers must not change.
        "SELECT id, qty, name FROM ev WHERE qty >= 7 AND name = 'n3'",
        "SELECT count(*), sum(qty) FROM ev WHERE name < 'n2'",
        "SELECT id FROM ev WHERE ratio < 20.5 AND qty > CAST(2.5 AS DOUBLE)",
        $"SELECT id FROM ev WHERE ts >= '{Iso(900)}' AND ok = true",
        "SELECT id FROM ev WHERE day = '2026-01-05' OR day IS NULL",
        "SELECT id, name FROM ev WHERE id > 300 AND id <= 333",
        "SELECT count(*) FROM ev WHERE 5 > qty",
    ];

    private readonly TempDirectory _directory = new("engine-tiered");
    private QueryEngine _engine = null!;
    private EngineSession _session = null!;

    public async Task InitializeAsync()
    {
        _engine = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = Path.Combine(_directory.Path, "data"),
            ColdStore = new ColdStore(Path.Combine(_directory.Path, "cold")),
        });
        _session = _engine.CreateSession();
        await ExecAsync("""
            CREATE STREAM ev (id BIGINT KEY, name STRING, qty INT, amount DECIMAL(10, 2), ratio DOUBLE, ok BOOLEAN,
              blob BYTES, ts TIMESTAMP, day DATE, tod TIME, tags ARRAY<INT>, attrs MAP<STRING, DOUBLE>,
              info STRUCT<city STRING, zip INT>) WITH (PARTITIONS = 2, SEGMENT_BYTES = 4096)
            """);
        for (var batch = 0; batch < 12; batch++)
            await ExecAsync(InsertBatch(batch * 50, 50));
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Every_query_shape_answers_the_same_after_archival_as_before()
    {
        var before = await RunAllAsync();
        var result = await _engine.ArchiveStreamAsync("ev");
        Assert.True(result.Segments >= 4, $"archived {result.Segments} segments");
        Assert.True(result.Rows > 300, $"archived {result.Rows} rows");
        Assert.True(result.BytesOut > 0 && result.BytesIn > 0);
        var after = await RunAllAsync();
        for (var i = 0; i < Shapes.Length; i++)
            Assert.True(before[i] == after[i], $"{Shapes[i]}\nbefore: {before[i]}\nafter:  {after[i]}");

        // More rows land hot on top of the cold tier; old and new read as one stream.
        await ExecAsync(InsertBatch(600, 20));
        Assert.Equal(620L, (await QueryAsync("SELECT count(*) FROM ev"))[0][0]);
    }

    [Fact]
    public async Task Push_and_persistent_queries_from_earliest_answer_the_same_over_cold_and_hot()
    {
        // LIMIT is every matching row, so the answer does not depend on how partitions interleave.
        var matching = (long)(await QueryAsync("SELECT count(*) FROM ev WHERE amount > 50.5"))[0][0]!;
        var push = $"SELECT id, amount, info->city FROM ev WHERE amount > 50.5 EMIT CHANGES LIMIT {matching}";
        await ExecAsync("SET 'auto.offset.reset' = 'earliest'");
        var before = Render(await QueryAsync(push), ordered: false);
        await _engine.ArchiveStreamAsync("ev");

        Assert.Equal(before, Render(await QueryAsync(push), ordered: false));
        await ExecAsync("CREATE STREAM rich AS SELECT id, amount, qty FROM ev WHERE amount > 50.5");
        var expected = await QueryAsync("SELECT count(*), sum(qty) FROM ev WHERE amount > 50.5");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await QueryAsync("SELECT count(*), sum(qty) FROM rich"))[0].SequenceEqual(expected[0]))
        {
            Assert.True(DateTime.UtcNow < deadline, "the persistent query did not read every cold and hot row");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Cold_rows_written_before_add_column_read_the_new_column_as_null()
    {
        await _engine.ArchiveStreamAsync("ev");
        await ExecAsync("ALTER STREAM ev ADD COLUMN extra STRING");
        await ExecAsync("INSERT INTO ev (id, extra) VALUES (9999, 'new')");
        var rows = await QueryAsync("SELECT id, extra FROM ev WHERE extra IS NOT NULL OR id < 3 ORDER BY id");
        Assert.Equal([[0L, null], [1L, null], [2L, null], [9999L, "new"]], rows);
    }

    [Fact]
    public async Task Archiving_an_unknown_stream_or_without_a_cold_tier_is_a_clear_error()
    {
        var unknown = await Assert.ThrowsAsync<SqlException>(() => _engine.ArchiveStreamAsync("nope"));
        Assert.Equal(SqlState.UndefinedTable, unknown.SqlState);
        await using var hotOnly = QueryEngine.Open(new EngineOptions { DataDirectory = Path.Combine(_directory.Path, "h") });
        await hotOnly.CreateSession().ExecuteAsync("CREATE STREAM s (x INT)");
        var error = await Assert.ThrowsAsync<SqlException>(() => hotOnly.ArchiveStreamAsync("s"));
        Assert.Equal(SqlState.FeatureNotSupported, error.SqlState);
    }

    private async Task<List<string>> RunAllAsync()
    {
        var results = new List<string>();
        foreach (var sql in Shapes)
            results.Add(Render(await QueryAsync(sql), sql.Contains("ORDER BY", StringComparison.Ordinal)));
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

    private async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var result = await _session.ExecuteAsync(sql);
        return await EngineFixture.ReadAllAsync(result.Rows!);
    }

    private static string InsertBatch(int first, int count)
    {
        var sql = new StringBuilder("INSERT INTO ev (id, name, qty, amount, ratio, ok, blob, ts, day, tod, tags, attrs, "
            + "info, ROWTIME) VALUES ");
        for (var i = first; i < first + count; i++)
        {
            if (i > first)
                sql.Append(", ");
            var name = i % 7 == 0 ? "NULL" : $"'n{i % 5}'";
            var tags = i % 8 == 0 ? "NULL" : i % 4 == 0 ? "CAST(ARRAY[] AS ARRAY<INT>)" : $"ARRAY[{i % 3}, {i % 11}]";
            sql.Append(CultureInfo.InvariantCulture, $"({i}, {name}, {i % 13}, {i * 0.37m:0.00}, {i / 7.0:R}, {(i % 2 == 0 ? "true" : "false")}, "
                + $"'\\x{i % 256:X2}', '{Iso(i * 3)}', '2026-01-{1 + (i % 28):00}', '10:{i % 60:00}:00', {tags}, "
                + $"MAP('a' := CAST({i}.5 AS DOUBLE), 'b' := CAST(NULL AS DOUBLE)), STRUCT(city := 'c{i % 3}', zip := {i}), '{Iso(i)}')");
        }
        return sql.ToString();
    }

    private static string Iso(int seconds) =>
        DateTimeOffset.Parse(BaseTime, CultureInfo.InvariantCulture).AddSeconds(seconds)
            .ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
