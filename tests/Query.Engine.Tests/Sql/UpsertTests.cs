using Query.Engine.Errors;

namespace Query.Engine.Tests.Sql;

/// <summary>INSERT ... ON CONFLICT on tables (upserts over the changelog) and its refusal on streams. Expected
/// answers are PostgreSQL 15's for the same statements on a table with a PRIMARY KEY.</summary>
public sealed class UpsertTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE counters (id INT PRIMARY KEY, n BIGINT, label STRING) WITH (PARTITIONS = 2)",
        "INSERT INTO counters (id, n, label) VALUES (1, 10, 'a'), (2, 20, 'b')",
        "CREATE STREAM events (id INT KEY, v INT) WITH (PARTITIONS = 1)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<List<object?[]>> RowsAsync() => _db.QueryAsync("SELECT id, n, label FROM counters ORDER BY id");

    [Fact]
    public async Task Do_nothing_skips_existing_keys_and_later_duplicates_and_counts_the_rows_written()
    {
        Assert.Equal("INSERT 0 2", await _db.ExecAsync("INSERT INTO counters (id, n, label) VALUES (1, 99, 'x'), "
            + "(3, 30, 'c'), (3, 31, 'd'), (4, 40, 'e') ON CONFLICT (id) DO NOTHING"));
        Assert.Equal([[1, 10L, "a"], [2, 20L, "b"], [3, 30L, "c"], [4, 40L, "e"]], await RowsAsync());
        Assert.Equal("INSERT 0 0", await _db.ExecAsync(
            "INSERT INTO counters VALUES (2, 0, 'z') ON CONFLICT DO NOTHING"));
        Assert.Equal("INSERT 0 0", await _db.ExecAsync(
            "INSERT INTO counters VALUES (2, 0, 'z') ON CONFLICT ON CONSTRAINT counters_pkey DO NOTHING"));
        Assert.Equal(20L, (await RowsAsync())[1][1]);
    }

    [Fact]
    public async Task Do_update_reads_the_row_by_the_table_name_and_the_proposed_row_by_excluded()
    {
        Assert.Equal("INSERT 0 2", await _db.ExecAsync("INSERT INTO counters (id, n, label) VALUES (1, 5, 'new'), "
            + "(7, 70, 'g') ON CONFLICT (id) DO UPDATE SET n = counters.n + excluded.n, label = excluded.label"));
        Assert.Equal([[1, 15L, "new"], [2, 20L, "b"], [7, 70L, "g"]], await RowsAsync());
        // WHERE false skips the row; columns not assigned keep their value.
        Assert.Equal("INSERT 0 0", await _db.ExecAsync("INSERT INTO counters VALUES (2, 1, 'q') "
            + "ON CONFLICT (id) DO UPDATE SET n = 0 WHERE counters.n > 100"));
        Assert.Equal("INSERT 0 1", await _db.ExecAsync("INSERT INTO counters VALUES (2, 1, 'q') "
            + "ON CONFLICT (id) DO UPDATE SET n = 0 WHERE counters.label = 'b'"));
        Assert.Equal([2, 0L, "b"], (await RowsAsync())[1]);
    }

    [Fact]
    public async Task Upserts_survive_a_restart_as_ordinary_changelog_records()
    {
        await _db.ExecAsync("INSERT INTO counters VALUES (1, 1, 'x') ON CONFLICT (id) DO UPDATE SET n = 111");
        await _db.RestartAsync();
        Assert.Equal([1, 111L, "a"], (await RowsAsync())[0]);
    }

    [Fact]
    public async Task Concurrent_do_nothing_inserts_of_one_key_write_it_once()
    {
        var sessions = Enumerable.Range(0, 8).Select(_ => _db.Engine.CreateSession()).ToList();
        var tags = await Task.WhenAll(sessions.Select(async (s, i) =>
        {
            await using var result = await s.ExecuteAsync(
                $"INSERT INTO counters VALUES (50, {i}, 'c') ON CONFLICT (id) DO NOTHING");
            return result.CommandTag;
        }));
        Assert.Equal(1, tags.Count(t => t == "INSERT 0 1"));
        Assert.Equal(7, tags.Count(t => t == "INSERT 0 0"));
    }

    [Fact]
    public async Task Errors_are_postgresql_s()
    {
        Assert.Equal("21000", (await _db.FailsAsync("INSERT INTO counters VALUES (5, 1, 'a'), (5, 2, 'b') "
            + "ON CONFLICT (id) DO UPDATE SET n = excluded.n")).SqlState);
        Assert.Equal("42P10", (await _db.FailsAsync(
            "INSERT INTO counters VALUES (5, 1, 'a') ON CONFLICT (n) DO NOTHING")).SqlState);
        Assert.Equal(SqlState.SyntaxError, (await _db.FailsAsync(
            "INSERT INTO counters VALUES (5, 1, 'a') ON CONFLICT DO UPDATE SET n = 1")).SqlState);
        Assert.Equal(SqlState.UndefinedObject, (await _db.FailsAsync(
            "INSERT INTO counters VALUES (5, 1, 'a') ON CONFLICT ON CONSTRAINT nope DO NOTHING")).SqlState);
        Assert.Equal(SqlState.AmbiguousColumn, (await _db.FailsAsync(
            "INSERT INTO counters VALUES (1, 1, 'a') ON CONFLICT (id) DO UPDATE SET n = n + 1")).SqlState);
        Assert.Equal(SqlState.UndefinedColumn, (await _db.FailsAsync(
            "INSERT INTO counters VALUES (1, 1, 'a') ON CONFLICT (id) DO UPDATE SET nope = 1")).SqlState);
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.FailsAsync(
            "INSERT INTO counters VALUES (1, 1, 'a') ON CONFLICT (id) DO UPDATE SET id = 2")).SqlState);
        Assert.Equal(SqlState.NotNullViolation, (await _db.FailsAsync(
            "INSERT INTO counters VALUES (NULL, 1, 'a') ON CONFLICT DO NOTHING")).SqlState);
        // A failed statement writes nothing.
        Assert.Equal(2, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task On_a_stream_it_is_0A000_saying_streams_are_append_only()
    {
        var error = await _db.FailsAsync("INSERT INTO events VALUES (1, 1) ON CONFLICT DO NOTHING");
        Assert.Equal(SqlState.FeatureNotSupported, error.SqlState);
        Assert.Contains("append-only", error.Message);
        Assert.Empty(await _db.QueryAsync("SELECT * FROM events"));
    }
}
