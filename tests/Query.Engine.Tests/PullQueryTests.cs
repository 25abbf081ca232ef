using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Tests;

public sealed class PullQueryTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM pv (user_id INT KEY, page STRING, amount DOUBLE, tags ARRAY<STRING>, info STRUCT<city STRING>) "
        + "WITH (PARTITIONS = 2)",
        "INSERT INTO pv VALUES (1, '/home', 10.0, ARRAY['a', 'b'], STRUCT(city := 'Oslo')), "
        + "(2, '/shop', 25.5, ARRAY['c'], STRUCT(city := 'Rome')), (3, '/home', 4.5, NULL, NULL), "
        + "(1, '/cart', 100.0, ARRAY[], STRUCT(city := 'Oslo'))");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Where_projection_aliases_and_limit()
    {
        var rows = await _db.QueryAsync(
            "SELECT user_id AS u, UCASE(page) p, amount * 2 AS twice FROM pv WHERE amount > 5 AND page LIKE '/%' ORDER "
                + "BY u, p");
        Assert.Equal(3, rows.Count);
        Assert.Equal([1, "/CART", 200.0], rows[0]);
        Assert.Equal([1, "/HOME", 20.0], rows[1]);
        Assert.Single(await _db.QueryAsync("SELECT * FROM pv LIMIT 1"));
        var prepared = _db.Session.Prepare("SELECT user_id AS u, page FROM pv");
        Assert.Equal(["u", "page"], prepared.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task Star_excludes_pseudo_columns_which_are_readable_by_name()
    {
        var prepared = _db.Session.Prepare("SELECT *, ROWTIME, ROWOFFSET, ROWPARTITION FROM pv");
        Assert.Equal(["user_id", "page", "amount", "tags", "info", "rowtime", "rowoffset", "rowpartition"],
            prepared.Columns.Select(c => c.Name));
        var rows = await _db.QueryAsync("SELECT ROWPARTITION, ROWOFFSET FROM pv ORDER BY ROWPARTITION, ROWOFFSET");
        Assert.Equal(4, rows.Count);
        foreach (var group in rows.GroupBy(r => r[0]))
            Assert.Equal(Enumerable.Range(0, group.Count()).Select(i => (long)i), group.Select(r => (long)r[1]!));
    }

    [Fact]
    public async Task Nested_values_and_functions_evaluate()
    {
        var rows = await _db.QueryAsync(
            "SELECT info->city, tags[1], ARRAY_LENGTH(tags), COALESCE(info->city, 'none'), "
            + "CASE WHEN amount >= 25 THEN 'big' ELSE 'small' END, CAST(amount AS INT), SUBSTRING(page, 2, 3) "
            + "FROM pv WHERE user_id = 3 OR page = '/shop' ORDER BY user_id");
        Assert.Equal(["Rome", "c", 1, "Rome", "big", 26, "sho"], rows[0]);
        Assert.Equal([null, null, null, "none", "small", 4, "hom"], rows[1]);
    }

    [Fact]
    public async Task Select_without_from_evaluates_once()
    {
        var rows = await _db.QueryAsync("SELECT 1 + 2 AS three, 'a' || 'b', version(), CAST('2024-01-01' AS DATE)");
        Assert.Equal([3, "ab", Functions.SystemFunctions.VersionText, 19723], Assert.Single(rows));
    }

    [Fact]
    public async Task Group_by_with_aggregates_having_and_order_by()
    {
        var rows = await _db.QueryAsync(
            "SELECT page, COUNT(*) AS n, SUM(amount), AVG(amount), MIN(user_id), MAX(amount), COUNT_DISTINCT(user_id), "
            + "LATEST_BY_OFFSET(user_id), COLLECT_LIST(user_id) FROM pv GROUP BY page HAVING COUNT(*) >= 1 ORDER BY n "
                + "DESC, page");
        Assert.Equal(3, rows.Count);
        Assert.Equal("/home", rows[0][0]);
        Assert.Equal(2L, rows[0][1]);
        Assert.Equal(14.5, rows[0][2]);
        Assert.Equal(7.25, rows[0][3]);
        Assert.Equal(1, rows[0][4]);
        Assert.Equal(10.0, rows[0][5]);
        Assert.Equal(2L, rows[0][6]);
        var empty = await _db.QueryAsync("SELECT COUNT(*), SUM(amount) FROM pv WHERE amount > 1000");
        Assert.Equal([0L, null], Assert.Single(empty));
        var having = await _db.QueryAsync("SELECT user_id, SUM(amount) FROM pv GROUP BY user_id HAVING SUM(amount) > "
            + "50");
        Assert.Equal([1, 110.0], Assert.Single(having));
    }

    [Fact]
    public async Task Offset_ordered_and_statistical_aggregates()
    {
        var rows = await _db.QueryAsync(
            "SELECT user_id, EARLIEST_BY_OFFSET(page), LATEST_BY_OFFSET(page), COLLECT_SET(page), "
            + "STDDEV_SAMP(amount), COUNT(DISTINCT page) FROM pv WHERE user_id = 1 GROUP BY user_id");
        var row = Assert.Single(rows);
        Assert.Equal("/home", row[1]);
        Assert.Equal("/cart", row[2]);
        Assert.Equal(2, ((Types.SqlArray)row[3]!).Count);
        Assert.Equal(Math.Sqrt(4050), (double)row[4]!, 6);
        Assert.Equal(2L, row[5]);
    }

    [Fact]
    public async Task Grouping_errors_are_42803()
    {
        Assert.Equal(SqlState.GroupingError,
            (await _db.FailsAsync("SELECT page, amount FROM pv GROUP BY page")).SqlState);
        Assert.Equal(SqlState.GroupingError, (await _db.FailsAsync("SELECT * FROM pv WHERE COUNT(*) > 1")).SqlState);
    }

    [Fact]
    public async Task Type_errors_carry_positions()
    {
        var error = await _db.FailsAsync("SELECT * FROM pv WHERE page > 5");
        Assert.Equal(SqlState.UndefinedFunction, error.SqlState);
        Assert.Equal(24, error.Position);
        Assert.Equal(SqlState.UndefinedFunction, (await _db.FailsAsync("SELECT nope(1) FROM pv")).SqlState);
        Assert.Equal(SqlState.DivisionByZero, (await _db.FailsAsync("SELECT amount / 0 FROM pv")).SqlState);
        Assert.Equal(SqlState.NumericValueOutOfRange,
            (await _db.FailsAsync("SELECT 2147483647 + user_id FROM pv")).SqlState);
    }

    [Fact]
    public async Task Parameters_are_inferred_and_bound()
    {
        var prepared = _db.Session.Prepare("SELECT page FROM pv WHERE user_id = $1 AND amount > $2 ORDER BY page");
        Assert.Equal([SqlType.Int, SqlType.Double], prepared.ParameterTypes);
        await using var result = await _db.Session.ExecuteAsync(prepared, [1, "5"]);
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        Assert.Equal(["/cart", "/home"], rows.Select(r => r[0]));
    }

    [Fact]
    public async Task Typed_accessors_read_without_boxing()
    {
        await using var result = await _db.Session.ExecuteAsync(
            "SELECT user_id, amount, page, CAST(amount AS DECIMAL(6, 1)), ROWTIME FROM pv WHERE page = '/shop'");
        var rows = result.Rows!;
        Assert.True(await rows.ReadAsync());
        Assert.Equal(2, rows.GetInt32(0));
        Assert.Equal(25.5, rows.GetDouble(1));
        Assert.Equal("/shop", rows.GetString(2));
        Assert.Equal(25.5m, rows.GetDecimal(3));
        Assert.True(rows.GetInt64(4) > 0);
        Assert.Equal("25.5", rows.GetText(3));
        Assert.False(await rows.ReadAsync());
        Assert.Equal(1, rows.RowCount);
    }

    [Fact]
    public async Task Json_value_format_round_trips_every_type()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM j (k INT KEY, m DECIMAL(6, 3), t TIMESTAMP, b BYTES, mp MAP<STRING, INT>) WITH "
                + "(VALUE_FORMAT='JSON')",
            "INSERT INTO j VALUES (1, 1.5, '2024-01-01T00:00:01.5Z', '\\x0102', MAP('a' := 1, 'b' := NULL))");
        await _db.RestartAsync();
        var row = Assert.Single(await _db.QueryAsync("SELECT k, m, t, b, mp['a'], mp['b'] FROM j"));
        Assert.Equal(1, row[0]);
        Assert.Equal(1.500m, row[1]);
        Assert.Equal(1704067201500L, row[2]);
        Assert.Equal(new byte[] { 1, 2 }, row[3]);
        Assert.Equal(1, row[4]);
        Assert.Null(row[5]);
    }
}
