namespace Query.Engine.Tests;

/// <summary>EXPLAIN of queries on a table: key lookups and scans of the materialized state, the changelog tail.
/// </summary>
public sealed class TableExplainGoldenTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE users (id INT PRIMARY KEY, name STRING, score DOUBLE) WITH (PARTITIONS = 2)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string> ExplainAsync(string sql)
    {
        var rows = await _db.QueryAsync("EXPLAIN " + sql);
        return string.Join("\n", rows.Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task Equality_on_the_primary_key_is_a_key_lookup_without_a_filter()
    {
        Assert.Equal("""
            Pull query
              Project id INTEGER, name STRING, score DOUBLE
                KeyLookup users (materialized state) on id = 5
            """, await ExplainAsync("SELECT * FROM users WHERE id = 5"));
    }

    [Fact]
    public async Task A_table_keyed_by_double_is_scanned_since_equal_values_can_differ_in_bytes()
    {
        await _db.ExecAsync("CREATE TABLE readings (v DOUBLE PRIMARY KEY, n INT)");
        Assert.Equal("""
            Pull query
              Project n INTEGER
                Filter (v = 0)
                  TableScan readings (materialized state)
            """, await ExplainAsync("SELECT n FROM readings WHERE v = 0.0"));
    }

    [Fact]
    public async Task An_in_list_or_an_or_of_equalities_looks_up_each_key()
    {
        Assert.Equal("""
            Pull query
              Project name STRING
                Filter ((id IN (1, 2, 3)) AND (score > 1))
                  KeyLookup users (materialized state) on id = 1, 2, 3
            """, await ExplainAsync("SELECT name FROM users WHERE id IN (1, 2, 3) AND score > 1"));
        Assert.Equal("""
            Pull query
              Project name STRING
                KeyLookup users (materialized state) on id = 1, 4
            """, await ExplainAsync("SELECT name FROM users WHERE id = 1 OR id = 4"));
    }

    [Fact]
    public async Task Ranges_and_other_predicates_scan_the_state()
    {
        Assert.Equal("""
            Pull query
              Project id INTEGER
                Filter ((id > 5) OR (name = 'x'))
                  TableScan users (materialized state)
            """, await ExplainAsync("SELECT id FROM users WHERE id > 5 OR name = 'x'"));
        Assert.Equal("""
            Pull query
              Project count BIGINT
                Aggregate: COUNT(*)
                  TableScan users (materialized state)
            """, await ExplainAsync("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public async Task A_push_query_on_a_table_tails_its_changelog()
    {
        Assert.Equal("""
            Push query (EMIT CHANGES)
              Project id INTEGER, name STRING, score DOUBLE
                Scan (unbounded) users
                  partition 0: tail from offset 0, live
                  partition 1: tail from offset 0, live
            """, await ExplainAsync("SELECT * FROM users EMIT CHANGES"));
    }
}
