using System.Globalization;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// Window functions in pull queries, each answer as PostgreSQL 15 gives it for the same rows: ranking, offsets,
/// frame values and aggregates over PostgreSQL's default frame and over ROWS / RANGE frames, windows over
/// aggregates, in ORDER BY and inside expressions, the errors PostgreSQL raises, and the memory limit.
/// </summary>
public sealed class WindowFunctionTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync()
    {
        await _db.ExecAllAsync("CREATE STREAM ev (id INT, grp STRING, v INT)",
            "INSERT INTO ev (id, grp, v) VALUES (1, 'a', 10), (2, 'a', 20), (3, 'a', 20), (4, 'a', 40), "
            + "(5, 'b', 5), (6, 'b', NULL), (7, 'b', 7)");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Each row as "a|b|c", NULL as "-", rows joined by spaces.</summary>
    private async Task<string> RowsAsync(string sql) => string.Join(" ", (await _db.QueryAsync(sql)).Select(row =>
        string.Join("|", row.Select(v => v is null ? "-" : Convert.ToString(v, CultureInfo.InvariantCulture)))));

    [Fact]
    public async Task Ranking_functions_number_rows_and_peers_within_each_partition()
    {
        Assert.Equal("1|1|1|1 2|2|2|2 3|3|2|2 4|4|4|3 5|1|1|1 6|3|3|3 7|2|2|2", await RowsAsync(
            "SELECT id, row_number() OVER (PARTITION BY grp ORDER BY v), rank() OVER (PARTITION BY grp ORDER BY v), "
            + "dense_rank() OVER (PARTITION BY grp ORDER BY v) FROM ev ORDER BY id"));
        Assert.Equal("1|1|0|0.14 2|1|0.17|0.29 3|1|0.33|0.43 4|2|0.5|0.57 5|2|0.67|0.71 6|3|0.83|0.86 7|3|1|1",
            string.Join(" ", (await _db.QueryAsync("SELECT id, ntile(3) OVER (ORDER BY id), "
                + "percent_rank() OVER (ORDER BY id), cume_dist() OVER (ORDER BY id) FROM ev ORDER BY id"))
                .Select(r => $"{r[0]}|{r[1]}|{Math.Round((double)r[2]!, 2).ToString(CultureInfo.InvariantCulture)}|"
                    + Math.Round((double)r[3]!, 2).ToString(CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task Aggregates_use_the_default_frame_up_to_the_last_peer_or_the_whole_partition()
    {
        Assert.Equal("1|10|4|4 2|50|4|4 3|50|4|4 4|90|4|4 5|5|3|2 6|12|3|2 7|12|3|2", await RowsAsync(
            "SELECT id, sum(v) OVER (PARTITION BY grp ORDER BY v), count(*) OVER (PARTITION BY grp), "
            + "count(v) OVER (PARTITION BY grp) FROM ev ORDER BY id"));
        Assert.Equal("17|7", await RowsAsync("SELECT avg(v) OVER (), count(*) OVER () FROM ev LIMIT 1"));
    }

    [Fact]
    public async Task Rows_frames_slide_with_retraction_and_without()
    {
        Assert.Equal("1|30|10|20 2|50|10|20 3|80|20|40 4|65|5|40 5|45|5|40 6|12|5|7 7|7|7|7", await RowsAsync(
            "SELECT id, sum(v) OVER w1, min(v) OVER w1, max(v) OVER w1 FROM ev ORDER BY id"
                .Replace("OVER w1", "OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)",
                    StringComparison.Ordinal)));
        Assert.Equal("1|50 2|90 3|95 4|85 5|72 6|52 7|12", await RowsAsync(
            "SELECT id, sum(v) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) FROM ev ORDER BY id"));
        Assert.Equal("1|40 2|60 3|45 4|5 5|7 6|7 7|-", await RowsAsync(
            "SELECT id, sum(v) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) FROM ev ORDER BY id"));
        Assert.Equal("1|102 2|92 3|72 4|52 5|12 6|7 7|7", await RowsAsync(
            "SELECT id, sum(v) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM ev "
            + "ORDER BY id"));
    }

    [Fact]
    public async Task Lag_lead_and_frame_values()
    {
        Assert.Equal("1|-|20 2|10|40 3|20|5 4|20|- 5|40|7 6|5|-1 7|-|-1", await RowsAsync(
            "SELECT id, lag(v) OVER (ORDER BY id), lead(v, 2, -1) OVER (ORDER BY id) FROM ev ORDER BY id"));
        Assert.Equal("1|1|1|4|2 2|1|3|4|2 3|1|3|4|2 4|1|4|4|2 5|5|5|6|7 6|5|6|6|7 7|5|7|6|7", await RowsAsync(
            "SELECT id, first_value(id) OVER (PARTITION BY grp ORDER BY v), "
            + "last_value(id) OVER (PARTITION BY grp ORDER BY v), "
            + "last_value(id) OVER (PARTITION BY grp ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED "
            + "FOLLOWING), nth_value(id, 2) OVER (PARTITION BY grp ORDER BY v RANGE BETWEEN UNBOUNDED PRECEDING "
            + "AND UNBOUNDED FOLLOWING) FROM ev ORDER BY id"));
    }

    [Fact]
    public async Task Windows_over_aggregates_in_expressions_and_in_order_by()
    {
        Assert.Equal("a|90|1 b|12|2", await RowsAsync(
            "SELECT grp, sum(v), rank() OVER (ORDER BY sum(v) DESC) FROM ev GROUP BY grp ORDER BY grp"));
        Assert.Equal("a|4|7 b|3|7", await RowsAsync(
            "SELECT grp, count(*), sum(count(*)) OVER () FROM ev GROUP BY grp HAVING max(v) > 0 ORDER BY 1"));
        Assert.Equal("7|10 6|20", await RowsAsync(
            "SELECT id, row_number() OVER (ORDER BY id DESC) * 10 AS r FROM ev ORDER BY r LIMIT 2"));
        Assert.Equal("4 2 3", await RowsAsync(
            "SELECT id FROM ev ORDER BY row_number() OVER (ORDER BY v DESC NULLS LAST, id) LIMIT 3"));
        var rows = await _db.QueryAsync("SELECT row_number() OVER (ORDER BY id) AS n, id FROM ev ORDER BY n");
        Assert.Equal(7, rows.Count);
        Assert.IsType<long>(rows[0][0]);
    }

    [Fact]
    public async Task Windows_run_over_joins_and_the_system_catalog_as_pgjdbc_numbers_columns()
    {
        Assert.Equal("id|1 grp|2 v|3", await RowsAsync(
            "SELECT attname, attnum FROM (SELECT a.attname, row_number() OVER (PARTITION BY a.attrelid ORDER BY "
            + "a.attnum) AS attnum FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON (a.attrelid = c.oid) "
            + "WHERE c.relname = 'ev' AND a.attnum > 0) c ORDER BY attnum"));
        var plan = string.Join("\n", (await _db.QueryAsync(
            "EXPLAIN SELECT id, rank() OVER (PARTITION BY grp ORDER BY v DESC) FROM ev")).Select(r => r[0]));
        Assert.Contains("Window rank() OVER (PARTITION BY grp ORDER BY v DESC NULLS FIRST) BIGINT", plan,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT id FROM ev WHERE row_number() OVER () > 1", SqlState.WindowingError)]
    [InlineData("SELECT sum(row_number() OVER ()) OVER () FROM ev", SqlState.WindowingError)]
    [InlineData("SELECT grp FROM ev GROUP BY grp HAVING rank() OVER () > 0", SqlState.WindowingError)]
    [InlineData("SELECT sum(v) OVER (ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM ev", SqlState.WindowingError)]
    [InlineData("SELECT sum(v) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM ev",
        SqlState.WindowingError)]
    [InlineData("SELECT sum(v) OVER (ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) FROM ev", "22013")]
    [InlineData("SELECT upper(grp) OVER () FROM ev", SqlState.WrongObjectType)]
    [InlineData("SELECT nope() OVER () FROM ev", SqlState.UndefinedFunction)]
    [InlineData("SELECT lag() OVER () FROM ev", SqlState.UndefinedFunction)]
    [InlineData("SELECT ntile(0) OVER () FROM ev", "22014")]
    [InlineData("SELECT count(DISTINCT v) OVER () FROM ev", SqlState.FeatureNotSupported)]
    [InlineData("SELECT sum(v) OVER (ORDER BY v RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM ev",
        SqlState.FeatureNotSupported)]
    [InlineData("SELECT DISTINCT rank() OVER () FROM ev", SqlState.FeatureNotSupported)]
    [InlineData("SELECT rowtime, rank() OVER () FROM ev", SqlState.FeatureNotSupported)]
    public async Task Misuse_answers_as_postgresql_does(string sql, string state) =>
        Assert.Equal(state, (await _db.FailsAsync(sql)).SqlState);

    [Fact]
    public async Task Push_and_persistent_queries_refuse_window_functions_naming_them()
    {
        var push = await _db.FailsAsync("SELECT id, row_number() OVER (ORDER BY id) FROM ev EMIT CHANGES");
        Assert.Equal(SqlState.FeatureNotSupported, push.SqlState);
        Assert.Contains("window functions", push.Message, StringComparison.Ordinal);
        var persistent = await _db.FailsAsync("CREATE STREAM numbered AS SELECT id, rank() OVER (ORDER BY v) AS r "
            + "FROM ev");
        Assert.Equal(SqlState.FeatureNotSupported, persistent.SqlState);
        Assert.Contains("window functions", persistent.Message, StringComparison.Ordinal);
    }
}
