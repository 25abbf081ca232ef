using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>Multi-way table-table joins in persistent and push queries (<c>a JOIN b ON ... JOIN c ON ...</c>):
/// primary-key and foreign-key steps, INNER and LEFT, each change of any table retracting or updating the result
/// rows it touches; the result equals the pull query's join of the tables as they stand.</summary>
public sealed class TableChainJoinTests : PersistentJoinTestBase
{
    protected override string[] Sources =>
    [
        "CREATE TABLE users (id INT PRIMARY KEY, name STRING, team INT) WITH (PARTITIONS = 3)",
        "CREATE TABLE scores (id INT PRIMARY KEY, score INT) WITH (PARTITIONS = 2)",
        "CREATE TABLE teams (tid INT PRIMARY KEY, title STRING, region INT) WITH (PARTITIONS = 1)",
        "CREATE TABLE regions (rid INT PRIMARY KEY, rname STRING) WITH (PARTITIONS = 2)",
    ];

    private const string Chain = "SELECT u.id, u.name, s.score, t.title, r.rname FROM users u "
        + "LEFT JOIN scores s ON u.id = s.id JOIN teams t ON u.team = t.tid LEFT JOIN regions r ON t.region = r.rid";

    [Fact]
    public async Task A_chain_of_primary_and_foreign_key_steps_follows_every_table()
    {
        await Db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann', 7), (2, 'bob', 8), (3, 'cid', 9)",
            "INSERT INTO scores VALUES (1, 10)", "INSERT INTO teams VALUES (7, 'red', 100), (8, 'blue', 200)",
            "INSERT INTO regions VALUES (100, 'eu')", $"CREATE TABLE j AS {Chain}");
        Assert.Equal(["1|ann|10|red|eu", "2|bob|null|blue|null"], await RowsAsync("SELECT * FROM j"));
        // A change of each table: a score arrives, a region appears, a team moves, a user changes team.
        await Db.ExecAllAsync("INSERT INTO scores VALUES (2, 20)", "INSERT INTO regions VALUES (200, 'us')",
            "INSERT INTO teams VALUES (7, 'crimson', 200), (9, 'green', 100)", "INSERT INTO users VALUES (1, 'ann', 8)");
        Assert.Equal(["1|ann|10|blue|us", "2|bob|20|blue|us", "3|cid|null|green|eu"],
            await RowsAsync("SELECT * FROM j"));
        // Deletes: an inner step's row goes (the result rows go, with tombstones), a left step's row goes (padded).
        await Db.ExecAllAsync("DELETE FROM teams WHERE tid = 8", "DELETE FROM regions WHERE rid = 100",
            "DELETE FROM scores WHERE id = 1");
        Assert.Equal(["3|cid|null|green|null"], await RowsAsync("SELECT * FROM j"));
        Assert.Equal(await RowsAsync(Chain), await RowsAsync("SELECT * FROM j"));
        Assert.Equal(2, Db.Engine.ReadRecords("j").Count(r => r.ValueIsNull));
    }

    [Fact]
    public async Task Three_tables_on_one_primary_key_and_a_restart()
    {
        await Db.ExecAllAsync("CREATE TABLE extra (id INT PRIMARY KEY, note STRING)",
            "INSERT INTO users VALUES (1, 'ann', 7), (2, 'bob', 8)", "INSERT INTO scores VALUES (1, 10), (2, 20)",
            "INSERT INTO extra VALUES (1, 'x')",
            "CREATE TABLE j AS SELECT u.id, u.name, s.score, e.note FROM users u JOIN scores s ON u.id = s.id "
            + "LEFT JOIN extra e ON u.id = e.id WHERE s.score > 5");
        Assert.Equal(["1|ann|10|x", "2|bob|20|null"], await RowsAsync("SELECT * FROM j"));
        await Db.RestartAsync();
        await Db.ExecAllAsync("INSERT INTO extra VALUES (2, 'y')", "INSERT INTO scores VALUES (1, 1)");
        Assert.Equal(["2|bob|20|y"], await RowsAsync("SELECT * FROM j"));
    }

    [Fact]
    public async Task Random_changes_of_every_table_equal_the_pull_join()
    {
        await Db.ExecAsync($"CREATE TABLE j AS {Chain}");
        var random = new Random(16);
        for (var round = 0; round < 6; round++)
        {
            var statements = new List<string>();
            for (var i = 0; i < 12; i++)
            {
                var id = random.Next(8);
                statements.Add(random.Next(5) switch
                {
                    0 => $"INSERT INTO users VALUES ({id}, 'u{round}', {random.Next(4)})",
                    1 => $"INSERT INTO scores VALUES ({id}, {random.Next(100)})",
                    2 => $"INSERT INTO teams VALUES ({id % 4}, 't{round}', {random.Next(3)})",
                    3 => $"INSERT INTO regions VALUES ({id % 3}, 'r{round}')",
                    _ => $"DELETE FROM {(random.Next(2) == 0 ? "teams WHERE tid" : "users WHERE id")} = {id % 4}",
                });
            }
            await Db.ExecAllAsync([.. statements]);
            Assert.Equal(await RowsAsync(Chain), await RowsAsync("SELECT * FROM j"));
            if (round == 3)
                await Db.RestartAsync();
        }
    }

    [Fact]
    public async Task A_push_query_shows_each_joined_row_a_change_touches()
    {
        await Db.ExecAllAsync("INSERT INTO users VALUES (1, 'ann', 7)", "INSERT INTO teams VALUES (7, 'red', 100)",
            "INSERT INTO regions VALUES (100, 'eu')");
        await using var result = await Db.Session.ExecuteAsync("SELECT u.name, t.title, r.rname FROM users u "
            + "JOIN teams t ON u.team = t.tid JOIN regions r ON t.region = r.rid EMIT CHANGES LIMIT 1");
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        Assert.Equal(["ann", "red", "eu"], Assert.Single(rows));
    }

    [Fact]
    public async Task Right_and_full_steps_on_one_primary_key_keep_every_tables_rows_of_a_key()
    {
        await Db.ExecAllAsync("CREATE TABLE extra (id INT PRIMARY KEY, note STRING) WITH (PARTITIONS = 2)",
            "INSERT INTO users VALUES (1, 'ann', 7), (2, 'bob', 8)", "INSERT INTO scores VALUES (2, 20), (3, 30)",
            "INSERT INTO extra VALUES (3, 'z'), (4, 'w')",
            "CREATE TABLE full3 AS SELECT u.id, s.id AS sid, e.id AS eid, u.name, s.score, e.note FROM users u "
            + "FULL JOIN scores s ON u.id = s.id FULL JOIN extra e ON u.id = e.id",
            "CREATE TABLE right3 AS SELECT u.id, s.score, e.id AS eid, e.note FROM users u JOIN scores s "
            + "ON u.id = s.id RIGHT JOIN extra e ON u.id = e.id");
        // One result row per key value: the rows every table has for it (ksqlDB's tables join on one key), keyed
        // by that value also where the first table has no row.
        Assert.Equal(["1|null|null|ann|null|null", "2|2|null|bob|20|null", "3|3|3|null|30|z", "4|null|4|null|null|w"],
            await RowsAsync("SELECT * FROM full3"));
        // RIGHT keeps extra's rows; the inner step before it has a row only for key 2, which extra lacks.
        Assert.Equal(["3|null|3|z", "4|null|4|w"], await RowsAsync("SELECT * FROM right3"));
        await Db.ExecAllAsync("DELETE FROM users WHERE id = 1", "DELETE FROM extra WHERE id = 4",
            "INSERT INTO users VALUES (3, 'cid', 9)", "INSERT INTO scores VALUES (3, 33)");
        Assert.Equal(["2|2|null|bob|20|null", "3|3|3|cid|33|z"], await RowsAsync("SELECT * FROM full3"));
        Assert.Equal(["3|33|3|z"], await RowsAsync("SELECT * FROM right3"));
        Assert.Equal(2, Db.Engine.ReadRecords("full3").Count(r => r.ValueIsNull));
    }

    [Theory]
    [InlineData("CREATE TABLE j AS SELECT u.id FROM users u FULL JOIN scores s ON u.id = s.id "
        + "JOIN teams t ON u.team = t.tid")]
    [InlineData("CREATE TABLE j AS SELECT u.id FROM users u JOIN scores s ON u.id = s.id "
        + "RIGHT JOIN teams t ON u.team = t.tid")]
    [InlineData("CREATE TABLE j AS SELECT u.id FROM users u JOIN scores s ON u.id = s.id "
        + "JOIN teams t ON u.name = t.title")]
    public async Task Outer_steps_beside_foreign_key_steps_and_steps_off_a_key_are_refused(string sql)
    {
        Assert.Equal(SqlState.FeatureNotSupported, (await Db.FailsAsync(sql)).SqlState);
    }
}
