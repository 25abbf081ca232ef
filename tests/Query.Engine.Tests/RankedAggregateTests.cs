using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>TOPK, TOPKDISTINCT, HISTOGRAM and CORRELATION through SQL, with their NULL and error behaviour.</summary>
public sealed class RankedAggregateTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync()
    {
        await _db.ExecAsync("CREATE STREAM s (g INT, v INT, t STRING, x DOUBLE, y DOUBLE)");
        await _db.ExecAsync("INSERT INTO s (g, v, t, x, y) VALUES (1, 5, 'a', 1, 2), (1, 9, 'b', 2, 4), "
            + "(1, 5, 'a', 3, 6), (1, NULL, NULL, NULL, 1), (1, 7, 'a', 4, 8), (2, 3, 'c', 1, 1)");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Topk_gives_the_largest_values_largest_first_and_skips_nulls()
    {
        var row = Assert.Single(await _db.QueryAsync(
            "SELECT TOPK(v, 3), TOPKDISTINCT(v, 3), TOPK(v, 10), TOPK(t, 2) FROM s WHERE g = 1 GROUP BY g"));
        Assert.Equal(new object?[] { 9, 7, 5 }, ((SqlArray)row[0]!).Items);
        Assert.Equal(new object?[] { 9, 7, 5 }, ((SqlArray)row[1]!).Items);
        Assert.Equal(new object?[] { 9, 7, 5, 5 }, ((SqlArray)row[2]!).Items);
        Assert.Equal(new object?[] { "b", "a" }, ((SqlArray)row[3]!).Items);
        var distinct = Assert.Single(await _db.QueryAsync("SELECT TOPKDISTINCT(v, 2), TOPK(v, 2) FROM s WHERE g = 1"));
        Assert.Equal(new object?[] { 9, 7 }, ((SqlArray)distinct[0]!).Items);
    }

    [Fact]
    public async Task Topk_with_a_different_k_is_a_different_aggregate()
    {
        var row = Assert.Single(await _db.QueryAsync("SELECT TOPK(v, 1), TOPK(v, 2) FROM s WHERE g = 1"));
        Assert.Single(((SqlArray)row[0]!).Items);
        Assert.Equal(2, ((SqlArray)row[1]!).Count);
    }

    [Fact]
    public async Task Topk_needs_an_integer_literal_k()
    {
        Assert.Equal(SqlState.UndefinedFunction, (await _db.FailsAsync("SELECT TOPK(v, g) FROM s")).SqlState);
        Assert.Equal(SqlState.InvalidParameterValue, (await _db.FailsAsync("SELECT TOPK(v, 0) FROM s")).SqlState);
        Assert.Equal(SqlState.UndefinedFunction, (await _db.FailsAsync("SELECT TOPK(v) FROM s")).SqlState);
        Assert.Equal(SqlState.UndefinedFunction,
            (await _db.FailsAsync("SELECT TOPK(ARRAY[v], 2) FROM s")).SqlState);
    }

    [Fact]
    public async Task Histogram_counts_each_string()
    {
        var row = Assert.Single(await _db.QueryAsync("SELECT HISTOGRAM(t) FROM s WHERE g = 1"));
        var map = (SqlMap)row[0]!;
        Assert.Equal(2, map.Count);
        Assert.True(map.TryGet("a", out var a));
        Assert.Equal(3L, a);
        Assert.True(map.TryGet("b", out var b));
        Assert.Equal(1L, b);
    }

    [Fact]
    public async Task Correlation_of_proportional_columns_is_one_and_of_one_pair_is_nan()
    {
        var rows = await _db.QueryAsync("SELECT g, CORRELATION(x, y) FROM s GROUP BY g ORDER BY g");
        Assert.Equal(1.0, (double)rows[0][1]!, 9);
        Assert.True(double.IsNaN((double)rows[1][1]!));
        Assert.Equal(SqlState.UndefinedFunction, (await _db.FailsAsync("SELECT CORRELATION(x) FROM s")).SqlState);
    }

    [Fact]
    public async Task Show_functions_lists_the_new_aggregates()
    {
        var names = (await _db.QueryAsync("SHOW FUNCTIONS")).Select(r => r[0]).ToHashSet();
        foreach (var name in new[] { "TOPK", "TOPKDISTINCT", "HISTOGRAM", "CORRELATION" })
            Assert.Contains(name, names);
    }
}
