namespace Query.Engine.Tests;

/// <summary>
/// EXPLAIN prints the logical plan tree; these pin its exact text for each shape of query, so a planner change
/// that alters a plan shows up as a diff here. The streams are empty, so what the scans would read is stable.
/// </summary>
public sealed class ExplainGoldenTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM ev (user_id INT KEY, page STRING, amount DOUBLE) WITH (PARTITIONS = 2, DURABILITY = 'NONE')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string> ExplainAsync(string sql)
    {
        var rows = await _db.QueryAsync("EXPLAIN " + sql);
        return string.Join("\n", rows.Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task Filter_and_project_over_a_scan()
    {
        Assert.Equal("""
            Pull query
              Project page STRING, ?column? DOUBLE := (amount * 2)
                Filter (amount > 500)
                  Scan ev (ranges narrowed by WHERE)
                    2 partitions, 0 to read
            """, await ExplainAsync("SELECT page, amount * 2 FROM ev WHERE amount > 500"));
    }

    [Fact]
    public async Task Select_star_is_a_projection_of_every_column()
    {
        Assert.Equal("""
            Pull query
              Project user_id INTEGER, page STRING, amount DOUBLE
                Scan ev
                  2 partitions, 0 to read
            """, await ExplainAsync("SELECT * FROM ev"));
    }

    [Fact]
    public async Task Group_by_with_having_order_by_limit_and_offset_stacks_every_node()
    {
        Assert.Equal("""
            Pull query
              Limit 10 offset 5
                Sort by count DESC NULLS FIRST
                  Project page STRING, count BIGINT, sum DOUBLE
                    Filter (count > 1)
                      Aggregate by page: COUNT(*), SUM(amount)
                        Filter (user_id > 10)
                          Scan ev (ranges narrowed by WHERE)
                            2 partitions, 0 to read
            """, await ExplainAsync("SELECT page, COUNT(*), SUM(amount) FROM ev WHERE user_id > 10 GROUP BY page "
            + "HAVING COUNT(*) > 1 ORDER BY 2 DESC LIMIT 10 OFFSET 5"));
    }

    [Fact]
    public async Task Aggregate_without_group_by()
    {
        Assert.Equal("""
            Pull query
              Project count BIGINT
                Aggregate: COUNT(*)
                  Scan ev
                    2 partitions, 0 to read
            """, await ExplainAsync("SELECT COUNT(*) FROM ev"));
    }

    [Fact]
    public async Task Distinct_is_an_aggregate_without_aggregates()
    {
        Assert.Equal("""
            Pull query
              Project page STRING
                Aggregate by page
                  Scan ev
                    2 partitions, 0 to read
            """, await ExplainAsync("SELECT DISTINCT page FROM ev"));
    }

    [Fact]
    public async Task Order_by_an_unselected_expression_adds_a_hidden_column()
    {
        Assert.Equal("""
            Pull query
              Sort by ORDER_BY_1 ASC NULLS FIRST
                Project user_id INTEGER, ORDER_BY_1 DOUBLE := amount
                  Scan ev
                    2 partitions, 0 to read
            """, await ExplainAsync("SELECT user_id FROM ev ORDER BY amount NULLS FIRST"));
    }

    [Fact]
    public async Task Select_without_from_projects_one_values_row()
    {
        Assert.Equal("""
            Pull query
              Project three INTEGER := 3, ?column? STRING := 'x'
                Values (one row)
            """, await ExplainAsync("SELECT 1 + 2 AS three, 'x'"));
    }

    [Fact]
    public async Task Push_query_tails_every_partition_under_its_limit()
    {
        Assert.Equal("""
            Push query (EMIT CHANGES)
              Limit 5
                Project user_id INTEGER, page STRING, amount DOUBLE
                  Filter ((ROWOFFSET >= 3) AND (page LIKE '/a%'))
                    Scan (unbounded) ev (ranges narrowed by WHERE)
                      partition 0: tail from offset 3, live
                      partition 1: tail from offset 3, live
            """, await ExplainAsync("SELECT * FROM ev WHERE ROWOFFSET >= 3 AND page LIKE '/a%' EMIT CHANGES LIMIT 5"));
    }

    [Fact]
    public async Task Expressions_print_with_casts_and_parentheses()
    {
        Assert.Equal("""
            Pull query
              Project amount STRING := CASE WHEN (amount IS NULL) THEN 'none' ELSE CAST(amount AS STRING) END, ?column? BOOLEAN := (page IN ('a', 'b'))
                Filter NOT (user_id = 1)
                  Scan ev (ranges narrowed by WHERE)
                    2 partitions, 0 to read
            """, await ExplainAsync("SELECT CASE WHEN amount IS NULL THEN 'none' ELSE CAST(amount AS STRING) END, "
            + "page IN ('a', 'b') FROM ev WHERE NOT (user_id = 1)"));
    }
}
