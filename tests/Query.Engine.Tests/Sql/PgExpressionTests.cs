namespace Query.Engine.Tests.Sql;

/// <summary>E'' strings, extract / date_part, AT TIME ZONE, date_bin, interval arithmetic, generate_series and
/// unnest in FROM, Grafana's $__timeGroup. Expected answers are PostgreSQL 15's.</summary>
public sealed class PgExpressionTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM metrics (host STRING KEY, ts TIMESTAMP, v DOUBLE)",
        "INSERT INTO metrics VALUES ('a', TIMESTAMP '2024-01-01 10:00:10', 1.0), "
        + "('a', TIMESTAMP '2024-01-01 10:00:50', 2.0), ('b', TIMESTAMP '2024-01-01 10:01:05', 4.0), "
        + "('a', TIMESTAMP '2024-01-01 10:02:59', 8.0)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Each row as PostgreSQL's text of its values, joined by |.</summary>
    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var result = await _db.Session.ExecuteAsync(_db.Session.Prepare(sql), []);
        var rows = new List<string>();
        var reader = result.Rows!;
        while (await reader.ReadAsync())
        {
            var cells = new string[reader.Columns.Count];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = reader.GetText(i) ?? "null";
            rows.Add(string.Join("|", cells));
        }
        return rows;
    }

    [Fact]
    public async Task Pg_typeof_names_the_type_as_postgresql_does()
    {
        Assert.Equal(["integer|bigint|double precision|numeric|text|timestamp without time zone|boolean|integer[]"],
            await RowsAsync("SELECT pg_typeof(1), pg_typeof(CAST(1 AS BIGINT)), pg_typeof(v), pg_typeof(1.5), "
                + "pg_typeof(host), pg_typeof(ts), pg_typeof(v > 1), pg_typeof(ARRAY[1, 2]) FROM metrics LIMIT 1"));
        await using var result = await _db.Session.ExecuteAsync(_db.Session.Prepare("SELECT pg_typeof(1)"), []);
        Assert.Equal("pg_typeof", result.Rows!.Columns[0].Name);
    }

    [Fact]
    public async Task Escape_strings_decode_backslash_escapes()
    {
        Assert.Equal(["a\tb\n|it's|AAé|\\"], await RowsAsync(@"SELECT E'a\tb\n', E'it''s', E'\x41\101\u00e9', E'\\'"));
        Assert.Equal(["x'y"], await RowsAsync(@"SELECT e'x\'y'"));
        await Assert.ThrowsAsync<Query.Grammar.SqlSyntaxException>(() => _db.ExecAsync(@"SELECT E'\u12'"));
    }

    [Fact]
    public async Task Extract_and_date_part_read_fields_of_a_timestamp()
    {
        // extract is numeric (six decimals for epoch and second), date_part double precision, as in PostgreSQL 15.
        Assert.Equal(["1704104253.000000|17|2024|33.000000"], await RowsAsync(
            "SELECT extract(epoch FROM TIMESTAMP '2024-01-01 10:17:33'), date_part('minute', TIMESTAMP "
            + "'2024-01-01 10:17:33'), EXTRACT(YEAR FROM TIMESTAMP '2024-01-01 00:00:00'), "
            + "extract('second' from TIMESTAMP '2024-01-01 10:17:33')"));
        Assert.Equal(["extract", "date_part"], (await _db.Session.ExecuteAsync(_db.Session.Prepare(
            "SELECT extract(hour FROM ts), date_part('hour', ts) FROM metrics"), [])).Rows!.Columns
            .Select(c => c.Name));
        Assert.Equal("22023", (await _db.FailsAsync("SELECT extract(fortnight FROM ts) FROM metrics")).SqlState);
    }

    [Fact]
    public async Task Grafana_time_group_expansion_groups_by_minute()
    {
        // FLOOR keeps a DECIMAL's scale (ksqlDB's FLOOR); PostgreSQL prints 1704103200.
        Assert.Equal(["1704103200.000000|3", "1704103260.000000|4", "1704103320.000000|8"], await RowsAsync(
            "SELECT floor(extract(epoch from ts)/60)*60 AS \"time\", sum(v) FROM metrics "
            + "GROUP BY 1 ORDER BY 1"));
    }

    [Fact]
    public async Task Date_bin_and_interval_arithmetic()
    {
        Assert.Equal(["2024-01-01 10:15:00|1999-12-31 23:00:00"], await RowsAsync(
            "SELECT date_bin('15 minutes', TIMESTAMP '2024-01-01 10:17:33', TIMESTAMP '2000-01-01 00:00:00'), "
            + "date_bin(INTERVAL '1 hour', TIMESTAMP '1999-12-31 23:30:00', TIMESTAMP '2000-01-01 00:00:00')"));
        Assert.Equal(["2024-01-01 11:30:00|2024-01-02 00:00:00|5400000"], await RowsAsync(
            "SELECT TIMESTAMP '2024-01-01 10:00:00' + '90 minutes'::interval, "
            + "INTERVAL '1 day' + TIMESTAMP '2024-01-01 00:00:00', "
            + "TIMESTAMP '2024-01-01 11:30:00' - TIMESTAMP '2024-01-01 10:00:00'"));
        Assert.Equal(["2"], await RowsAsync(
            "SELECT count(*) FROM metrics WHERE ts > TIMESTAMP '2024-01-01 10:03:00' - INTERVAL '2 minutes'"));
        Assert.Equal("22P02", (await _db.FailsAsync("SELECT 'soon'::interval")).SqlState);
    }

    [Fact]
    public async Task At_time_zone_gives_the_wall_clock_time_there()
    {
        Assert.Equal(["2024-01-01 11:00:00|2024-01-01 10:00:00"], await RowsAsync(
            "SELECT TIMESTAMP '2024-01-01 10:00:00' AT TIME ZONE 'Europe/Berlin', "
            + "TIMESTAMP '2024-01-01 10:00:00' AT TIME ZONE 'UTC'"));
    }

    [Fact]
    public async Task Generate_series_and_unnest_in_from()
    {
        Assert.Equal(["2024-01-01 00:00:00", "2024-01-01 01:00:00", "2024-01-01 02:00:00"], await RowsAsync(
            "SELECT * FROM generate_series(TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 02:00:00', "
            + "INTERVAL '1 hour')"));
        Assert.Equal(["3|6", "1|6", "2|6"], await RowsAsync(
            "SELECT x, octet_length('héllo') FROM unnest(ARRAY[3, 1, 2]) x"));
        Assert.Equal(["2|4", "3|9"], await RowsAsync(
            "SELECT s.n, s.n * s.n FROM generate_series(1, 3) AS s(n) WHERE n > 1"));
        Assert.Equal(["b|1"], await RowsAsync(
            "SELECT m.host, count(*) FROM metrics m JOIN generate_series(1, 10) g ON g = 1 GROUP BY m.host "
            + "HAVING count(*) < 3 ORDER BY 1"));
    }

    [Fact]
    public async Task Aggregates_with_their_own_order_by_and_string_agg()
    {
        Assert.Equal(["a|[8,2,1]|8,2,1", "b|[4]|4"], await RowsAsync(
            "SELECT host, array_agg(v ORDER BY ts DESC), "
            + "string_agg(CAST(CAST(v AS INT) AS STRING), ',' ORDER BY ts DESC) FROM metrics GROUP BY host ORDER BY host"));
        Assert.Equal(["[\"a\",\"b\",\"a\",\"a\"]"],
            await RowsAsync(
            "SELECT array_agg(host ORDER BY v DESC) FROM metrics"));
        Assert.Equal("0A000", (await _db.FailsAsync(
            "SELECT array_agg(v ORDER BY ts), array_agg(v ORDER BY v) FROM metrics")).SqlState);
        Assert.Equal("0A000", (await _db.FailsAsync("SELECT upper(host ORDER BY v) FROM metrics")).SqlState);
    }

    [Fact]
    public async Task Unnest_in_the_select_list_gives_a_row_per_element()
    {
        Assert.Equal(["1|x", "2|x", "3|x"], await RowsAsync("SELECT unnest(ARRAY[1, 2, 3]), 'x'"));
        Assert.Equal("0A000", (await _db.FailsAsync("SELECT unnest(ARRAY[1]) + 1")).SqlState);
    }

    [Fact]
    public async Task Trim_and_substring_take_the_sql_standard_forms()
    {
        Assert.Equal(["a|a |bcd|z"], await RowsAsync(
            "SELECT trim(both 'x' from 'xxaxx'), trim(leading from '  a '), substring('abcdef' from 2 for 3), "
            + "btrim('  z  ')"));
    }

    [Fact]
    public async Task A_function_that_is_not_set_returning_in_from_gives_one_row()
    {
        Assert.Equal(["[\"a\",\"b\"]"], await RowsAsync("SELECT * FROM split('a,b', ',') s"));
        Assert.Equal(["1"], await RowsAsync("SELECT s.x FROM abs(-1) AS s(x)"));
    }

    [Fact]
    public async Task A_parameter_compared_with_any_of_an_array_takes_its_element_type()
    {
        await _db.ExecAsync("CREATE STREAM tagged (id INT KEY, tags ARRAY<INT>)");
        await _db.ExecAsync("INSERT INTO tagged VALUES (1, ARRAY[1, 2]), (2, ARRAY[3])");
        var rows = await _db.QueryAsync("SELECT id FROM tagged WHERE $1 = ANY(tags)", 3);
        Assert.Equal(2, Assert.Single(rows)[0]);
    }
}
