namespace Query.Engine.Tests;

/// <summary>
/// Queries run with three rows per operator batch, so filters, limits, offsets, sorts and aggregates all cross
/// batch boundaries; results are checked against the same computation done in C#.
/// </summary>
public sealed class OperatorBatchTests : IAsyncLifetime
{
    private const int Rows = 50;
    private readonly EngineFixture _db = new(options => options with { BatchRows = 3 });

    public async Task InitializeAsync()
    {
        await _db.ExecAsync("CREATE STREAM s (k INT KEY, g INT, v INT) WITH (PARTITIONS = 3, DURABILITY = 'NONE')");
        var values = string.Join(", ", Enumerable.Range(0, Rows).Select(k => $"({k}, {k % 4}, {V(k)})"));
        await _db.ExecAsync($"INSERT INTO s VALUES {values}");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static string V(int k) => k % 7 == 0 ? "NULL" : (k * 3 % 17).ToString(System.Globalization.CultureInfo
        .InvariantCulture);

    private static int? Value(int k) => k % 7 == 0 ? null : k * 3 % 17;

    [Fact]
    public async Task Filter_keeps_exactly_the_matching_rows_across_batches()
    {
        var rows = await _db.QueryAsync("SELECT k FROM s WHERE v > 10");
        var expected = Enumerable.Range(0, Rows).Where(k => Value(k) > 10).ToList();
        Assert.Equal(expected, rows.Select(r => (int)r[0]!).Order());
    }

    [Fact]
    public async Task Order_by_with_limit_and_offset_cuts_inside_a_batch()
    {
        var rows = await _db.QueryAsync("SELECT k FROM s ORDER BY k DESC LIMIT 7 OFFSET 5");
        Assert.Equal(Enumerable.Range(0, Rows).Reverse().Skip(5).Take(7), rows.Select(r => (int)r[0]!));
    }

    [Fact]
    public async Task Top_n_with_nulls_first_matches_a_full_sort()
    {
        var top = await _db.QueryAsync("SELECT v FROM s ORDER BY v DESC NULLS FIRST LIMIT 12 OFFSET 3");
        var all = await _db.QueryAsync("SELECT v FROM s ORDER BY v DESC NULLS FIRST");
        var expected = Enumerable.Range(0, Rows).Select(Value).OrderBy(v => v is null ? 0 : 1)
            .ThenByDescending(v => v).Skip(3).Take(12);
        Assert.Equal(expected, top.Select(r => (int?)r[0]));
        Assert.Equal(all.Skip(3).Take(12).Select(r => r[0]), top.Select(r => r[0]));
    }

    [Fact]
    public async Task Limit_and_offset_without_order_return_the_right_count()
    {
        Assert.Equal(4, (await _db.QueryAsync("SELECT k FROM s LIMIT 4 OFFSET 2")).Count);
        Assert.Empty(await _db.QueryAsync("SELECT k FROM s LIMIT 0"));
        Assert.Equal(3, (await _db.QueryAsync("SELECT k FROM s OFFSET 47")).Count);
    }

    [Fact]
    public async Task Group_by_with_having_matches_a_recomputation()
    {
        var rows = await _db.QueryAsync(
            "SELECT g, COUNT(*), COUNT(v), SUM(v), MIN(v), MAX(v) FROM s GROUP BY g HAVING COUNT(*) > 12 ORDER BY g");
        var expected = Enumerable.Range(0, Rows).GroupBy(k => k % 4).Where(g => g.Count() > 12).OrderBy(g => g.Key)
            .Select(g => new object?[]
            {
                g.Key, (long)g.Count(), (long)g.Count(k => Value(k) is not null), (long?)g.Sum(Value),
                g.Min(Value), g.Max(Value),
            });
        Assert.Equal(expected, rows);
    }

    [Fact]
    public async Task Group_by_two_keys_uses_the_general_key_table()
    {
        var rows = await _db.QueryAsync(
            "SELECT g, CAST(k % 2 AS STRING) AS parity, COUNT(*) FROM s GROUP BY g, CAST(k % 2 AS STRING)");
        var expected = Enumerable.Range(0, Rows).GroupBy(k => (k % 4, (k % 2).ToString(
                System.Globalization.CultureInfo.InvariantCulture)))
            .Select(g => $"{g.Key.Item1}/{g.Key.Item2}/{g.Count()}").Order();
        Assert.Equal(expected, rows.Select(r => $"{r[0]}/{r[1]}/{r[2]}").Order());
    }

    [Fact]
    public async Task Group_by_a_nullable_integer_key_has_a_null_group()
    {
        var rows = await _db.QueryAsync("SELECT v, COUNT(*) FROM s WHERE k < 15 GROUP BY v");
        var expected = Enumerable.Range(0, 15).GroupBy(Value).Select(g => $"{g.Key}:{g.Count()}").Order();
        Assert.Equal(expected, rows.Select(r => $"{r[0]}:{r[1]}").Order());
    }

    [Fact]
    public async Task Aggregate_over_no_rows_is_one_row_and_group_by_over_no_rows_is_none()
    {
        Assert.Equal([0L, null], Assert.Single(await _db.QueryAsync("SELECT COUNT(*), SUM(v) FROM s WHERE k < 0")));
        Assert.Empty(await _db.QueryAsync("SELECT g, COUNT(*) FROM s WHERE k < 0 GROUP BY g"));
    }

    [Fact]
    public async Task Push_query_with_limit_ends_after_the_limit_across_batches()
    {
        await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
        var rows = await _db.QueryAsync("SELECT k FROM s WHERE v IS NOT NULL EMIT CHANGES LIMIT 10");
        Assert.Equal(10, rows.Count);
        Assert.All(rows, r => Assert.NotNull(Value((int)r[0]!)));
    }

    [Fact]
    public async Task Select_without_from_filters_its_single_row()
    {
        Assert.Equal([3], Assert.Single(await _db.QueryAsync("SELECT 1 + 2 WHERE 1 < 2")));
        Assert.Empty(await _db.QueryAsync("SELECT 1 WHERE 1 > 2"));
        Assert.Equal([1L], Assert.Single(await _db.QueryAsync("SELECT COUNT(*)")));
    }
}
