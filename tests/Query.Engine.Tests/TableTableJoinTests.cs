using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>Table-table joins in persistent and push queries: on both primary keys (every join type) and by foreign
/// key; the result is a table whose changelog carries upserts and tombstones as either table changes.</summary>
public sealed class TableTableJoinTests : PersistentJoinTestBase
{
    protected override string[] Sources =>
    [
        "CREATE TABLE users (id INT PRIMARY KEY, name STRING, team INT) WITH (PARTITIONS = 3)",
        "CREATE TABLE scores (id INT PRIMARY KEY, score INT) WITH (PARTITIONS = 2)",
        "CREATE TABLE teams (tid INT PRIMARY KEY, title STRING) WITH (PARTITIONS = 1)",
    ];

    [Theory]
    [InlineData("JOIN", new[] { "1|ann|10" })]
    [InlineData("LEFT JOIN", new[] { "1|ann|10", "2|bob|null" })]
    [InlineData("RIGHT JOIN", new[] { "1|ann|10", "3|null|30" })]
    [InlineData("FULL OUTER JOIN", new[] { "1|ann|10", "2|bob|null", "3|null|30" })]
    public async Task Primary_key_joins_keep_the_rows_their_type_keeps(string join, string[] expected)
    {
        await Db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann', 7), (2, 'bob', 8)",
            "INSERT INTO scores VALUES (1, 10), (3, 30)",
            $"CREATE TABLE j AS SELECT u.id, u.name, s.score FROM users u {join} scores s ON u.id = s.id");
        Assert.Equal(expected, await RowsAsync("SELECT * FROM j"));
    }

    [Fact]
    public async Task Updates_and_deletes_of_either_table_change_the_result_table()
    {
        await Db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann', 7), (2, 'bob', 8)",
            "INSERT INTO scores VALUES (1, 10)",
            "CREATE TABLE j AS SELECT u.id, u.name, s.score FROM users u JOIN scores s ON u.id = s.id "
            + "WHERE s.score < 100");
        Assert.Equal(["1|ann|10"], await RowsAsync("SELECT * FROM j"));
        await Db.ExecAllAsync("INSERT INTO scores VALUES (2, 20), (1, 11)", "INSERT INTO users VALUES (1, 'anna', 7)");
        Assert.Equal(["1|anna|11", "2|bob|20"], await RowsAsync("SELECT * FROM j"));
        await Db.ExecAllAsync("DELETE FROM users WHERE id = 2", "INSERT INTO scores VALUES (1, 500)");
        Assert.Empty(await RowsAsync("SELECT * FROM j"));
        // The result's changelog: upserts, then a tombstone for each key that left it.
        var changes = Db.Engine.ReadRecords("j");
        Assert.Equal(2, changes.Count(r => r.ValueIsNull));
    }

    [Fact]
    public async Task A_foreign_key_join_follows_changes_of_the_referenced_row()
    {
        await Db.ExecAllAsync("INSERT INTO teams VALUES (7, 'red'), (8, 'blue')",
            "INSERT INTO users VALUES (1, 'ann', 7), (2, 'bob', 8), (3, 'cid', 7), (4, 'dan', 9)",
            "CREATE TABLE j AS SELECT u.id, u.name, t.title FROM users u LEFT JOIN teams t ON u.team = t.tid");
        Assert.Equal(["1|ann|red", "2|bob|blue", "3|cid|red", "4|dan|null"], await RowsAsync("SELECT * FROM j"));
        await Db.ExecAllAsync("INSERT INTO teams VALUES (7, 'crimson'), (9, 'green')",
            "INSERT INTO users VALUES (2, 'bob', 7)");
        Assert.Equal(["1|ann|crimson", "2|bob|crimson", "3|cid|crimson", "4|dan|green"],
            await RowsAsync("SELECT * FROM j"));
        await Db.ExecAllAsync("DELETE FROM teams WHERE tid = 7");
        Assert.Equal(["1|ann|null", "2|bob|null", "3|cid|null", "4|dan|green"], await RowsAsync("SELECT * FROM j"));
    }

    [Fact]
    public async Task An_inner_foreign_key_join_survives_a_restart()
    {
        await Db.ExecAllAsync("INSERT INTO teams VALUES (7, 'red')", "INSERT INTO users VALUES (1, 'ann', 7)",
            "CREATE TABLE j AS SELECT u.id, t.title FROM users u JOIN teams t ON u.team = t.tid");
        Assert.Equal(["1|red"], await RowsAsync("SELECT * FROM j"));
        await Db.RestartAsync();
        await Db.ExecAllAsync("INSERT INTO teams VALUES (7, 'rose')", "INSERT INTO users VALUES (2, 'bob', 7)");
        Assert.Equal(["1|rose", "2|rose"], await RowsAsync("SELECT * FROM j"));
    }

    [Fact]
    public async Task A_push_query_shows_joined_rows_as_the_tables_change()
    {
        await Db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann', 7)", "INSERT INTO scores VALUES (1, 10)");
        await using var result = await Db.Session.ExecuteAsync(
            "SELECT u.name, s.score FROM users u JOIN scores s ON u.id = s.id EMIT CHANGES LIMIT 2");
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        Assert.Equal(2, rows.Count);   // one row per change of either table, each the join as it then stood
        Assert.All(rows, row => Assert.Equal(["ann", 10], row));
    }

    [Theory]
    [InlineData("CREATE TABLE j AS SELECT u.id FROM users u RIGHT JOIN teams t ON u.team = t.tid",
        SqlState.FeatureNotSupported)]
    [InlineData("CREATE TABLE j AS SELECT u.id FROM users u JOIN teams t ON u.name = t.title",
        SqlState.FeatureNotSupported)]
    [InlineData("CREATE STREAM j AS SELECT u.id FROM users u JOIN scores s ON u.id = s.id",
        SqlState.WrongObjectType)]
    public async Task Unsupported_table_joins_say_why(string sql, string state)
    {
        Assert.Equal(state, (await Db.FailsAsync(sql)).SqlState);
    }
}
