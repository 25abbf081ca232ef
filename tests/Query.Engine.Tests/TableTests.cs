using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>CREATE TABLE, upserts, pull queries from the materialized state, DROP, SHOW and DESCRIBE.</summary>
public sealed class TableTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private const string CreateUsers =
        "CREATE TABLE users (id INT PRIMARY KEY, name STRING, score DOUBLE) WITH (PARTITIONS = 3)";

    [Fact]
    public async Task Insert_into_a_table_upserts_by_primary_key()
    {
        Assert.Equal("CREATE TABLE", await _db.ExecAsync(CreateUsers));
        await _db.ExecAllAsync(
            "INSERT INTO users VALUES (1, 'ann', 1.5), (2, 'bob', 2.5)",
            "INSERT INTO users (id, name, score) VALUES (1, 'anna', 3.0), (3, 'cy', NULL)");
        var rows = await _db.QueryAsync("SELECT id, name, score FROM users ORDER BY id");
        Assert.Equal(3, rows.Count);
        Assert.Equal([1, "anna", 3.0], rows[0]);
        Assert.Equal([2, "bob", 2.5], rows[1]);
        Assert.Equal([3, "cy", null], rows[2]);
        Assert.Equal([1, "anna", 3.0], Assert.Single(await _db.QueryAsync("SELECT * FROM users WHERE id = 1")));
    }

    [Fact]
    public async Task Point_lookups_in_lists_ranges_and_other_predicates_answer_from_the_state()
    {
        await _db.ExecAsync(CreateUsers);
        var values = string.Join(", ", Enumerable.Range(1, 200).Select(i => $"({i}, 'u{i}', {i}.0)"));
        await _db.ExecAsync($"INSERT INTO users VALUES {values}");
        await _db.ExecAsync("INSERT INTO users VALUES (7, 'seven', 70.0)");
        Assert.Equal([7, "seven"], Assert.Single(await _db.QueryAsync("SELECT id, name FROM users WHERE id = 7")));
        Assert.Empty(await _db.QueryAsync("SELECT * FROM users WHERE id = 999"));
        var list = await _db.QueryAsync("SELECT id FROM users WHERE id IN (5, 999, 5, 150) ORDER BY id");
        Assert.Equal([5, 150], list.Select(r => r[0]));
        var or = await _db.QueryAsync("SELECT id FROM users WHERE (id = 3 OR id = 4) AND score > 3.5");
        Assert.Equal([4], or.Select(r => r[0]));
        var range = await _db.QueryAsync("SELECT id FROM users WHERE id BETWEEN 10 AND 14 ORDER BY id");
        Assert.Equal([10, 11, 12, 13, 14], range.Select(r => r[0]));
        Assert.Equal(200L, (await _db.QueryAsync("SELECT COUNT(*) FROM users"))[0][0]);
        Assert.Equal(1L, (await _db.QueryAsync("SELECT COUNT(*) FROM users WHERE name = 'seven'"))[0][0]);
        Assert.Equal([7], Assert.Single(await _db.QueryAsync("SELECT id FROM users WHERE id = $1", 7)));
    }

    [Fact]
    public async Task A_prepared_lookup_is_compiled_once_and_answers_each_executions_keys()
    {
        await _db.ExecAsync(CreateUsers);
        await _db.ExecAsync("INSERT INTO users VALUES (1, 'a', 1.0), (2, 'b', 2.0), (3, 'c', 3.0)");
        var prepared = _db.Session.Prepare("SELECT name, ROWOFFSET FROM users WHERE id IN ($1, $2)");
        foreach (var (a, b, expected) in new[] { (1, 2, "a,b"), (3, 9, "c"), (9, 9, "") })
        {
            await using var result = await _db.Session.ExecuteAsync(prepared, [a, b]);
            var rows = await EngineFixture.ReadAllAsync(result.Rows!);
            Assert.Equal(expected, string.Join(",", rows.Select(r => (string)r[0]!).Order()));
        }
        // A write between executions is seen (the plan is cached, the state is caught up per run).
        await _db.ExecAsync("INSERT INTO users VALUES (9, 'nine', 9.0)");
        await using var again = await _db.Session.ExecuteAsync(prepared, [9, 9]);
        Assert.Equal("nine", Assert.Single(await EngineFixture.ReadAllAsync(again.Rows!))[0]);
        // A parameter outside the key still works (bound with its value at each execution).
        Assert.Equal([1], Assert.Single(await _db.QueryAsync("SELECT id FROM users WHERE id = $1 AND name = $2", 1,
            "a")));
        Assert.Empty(await _db.QueryAsync("SELECT id FROM users WHERE id = $1 AND name = $2", 1, "zz"));
    }

    [Fact]
    public async Task Tables_keyed_by_double_answer_by_scanning()
    {
        await _db.ExecAllAsync("CREATE TABLE readings (v DOUBLE PRIMARY KEY, n INT)",
            "INSERT INTO readings VALUES (1.5, 1), (2.5, 2), (1.5, 3)");
        Assert.Equal([3], Assert.Single(await _db.QueryAsync("SELECT n FROM readings WHERE v = 1.5")));
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("DELETE FROM readings WHERE v = 1.5")).SqlState);
    }

    [Fact]
    public async Task Rowtime_rowoffset_and_rowpartition_of_a_row_are_those_of_its_latest_record()
    {
        await _db.ExecAsync(CreateUsers);
        await _db.ExecAllAsync("INSERT INTO users (ROWTIME, id, name) VALUES (1000, 1, 'a')",
            "INSERT INTO users (ROWTIME, id, name) VALUES (2000, 1, 'b')");
        var row = Assert.Single(await _db.QueryAsync("SELECT ROWTIME, ROWOFFSET, name FROM users WHERE id = 1"));
        Assert.Equal([2000L, 1L, "b"], row);
    }

    [Fact]
    public async Task A_table_needs_a_primary_key_and_a_non_null_key_value()
    {
        Assert.Equal(SqlState.SyntaxError, (await _db.FailsAsync("CREATE TABLE t (id INT, v INT)")).SqlState);
        Assert.Equal(SqlState.SyntaxError, (await _db.FailsAsync("CREATE TABLE t (id INT KEY, v INT)")).SqlState);
        Assert.Equal(SqlState.SyntaxError, (await _db.FailsAsync("CREATE STREAM s (id INT PRIMARY KEY)")).SqlState);
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("CREATE TABLE t (id INT PRIMARY KEY) WITH (RETENTION_MS = 1000)")).SqlState);
        await _db.ExecAsync(CreateUsers);
        var error = await _db.FailsAsync("INSERT INTO users (name) VALUES ('nobody')");
        Assert.Equal(SqlState.NotNullViolation, error.SqlState);
        Assert.Contains("PRIMARY KEY", error.Message);
        // All or nothing: the good row of the failed statement was not written either.
        await _db.FailsAsync("INSERT INTO users VALUES (1, 'a', 1.0), (NULL, 'b', 2.0)");
        Assert.Empty(await _db.QueryAsync("SELECT * FROM users"));
    }

    [Fact]
    public async Task Create_or_replace_if_not_exists_and_names_shared_with_streams()
    {
        await _db.ExecAsync(CreateUsers);
        Assert.Equal(SqlState.DuplicateTable, (await _db.FailsAsync(CreateUsers)).SqlState);
        Assert.Equal("CREATE TABLE", await _db.ExecAsync(
            "CREATE TABLE IF NOT EXISTS users (id INT PRIMARY KEY, name STRING, score DOUBLE)"));
        await _db.ExecAsync("INSERT INTO users VALUES (1, 'a', 1.0)");
        Assert.Equal("CREATE TABLE", await _db.ExecAsync(
            "CREATE OR REPLACE TABLE users (id INT PRIMARY KEY, name STRING, score DOUBLE, extra INT)"));
        Assert.Equal([1, "a", 1.0, null], Assert.Single(await _db.QueryAsync("SELECT * FROM users")));
        Assert.Equal(SqlState.DuplicateTable, (await _db.FailsAsync("CREATE STREAM users (x INT)")).SqlState);
        Assert.Equal("42809", (await _db.FailsAsync("DROP STREAM users")).SqlState);
        await _db.ExecAsync("CREATE STREAM events (x INT)");
        Assert.Equal("42809", (await _db.FailsAsync("DROP TABLE events")).SqlState);
        Assert.Equal(SqlState.DuplicateTable,
            (await _db.FailsAsync("CREATE TABLE events (id INT PRIMARY KEY)")).SqlState);
    }

    [Fact]
    public async Task Show_tables_describe_and_drop()
    {
        await _db.ExecAllAsync(CreateUsers, "CREATE STREAM events (x INT)");
        Assert.Equal(["users", "users", "KAFKA", "BINARY"], Assert.Single(await _db.QueryAsync("SHOW TABLES")));
        Assert.Equal("events", Assert.Single(await _db.QueryAsync("SHOW STREAMS"))[0]);
        var described = await _db.QueryAsync("DESCRIBE users");
        Assert.Equal(["id", "INTEGER", "PRIMARY KEY"], described[0]);
        Assert.Equal(["name", "STRING", null], described[1]);
        await _db.ExecAsync("INSERT INTO users VALUES (1, 'a', 1.0)");
        await _db.QueryAsync("SELECT * FROM users");
        var extended = await _db.QueryAsync("DESCRIBE EXTENDED users");
        var summary = extended.Single(r => (string?)r[1] == "TABLE");
        Assert.Contains("state_keys 1", (string)summary[2]!);
        Assert.Equal("DROP TABLE", await _db.ExecAsync("DROP TABLE users"));
        Assert.Empty(await _db.QueryAsync("SHOW TABLES"));
        Assert.Equal(0, _db.Engine.StateBudget.UsedBytes);
        Assert.Equal("DROP TABLE", await _db.ExecAsync("DROP TABLE IF EXISTS users"));
        Assert.Equal(SqlState.UndefinedTable, (await _db.FailsAsync("DROP TABLE users")).SqlState);
    }

    [Fact]
    public async Task Table_and_its_state_survive_a_restart()
    {
        await _db.ExecAllAsync(CreateUsers, "INSERT INTO users VALUES (1, 'a', 1.0), (2, 'b', 2.0), (3, 'c', 3.0)",
            "INSERT INTO users VALUES (2, 'bb', 20.0)");
        var before = await _db.QueryAsync("SELECT * FROM users ORDER BY id");
        await _db.RestartAsync();
        Assert.Equal(["users", "users", "KAFKA", "BINARY"], Assert.Single(await _db.QueryAsync("SHOW TABLES")));
        Assert.Equal(before, await _db.QueryAsync("SELECT * FROM users ORDER BY id"));
        Assert.Equal([2, "bb", 20.0], Assert.Single(await _db.QueryAsync("SELECT * FROM users WHERE id = 2")));
    }

    [Fact]
    public async Task Alter_table_adds_a_column()
    {
        await _db.ExecAllAsync(CreateUsers, "INSERT INTO users VALUES (1, 'a', 1.0)");
        Assert.Equal("ALTER TABLE", await _db.ExecAsync("ALTER TABLE users ADD COLUMN tag STRING"));
        await _db.ExecAsync("INSERT INTO users VALUES (1, 'a', 1.0, 'x')");
        Assert.Equal([1, "a", 1.0, "x"], Assert.Single(await _db.QueryAsync("SELECT * FROM users")));
    }

    [Fact]
    public async Task Json_tables_key_the_changelog_by_the_primary_key()
    {
        await _db.ExecAllAsync(
            "CREATE TABLE prices (sku STRING PRIMARY KEY, price DECIMAL(8, 2)) WITH (VALUE_FORMAT = 'JSON', "
                + "KEY_FORMAT = 'JSON', KAFKA_TOPIC = 'prices_log')",
            "INSERT INTO prices VALUES ('a', 1.00), ('b', 2.00), ('a', 3.00)");
        var records = _db.Engine.ReadRecords("prices_log");
        Assert.Equal(3, records.Count);
        Assert.Equal("\"a\"", System.Text.Encoding.UTF8.GetString(records[0].Key!));
        Assert.Equal([3.00m], Assert.Single(await _db.QueryAsync("SELECT price FROM prices WHERE sku = 'a'")));
        Assert.Equal(2, (await _db.QueryAsync("SELECT * FROM prices")).Count);
    }
}
