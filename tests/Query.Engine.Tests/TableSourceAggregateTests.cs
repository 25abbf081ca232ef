using System.Globalization;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// GROUP BY over a table source (CREATE TABLE AS SELECT and push queries): an update of a table row takes its old
/// values out of its old group and adds the new ones (to a possibly different group); a delete only takes them out.
/// </summary>
public sealed class TableSourceAggregateTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new(options => options with { PersistentCommitIntervalMs = 20 });

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE users (id INT PRIMARY KEY, region STRING, score INT) WITH (PARTITIONS = 3)",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private const string ByRegion = "CREATE TABLE by_region AS SELECT region, COUNT(*) AS n, SUM(score) AS total, "
        + "AVG(score) AS mean, COLLECT_LIST(score) AS scores FROM users GROUP BY region EMIT CHANGES";

    /// <summary>The CTAS table as "region|n|total|mean|sorted scores" per region.</summary>
    private async Task<Dictionary<string, string>> ByRegionAsync() =>
        (await _db.QueryAsync("SELECT region, n, total, mean, ARRAY_SORT(scores) FROM by_region")).ToDictionary(
            r => (string)r[0]!, r => string.Join("|", r.Select(Text)));

    /// <summary>The same aggregate recomputed by a pull query over the table's current rows.</summary>
    private async Task<Dictionary<string, string>> RecomputedAsync() =>
        (await _db.QueryAsync("SELECT region, COUNT(*), SUM(score), AVG(score), ARRAY_SORT(COLLECT_LIST(score)) FROM users "
            + "GROUP BY region")).ToDictionary(r => (string)r[0]!, r => string.Join("|", r.Select(Text)));

    private static string Text(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    /// <summary>Waits until the CTAS equals the recomputation; groups emptied by updates stay with COUNT 0 (as in
    /// ksqlDB), which the recomputation does not have.</summary>
    private async Task WaitUntilEqualAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            await _db.Engine.WaitForPersistentQueriesAsync(Timeout);
            var expected = await RecomputedAsync();
            var actual = (await ByRegionAsync()).Where(e => !e.Value.Contains("|0|", StringComparison.Ordinal))
                .ToDictionary();
            if (expected.Count == actual.Count && expected.All(e => actual.TryGetValue(e.Key, out var a)
                && a == e.Value))
                return;
            if (DateTime.UtcNow > deadline)
                Assert.Equal(expected.OrderBy(e => e.Key), actual.OrderBy(e => e.Key));
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task An_update_moves_the_row_between_groups_and_a_delete_takes_it_out()
    {
        await _db.ExecAsync("INSERT INTO users VALUES (1, 'eu', 10), (2, 'eu', 20), (3, 'us', 5)");
        Assert.Equal("CREATE TABLE", await _db.ExecAsync(ByRegion));
        await _db.Engine.WaitForPersistentQueriesAsync(Timeout);
        Assert.Equal("eu|2|30|15|[10,20]", (await ByRegionAsync())["eu"]);
        await _db.ExecAsync("INSERT INTO users VALUES (2, 'us', 7)");          // eu -> us, new score
        await _db.ExecAsync("INSERT INTO users VALUES (1, 'eu', 11)");         // same group, new score
        await _db.ExecAsync("DELETE FROM users WHERE id = 3");
        await _db.Engine.WaitForPersistentQueriesAsync(Timeout);
        var rows = await ByRegionAsync();
        Assert.Equal("eu|1|11|11|[11]", rows["eu"]);
        Assert.Equal("us|1|7|7|[7]", rows["us"]);
        await _db.ExecAsync("DELETE FROM users WHERE id = 2");
        await _db.Engine.WaitForPersistentQueriesAsync(Timeout);
        // An emptied group stays, as ksqlDB's, with its SUM and AVG at 0 (ksqlDB's streaming SUM / AVG start at 0).
        Assert.Equal("us|0|0|0|[]", (await ByRegionAsync())["us"]);
    }

    [Fact]
    public async Task Streaming_sum_and_avg_of_only_nulls_are_zero_as_in_ksqldb_but_null_in_a_pull_query()
    {
        await _db.ExecAllAsync("CREATE STREAM ev (k INT KEY, v INT)", "INSERT INTO ev VALUES (1, NULL), (1, NULL)",
            "CREATE TABLE sums AS SELECT k, SUM(v) AS s, AVG(v) AS a, COUNT(v) AS c FROM ev GROUP BY k");
        await _db.Engine.WaitForPersistentQueriesAsync(Timeout);
        Assert.Equal([[1, 0L, 0.0, 0L]], await _db.QueryAsync("SELECT k, s, a, c FROM sums"));
        Assert.Equal([[1, null, null, 0L]],
            await _db.QueryAsync("SELECT k, SUM(v), AVG(v), COUNT(v) FROM ev GROUP BY k"));
    }

    [Fact]
    public async Task Random_updates_and_deletes_across_restarts_equal_a_recomputation()
    {
        await _db.ExecAsync(ByRegion);
        var random = new Random(11);
        for (var round = 0; round < 4; round++)
        {
            for (var statement = 0; statement < 10; statement++)
            {
                var values = string.Join(", ", Enumerable.Range(0, 20).Select(_ =>
                    $"({random.Next(40)}, 'r{random.Next(5)}', {random.Next(-5, 50)})"));
                await _db.ExecAsync($"INSERT INTO users VALUES {values}");
                await _db.ExecAsync($"DELETE FROM users WHERE id IN ({random.Next(40)}, {random.Next(40)})");
            }
            await WaitUntilEqualAsync();
            // The previous row of every key is part of the query's state: after a restart updates still retract.
            await _db.RestartAsync();
        }
        await _db.ExecAsync("INSERT INTO users VALUES (1, 'moved', 1), (2, 'moved', 2)");
        await WaitUntilEqualAsync();
        Assert.Equal("RUNNING", (await _db.QueryAsync("SHOW QUERIES")).Single()[2]);
    }

    [Fact]
    public async Task Output_rows_take_the_time_of_the_update_that_changed_them()
    {
        await _db.ExecAsync(ByRegion);
        await _db.ExecAsync("INSERT INTO users (id, region, score, ROWTIME) VALUES (1, 'eu', 1, 1000)");
        await _db.ExecAsync("INSERT INTO users (id, region, score, ROWTIME) VALUES (1, 'us', 1, 5000)");
        await _db.Engine.WaitForPersistentQueriesAsync(Timeout);
        var rows = await _db.QueryAsync("SELECT region, n, ROWTIME FROM by_region");
        Assert.Equal([["eu", 0L, 5000L], ["us", 1L, 5000L]], rows.OrderBy(r => (string)r[0]!)
            .Select(r => new object?[] { r[0], r[1], Convert.ToInt64(r[2], CultureInfo.InvariantCulture) }));
    }

    [Fact]
    public async Task Aggregates_that_cannot_retract_are_refused_over_a_table_as_ksqldb_does()
    {
        var error = await _db.FailsAsync(
            "CREATE TABLE t AS SELECT region, MIN(score) AS lo, MAX(score), COUNT(*) FROM users GROUP BY region");
        Assert.Equal(SqlState.WrongObjectType, error.SqlState);
        Assert.Contains("MIN and MAX cannot be applied to a table source", error.Message, StringComparison.Ordinal);
        foreach (var call in new[] { "COUNT_DISTINCT(score)", "COLLECT_SET(score)", "LATEST_BY_OFFSET(score)",
            "EARLIEST_BY_OFFSET(score)", "TOPK(score, 2)" })
        {
            Assert.Equal(SqlState.WrongObjectType, (await _db.FailsAsync(
                $"SELECT region, {call} FROM users GROUP BY region EMIT CHANGES")).SqlState);
        }
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.FailsAsync("SELECT region, COUNT(*) FROM users "
            + "WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY region EMIT CHANGES")).SqlState);
        Assert.Empty(await _db.QueryAsync("SHOW QUERIES"));
        // A pull query over the table's state computes them (nothing to retract there).
        Assert.Empty(await _db.QueryAsync("SELECT region, MIN(score) FROM users GROUP BY region"));
        Assert.Equal(SqlState.WrongObjectType,
            (await _db.FailsAsync("CREATE STREAM s2 AS SELECT id, region FROM users EMIT CHANGES")).SqlState);
    }

    [Fact]
    public async Task A_push_aggregation_over_a_table_retracts_the_old_row()
    {
        // From the earliest change (the fixture's setting), so the rows do not depend on when the push query's scan
        // starts relative to the INSERTs below. Each change is awaited before the next: changes read in one batch
        // are coalesced per group (the record cache), so three quick writes could show only the last state.
        await using var push = await _db.Session.ExecuteAsync(
            "SELECT region, COUNT(*) AS n, SUM(score) AS total FROM users GROUP BY region EMIT CHANGES LIMIT 4");
        var rows = new List<object?[]>();
        await _db.ExecAsync("INSERT INTO users VALUES (1, 'eu', 10)");
        rows.AddRange(await EngineFixture.ReadAllAsync(push.Rows!, 1).WaitAsync(Timeout));
        await _db.ExecAsync("INSERT INTO users VALUES (1, 'us', 3)");
        rows.AddRange(await EngineFixture.ReadAllAsync(push.Rows!, 2).WaitAsync(Timeout));
        await _db.ExecAsync("DELETE FROM users WHERE id = 1");
        rows.AddRange(await EngineFixture.ReadAllAsync(push.Rows!, 1).WaitAsync(Timeout));
        Assert.Equal(["eu|0|0", "eu|1|10", "us|0|0", "us|1|3"],
            rows.Select(r => string.Join("|", r.Select(Text))).Order());
    }
}
