namespace Query.Engine.Tests;

/// <summary>EXPLAIN of joins: hash keys, extra conditions, nested loops, and WHERE pushed below the join. Compared
/// case-insensitively, since unquoted names may fold either way.</summary>
public sealed class JoinExplainGoldenTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE users (id INT PRIMARY KEY, name STRING) WITH (PARTITIONS = 1)",
        "CREATE STREAM orders (order_id INT KEY, user_id INT, amount DOUBLE) WITH (PARTITIONS = 1)",
        "CREATE STREAM clicks (user_id INT KEY, page STRING) WITH (PARTITIONS = 1)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string> ExplainAsync(string sql)
    {
        var rows = await _db.QueryAsync("EXPLAIN " + sql);
        return string.Join("\n", rows.Select(r => (string)r[0]!));
    }

    private static void AssertPlan(string expected, string actual) =>
        Assert.Equal(expected.ReplaceLineEndings("\n"), actual, ignoreCase: true);

    [Fact]
    public async Task An_equi_join_is_a_hash_join_building_its_right_side()
    {
        AssertPlan("""
            Pull query
              Project ORDER_ID INTEGER := O.ORDER_ID, NAME STRING := U.NAME
                Hash join INNER on O.USER_ID = U.ID filter (O.AMOUNT > CAST(U.ID AS DOUBLE))
                  Scan ORDERS
                    1 partitions, 0 to read
                  TableScan USERS (materialized state)
            """, await ExplainAsync(
            "SELECT o.order_id, u.name FROM orders o JOIN users u ON o.user_id = u.id AND o.amount > u.id"));
    }

    [Fact]
    public async Task Where_conjuncts_go_below_the_join_and_comma_joins_find_their_keys()
    {
        AssertPlan("""
            Pull query
              Project PAGE STRING := C.PAGE, NAME STRING := U.NAME
                Hash join INNER on C.USER_ID = U.ID
                  Filter (C.PAGE = '/a')
                    Scan CLICKS (ranges narrowed by WHERE)
                      1 partitions, 0 to read
                  KeyLookup USERS (materialized state) on ID = 7
            """, await ExplainAsync(
            "SELECT c.page, u.name FROM clicks c, users u WHERE c.user_id = u.id AND u.id = 7 AND c.page = '/a'"));
    }

    [Fact]
    public async Task The_null_padded_side_of_an_outer_join_is_filtered_above_it()
    {
        AssertPlan("""
            Pull query
              Project ORDER_ID INTEGER := O.ORDER_ID
                Filter (U.NAME IS NULL)
                  Hash join LEFT on O.USER_ID = U.ID
                    Scan ORDERS
                      1 partitions, 0 to read
                    TableScan USERS (materialized state)
            """, await ExplainAsync(
            "SELECT o.order_id FROM orders o LEFT JOIN users u ON o.user_id = u.id WHERE u.name IS NULL"));
    }

    [Fact]
    public async Task A_join_without_equal_keys_is_a_nested_loop()
    {
        AssertPlan("""
            Pull query
              Project ORDER_ID INTEGER := O.ORDER_ID, PAGE STRING := C.PAGE
                Nested loop join INNER filter (O.USER_ID < C.USER_ID)
                  Scan ORDERS
                    1 partitions, 0 to read
                  Scan CLICKS
                    1 partitions, 0 to read
            """, await ExplainAsync(
            "SELECT o.order_id, c.page FROM orders o JOIN clicks c ON o.user_id < c.user_id"));
        AssertPlan("""
            Pull query
              Project ORDER_ID INTEGER := O.ORDER_ID, PAGE STRING := C.PAGE
                Nested loop join CROSS
                  Scan ORDERS
                    1 partitions, 0 to read
                  Scan CLICKS
                    1 partitions, 0 to read
            """, await ExplainAsync("SELECT o.order_id, c.page FROM orders o CROSS JOIN clicks c"));
    }
}
