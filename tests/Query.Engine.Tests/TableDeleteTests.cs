using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>DELETE FROM a table writes tombstones; the state, pull queries and a restart all see them.</summary>
public sealed class TableDeleteTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE users (id INT PRIMARY KEY, name STRING) WITH (PARTITIONS = 4, KAFKA_TOPIC = 'users_log')",
        "INSERT INTO users VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<object?>> IdsAsync() =>
        (await _db.QueryAsync("SELECT id FROM users ORDER BY id")).Select(r => r[0]).ToList();

    [Fact]
    public async Task Delete_by_key_in_list_and_or_writes_tombstones_and_counts_existing_rows()
    {
        Assert.Equal("DELETE 1", await _db.ExecAsync("DELETE FROM users WHERE id = 2"));
        Assert.Equal([1, 3, 4, 5], await IdsAsync());
        Assert.Empty(await _db.QueryAsync("SELECT * FROM users WHERE id = 2"));
        Assert.Equal("DELETE 2", await _db.ExecAsync("DELETE FROM users WHERE id IN (1, 2, 3, 99)"));
        Assert.Equal("DELETE 1", await _db.ExecAsync("DELETE FROM users WHERE id = 4 OR id = 4"));
        Assert.Equal([5], await IdsAsync());
        // The changelog holds the tombstones: key, null value.
        var tombstones = _db.Engine.ReadRecords("users_log").Count(r => r.Value.Length == 0);
        Assert.True(tombstones >= 4, $"{tombstones} tombstones");
        // A deleted key comes back with a new insert.
        await _db.ExecAsync("INSERT INTO users VALUES (2, 'again')");
        Assert.Equal([2, "again"], Assert.Single(await _db.QueryAsync("SELECT * FROM users WHERE id = 2")));
    }

    [Fact]
    public async Task Delete_takes_parameters_and_without_where_deletes_every_row()
    {
        var prepared = _db.Session.Prepare("DELETE FROM users WHERE id = $1");
        await using (var result = await _db.Session.ExecuteAsync(prepared, [3]))
            Assert.Equal("DELETE 1", result.CommandTag);
        Assert.Equal([1, 2, 4, 5], await IdsAsync());
        Assert.Equal("DELETE 4", await _db.ExecAsync("DELETE FROM users"));
        Assert.Empty(await IdsAsync());
        Assert.Equal(0L, (await _db.QueryAsync("SELECT COUNT(*) FROM users"))[0][0]);
    }

    [Fact]
    public async Task Deletes_survive_a_restart()
    {
        await _db.ExecAllAsync("DELETE FROM users WHERE id IN (1, 5)", "INSERT INTO users VALUES (3, 'cc')");
        await _db.RestartAsync();
        Assert.Equal([2, 3, 4], await IdsAsync());
        Assert.Equal([3, "cc"], Assert.Single(await _db.QueryAsync("SELECT * FROM users WHERE id = 3")));
    }

    [Fact]
    public async Task Other_predicates_and_streams_are_refused_with_0A000_and_nothing_is_deleted()
    {
        var error = await _db.FailsAsync("DELETE FROM users WHERE name = 'a'");
        Assert.Equal(SqlState.FeatureNotSupported, error.SqlState);
        Assert.Contains("PRIMARY KEY", error.Message);
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("DELETE FROM users WHERE id = 1 AND name = 'a'")).SqlState);
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.FailsAsync("DELETE FROM users WHERE id > 1")).SqlState);
        await _db.ExecAsync("CREATE STREAM events (x INT)");
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.FailsAsync("DELETE FROM events")).SqlState);
        Assert.Equal(SqlState.UndefinedTable, (await _db.FailsAsync("DELETE FROM nope WHERE id = 1")).SqlState);
        Assert.Equal(SqlState.UndefinedColumn, (await _db.FailsAsync("DELETE FROM users WHERE nope = 1")).SqlState);
        Assert.Equal([1, 2, 3, 4, 5], await IdsAsync());
    }

    [Fact]
    public async Task A_push_query_on_a_table_streams_deletes_as_the_key_with_null_values()
    {
        await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
        await _db.ExecAllAsync("DELETE FROM users WHERE id = 1", "INSERT INTO users VALUES (6, 'f')");
        await using var result = await _db.Session.ExecuteAsync("SELECT id, name FROM users EMIT CHANGES LIMIT 7");
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        Assert.Equal(7, rows.Count);
        Assert.Contains(rows, r => (int)r[0]! == 6);
        // Key 1's upsert, then its delete, in its partition's order (as ksqlDB's tombstone row).
        Assert.Equal([(object?)"a", null], rows.Where(r => (int)r[0]! == 1).Select(r => r[1]));
        Assert.Single(rows, r => r[1] is null);
    }

    [Fact]
    public async Task Deletes_of_a_table_in_an_external_format_stream_too()
    {
        await _db.ExecAllAsync("CREATE TABLE j (id INT PRIMARY KEY, v STRING) WITH (VALUE_FORMAT = 'JSON', "
            + "KEY_FORMAT = 'JSON', PARTITIONS = 1)", "SET 'auto.offset.reset' = 'earliest'",
            "INSERT INTO j VALUES (7, 'x')", "DELETE FROM j WHERE id = 7");
        await using var result = await _db.Session.ExecuteAsync("SELECT * FROM j WHERE id = 7 EMIT CHANGES LIMIT 2");
        Assert.Equal([[7, "x"], [7, null]], await EngineFixture.ReadAllAsync(result.Rows!));
    }
}
