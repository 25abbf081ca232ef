using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>EXPLODE and CUBE_EXPLODE as SELECT items, in pull and push queries, with EXPLAIN's node.</summary>
public sealed class TableFunctionTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync()
    {
        await _db.ExecAsync("CREATE STREAM s (id INT, a ARRAY<INT>, b ARRAY<STRING>) WITH (DURABILITY = 'NONE')");
        await _db.ExecAsync("INSERT INTO s (id, a, b) VALUES (1, ARRAY[10, 20, 30], ARRAY['x']), "
            + "(2, NULL, NULL), (3, ARRAY_REMOVE(ARRAY[0], 0), ARRAY['y', 'z']), (4, ARRAY[40, NULL], NULL)");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Explode_gives_a_row_per_element_and_none_for_null_or_empty()
    {
        var rows = await _db.QueryAsync("SELECT id, EXPLODE(a) AS e FROM s");
        Assert.Equal(["1:10", "1:20", "1:30", "4:40", "4:"], rows.Select(r => $"{r[0]}:{r[1]}"));
    }

    [Fact]
    public async Task Several_table_functions_pad_the_shorter_with_null()
    {
        var rows = await _db.QueryAsync("SELECT id, EXPLODE(a), EXPLODE(b) FROM s WHERE id IN (1, 3)");
        Assert.Equal(["1:10:x", "1:20:", "1:30:", "3::y", "3::z"], rows.Select(r => $"{r[0]}:{r[1]}:{r[2]}"));
    }

    [Fact]
    public async Task Cube_explode_gives_every_combination_and_a_null_element_once()
    {
        var rows = await _db.QueryAsync("SELECT CUBE_EXPLODE(ARRAY[id, id * 2]) FROM s WHERE id = 1");
        Assert.Equal(["[NULL,NULL]", "[NULL,2]", "[1,NULL]", "[1,2]"], rows.Select(r => Text(r[0])));
        rows = await _db.QueryAsync("SELECT CUBE_EXPLODE(a) FROM s WHERE id = 4");
        Assert.Equal(["[NULL,NULL]", "[40,NULL]"], rows.Select(r => Text(r[0])));
    }

    private static string Text(object? array) =>
        "[" + string.Join(",", ((SqlArray)array!).Items.Select(i => i?.ToString() ?? "NULL")) + "]";

    [Fact]
    public async Task Limit_and_order_by_apply_to_the_exploded_rows()
    {
        var rows = await _db.QueryAsync("SELECT EXPLODE(a) AS e FROM s ORDER BY e DESC NULLS LAST LIMIT 2");
        Assert.Equal([40, 30], rows.Select(r => r[0]));
    }

    [Fact]
    public async Task A_push_query_explodes_rows_as_they_arrive()
    {
        await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
        await using var push = await _db.Session.ExecuteAsync("SELECT id, EXPLODE(a) FROM s EMIT CHANGES LIMIT 7");
        var reading = EngineFixture.ReadAllAsync(push.Rows!);
        await _db.ExecAsync("INSERT INTO s (id, a) VALUES (5, ARRAY[50, 51])");
        var rows = await reading.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([10, 20, 30, 40, null, 50, 51], rows.Select(r => r[1]));
    }

    [Fact]
    public async Task Explain_shows_the_table_function_over_the_projection()
    {
        var rows = await _db.QueryAsync("EXPLAIN SELECT id, EXPLODE(a) AS e FROM s");
        Assert.Equal("""
            Pull query
              Table function e INTEGER := EXPLODE(a)
                Project id INTEGER, e ARRAY<INTEGER> := a
                  Scan s
            """, string.Join("\n", rows.Take(4).Select(r => (string)r[0]!)));
    }

    [Fact]
    public async Task Misuse_is_a_clear_error()
    {
        Assert.Equal(SqlState.UndefinedFunction, (await _db.FailsAsync("SELECT EXPLODE(id) FROM s")).SqlState);
        Assert.Equal(SqlState.UndefinedFunction, (await _db.FailsAsync("SELECT EXPLODE(a, b) FROM s")).SqlState);
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("SELECT EXPLODE(a) + 1 FROM s")).SqlState);
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("SELECT id FROM s WHERE EXPLODE(a) > 1")).SqlState);
    }

    [Fact]
    public async Task Show_and_describe_function_list_the_table_functions()
    {
        var names = (await _db.QueryAsync("SHOW FUNCTIONS")).Select(r => r[0]).ToHashSet();
        Assert.Contains("EXPLODE", names);
        Assert.Contains("CUBE_EXPLODE", names);
        Assert.Single(await _db.QueryAsync("DESCRIBE FUNCTION cube_explode"));
    }
}
