using Query.Engine.Errors;

namespace Query.Engine.Tests.Sql;

/// <summary>Bit operators, generate_series in FROM, SELECT * over JOIN USING, CASE's column name, extract's numeric
/// and LATERAL's refusal. Expected answers are PostgreSQL 15's.</summary>
public sealed class PgOperatorGapsTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE a (k INT PRIMARY KEY, x STRING) WITH (PARTITIONS = 1)",
        "CREATE TABLE b (y STRING, k INT PRIMARY KEY) WITH (PARTITIONS = 1)",
        "INSERT INTO a VALUES (1, 'a1'), (2, 'a2')",
        "INSERT INTO b (k, y) VALUES (1, 'b1'), (3, 'b3')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<(List<string> Names, List<string> Rows)> TextAsync(string sql)
    {
        await using var result = await _db.Session.ExecuteAsync(_db.Session.Prepare(sql), []);
        var reader = result.Rows!;
        var names = reader.Columns.Select(c => c.Name).ToList();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, names.Count).Select(i => reader.GetText(i) ?? "null")));
        return (names, rows);
    }

    [Fact]
    public async Task Bit_operators_work_on_int_and_bigint_as_in_postgresql()
    {
        var (names, rows) = await TextAsync("SELECT 5 & 3, 5 | 3, 5 # 3, ~5, 1 << 4, 256 >> 2, "
            + "CAST(1 AS BIGINT) << 40, 6 & 3 = 2, 1 | 2 & 4, -8 >> 1, 7 & NULL");
        Assert.Equal(Enumerable.Repeat("?column?", 11), names);
        // | and & bind alike and left to right: (1 | 2) & 4 = 0.
        Assert.Equal(["1|7|6|-6|16|64|1099511627776|t|0|-4|null"], rows);
        Assert.Equal(["1"], (await TextAsync("SELECT k FROM a WHERE k & 1 = 1")).Rows);
        Assert.Equal(SqlState.UndefinedFunction, (await _db.FailsAsync("SELECT 1.5 & 1")).SqlState);
        Assert.Equal(SqlState.UndefinedFunction, (await _db.FailsAsync("SELECT ~x FROM a")).SqlState);
        await Assert.ThrowsAsync<Grammar.SqlSyntaxException>(() => _db.ExecAsync("SELECT 1 < < 2"));
    }

    [Fact]
    public async Task Generate_series_in_from_counts_up_by_default_and_is_empty_when_the_step_points_away()
    {
        Assert.Empty((await TextAsync("SELECT * FROM generate_series(5, 1)")).Rows);
        Assert.Empty((await TextAsync("SELECT * FROM generate_series(1, 5, -1)")).Rows);
        Assert.Equal(["5", "3", "1"], (await TextAsync("SELECT * FROM generate_series(5, 1, -2)")).Rows);
        Assert.Equal(["1", "2"], (await TextAsync("SELECT g FROM generate_series(1, 2) g")).Rows);
        Assert.Equal(SqlState.InvalidParameterValue,
            (await _db.FailsAsync("SELECT * FROM generate_series(1, 5, 0)")).SqlState);
        Assert.Empty((await TextAsync("SELECT * FROM generate_series(TIMESTAMP '2024-01-02 00:00:00', "
            + "TIMESTAMP '2024-01-01 23:00:00', INTERVAL '2' HOURS)")).Rows);
    }

    [Fact]
    public async Task Select_star_over_join_using_lists_the_using_column_once_and_first()
    {
        var (names, rows) = await TextAsync("SELECT * FROM a JOIN b USING (k)");
        Assert.Equal(["k", "x", "y"], names);
        Assert.Equal(["1|a1|b1"], rows);
        Assert.Equal(["k", "x", "y"], (await TextAsync("SELECT * FROM a LEFT JOIN b USING (k) ORDER BY 1")).Names);
        Assert.Equal(["1|a1|b1", "2|a2|null"],
            (await TextAsync("SELECT * FROM a LEFT JOIN b USING (k) ORDER BY 1")).Rows);
        Assert.Equal(["y", "k"], (await TextAsync("SELECT b.* FROM a JOIN b USING (k)")).Names);
        Assert.Equal(["k", "x", "y"], (await TextAsync("SELECT DISTINCT * FROM a JOIN b USING (k)")).Names);
    }

    [Fact]
    public async Task A_case_is_named_after_its_else_when_that_has_a_name()
    {
        var (names, _) = await TextAsync("SELECT CASE WHEN k = 0 THEN '' ELSE x::text END, "
            + "CASE WHEN k = 0 THEN NULL ELSE upper(x) END, CASE WHEN k = 0 THEN 1 ELSE 2 END, "
            + "CASE WHEN k = 0 THEN 1 END, CASE WHEN k = 0 THEN 'a' ELSE 'b'::text END FROM a");
        Assert.Equal(["x", "upper", "case", "case", "case"], names);
    }

    [Fact]
    public async Task Extract_gives_numeric_and_date_part_double_as_postgresql_15()
    {
        Assert.Equal(["1704104253.391000|17|33.391000|1704104253.391|33391.000"], (await TextAsync(
            "SELECT extract(epoch FROM TIMESTAMP '2024-01-01 10:17:33.391'), extract(minute FROM TIMESTAMP "
            + "'2024-01-01 10:17:33.391'), extract(second FROM TIMESTAMP '2024-01-01 10:17:33.391'), "
            + "date_part('epoch', TIMESTAMP '2024-01-01 10:17:33.391'), "
            + "extract(milliseconds FROM TIMESTAMP '2024-01-01 10:17:33.391')")).Rows);
        // Grafana's $__timeGroup expansion still groups by minute (FLOOR keeps a DECIMAL's scale, as ksqlDB's does;
        // PostgreSQL prints 1704104220).
        Assert.Equal(["1704104220.000000"], (await TextAsync(
            "SELECT floor(extract(epoch from TIMESTAMP '2024-01-01 10:17:33.391')/60)*60")).Rows);
    }

    [Fact]
    public async Task Lateral_is_0A000_naming_the_feature()
    {
        var error = await _db.FailsAsync("SELECT * FROM a, LATERAL (SELECT a.k * 2 AS d) l");
        Assert.Equal(SqlState.FeatureNotSupported, error.SqlState);
        Assert.Contains("LATERAL", error.Message);
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("SELECT * FROM a, LATERAL generate_series(1, a.k) g")).SqlState);
    }

    [Fact]
    public async Task Current_timestamp_current_date_and_localtimestamp_read_the_clock()
    {
        var (names, rows) = await TextAsync("SELECT current_timestamp, current_date, localtimestamp, "
            + "current_timestamp <= now(), current_date = CAST(now() AS DATE)");
        Assert.Equal(["current_timestamp", "current_date", "localtimestamp", "?column?", "?column?"], names);
        Assert.EndsWith("|t|t", Assert.Single(rows));
    }
}
