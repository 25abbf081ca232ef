using System.Globalization;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>CREATE TABLE AS SELECT ... GROUP BY: aggregates, restart with restored state, limits.</summary>
public sealed class PersistentAggregateTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new(options => options with { PersistentCommitIntervalMs = 20 });

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM s (k INT KEY, g STRING, x INT) WITH (PARTITIONS = 4, DURABILITY = 'NONE')",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private const string AllAggregates = "CREATE TABLE agg AS SELECT g, COUNT(*) AS n, SUM(x) AS total, AVG(x) AS mean, "
        + "MIN(x) AS lo, MAX(x) AS hi, COUNT_DISTINCT(x) AS distinct_x, LATEST_BY_OFFSET(x) AS latest, "
        + "EARLIEST_BY_OFFSET(x) AS earliest, COLLECT_LIST(x) AS xs, COLLECT_SET(x) AS xset FROM s WHERE x >= 0 "
        + "GROUP BY g EMIT CHANGES";

    private const string Recomputed = "SELECT g, COUNT(*) AS n, SUM(x) AS total, AVG(x) AS mean, MIN(x) AS lo, "
        + "MAX(x) AS hi, COUNT_DISTINCT(x) AS distinct_x, LATEST_BY_OFFSET(x) AS latest, EARLIEST_BY_OFFSET(x) AS "
        + "earliest, COLLECT_LIST(x) AS xs, COLLECT_SET(x) AS xset FROM s WHERE x >= 0 GROUP BY g";

    /// <summary>The table's current rows: the latest changelog row per key (also right once a table is a table).
    /// </summary>
    private async Task<Dictionary<string, string>> TableAsync(string table, string columns)
    {
        var rows = await _db.QueryAsync($"SELECT {columns}, ROWPARTITION, ROWOFFSET FROM {table}");
        var latest = new Dictionary<string, (long, string)>();
        foreach (var row in rows)
        {
            var offset = (long)row[^1]!;
            var text = string.Join("|", row[..^2].Select(Text));
            var key = Text(row[0]);
            if (!latest.TryGetValue(key, out var seen) || seen.Item1 < offset)
                latest[key] = (offset, text);
        }
        return latest.ToDictionary(e => e.Key, e => e.Value.Item2);
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list and not string =>
            "[" + string.Join(",", list.Cast<object?>().Select(Text).Order()) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private async Task<Dictionary<string, string>> RecomputeAsync(string sql)
    {
        var rows = await _db.QueryAsync(sql);
        return rows.ToDictionary(r => Text(r[0]), r => string.Join("|", r.Select(Text)));
    }

    private async Task WaitUntilEqualAsync(string table, string columns, string recompute)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var expected = await RecomputeAsync(recompute);
            var actual = await TableAsync(table, columns);
            if (expected.Count == actual.Count && expected.All(e => actual.TryGetValue(e.Key, out var a) && a == e.Value))
                return;
            if (DateTime.UtcNow > deadline)
                Assert.Equal(expected.OrderBy(e => e.Key), actual.OrderBy(e => e.Key));
            await Task.Delay(25);
        }
    }

    private const string Columns = "g, n, total, mean, lo, hi, distinct_x, latest, earliest, xs, xset";

    [Fact]
    public async Task Ctas_with_every_aggregate_equals_a_batch_recomputation()
    {
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'a', 5), (2, 'b', 7), (1, 'a', 5), (1, 'a', -1)");
        Assert.Equal("CREATE TABLE", await _db.ExecAsync(AllAggregates));
        await _db.ExecAsync("INSERT INTO s VALUES (2, 'b', 1), (3, 'c', 3), (1, 'a', 9)");
        await WaitUntilEqualAsync("agg", Columns, Recomputed);
        var describe = await _db.QueryAsync("DESCRIBE agg");
        Assert.Equal("g", describe[0][0]);
    }

    [Fact]
    public async Task The_aggregate_state_survives_restarts()
    {
        await _db.ExecAsync(AllAggregates);
        var random = new Random(7);
        for (var round = 0; round < 3; round++)
        {
            // Each group's rows share a key, so one partition holds them in order: LATEST_BY_OFFSET and
            // COLLECT_LIST then have one right answer (across partitions offsets do not order rows).
            var values = string.Join(", ", Enumerable.Range(0, 50).Select(i => random.Next(5)).Select(g =>
                $"({g}, '{(char)('a' + g)}', {random.Next(-2, 20)})"));
            await _db.ExecAsync($"INSERT INTO s VALUES {values}");
            await WaitUntilEqualAsync("agg", Columns, Recomputed);
            await _db.RestartAsync();
        }
        await _db.ExecAsync("INSERT INTO s VALUES (25, 'z', 1)");
        await WaitUntilEqualAsync("agg", Columns, Recomputed);
        var show = (await _db.QueryAsync("SHOW QUERIES EXTENDED")).Single();
        Assert.Equal("RUNNING", show[2]);
        Assert.Equal(151L, show[7]);
    }

    [Fact]
    public async Task A_ctas_is_a_table_whose_pull_queries_answer_from_its_state()
    {
        await _db.ExecAsync("CREATE TABLE counts AS SELECT g, COUNT(*) AS n FROM s GROUP BY g EMIT CHANGES");
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'a', 1), (1, 'a', 2), (2, 'b', 5)");
        await _db.Engine.WaitForPersistentQueriesAsync(Timeout);
        Assert.Equal([[2L]], await _db.QueryAsync("SELECT n FROM counts WHERE g = 'a'"));
        Assert.Equal(2, (await _db.QueryAsync("SELECT * FROM counts")).Count);
        Assert.Contains(await _db.QueryAsync("SHOW TABLES"), r => (string)r[0]! == "counts");
        Assert.Equal(SqlState.DependentObjectsStillExist, (await _db.FailsAsync("DROP TABLE counts")).SqlState);
        // MIN over a table: refused as ksqlDB refuses it (a stream-only aggregate).
        Assert.Equal(SqlState.WrongObjectType, (await _db.FailsAsync(
            "CREATE TABLE again AS SELECT n, MIN(n) AS c FROM counts GROUP BY n EMIT CHANGES")).SqlState);
    }

    [Fact]
    public async Task Having_and_expressions_over_aggregates()
    {
        await _db.ExecAsync("CREATE TABLE big AS SELECT g, SUM(x) * 2 AS twice FROM s GROUP BY g HAVING COUNT(*) > 1 "
            + "EMIT CHANGES");
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'a', 1), (2, 'a', 2), (3, 'b', 5)");
        await WaitUntilEqualAsync("big", "g, twice",
            "SELECT g, SUM(x) * 2 AS twice FROM s GROUP BY g HAVING COUNT(*) > 1");
    }

    [Fact]
    public async Task Ctas_needs_a_single_group_key_in_the_projection()
    {
        Assert.Equal(SqlState.GroupingError,
            (await _db.FailsAsync("CREATE TABLE t AS SELECT COUNT(*) AS n FROM s GROUP BY g EMIT CHANGES")).SqlState);
        // Two key columns need a key format that holds them (the source's is KAFKA): 42P16, as ksqlDB refuses it.
        Assert.Equal("42P16",
            (await _db.FailsAsync("CREATE TABLE t AS SELECT g, x, COUNT(*) FROM s GROUP BY g, x EMIT CHANGES"))
                .SqlState);
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("CREATE TABLE t AS SELECT g, x FROM s EMIT CHANGES")).SqlState);
    }

    [Fact]
    public async Task A_query_past_its_state_limit_fails_alone_with_an_error_in_show_queries()
    {
        await using var small = new EngineFixture(options => options with { PersistentStateBytes = 20_000 });
        await small.ExecAllAsync("CREATE STREAM s (k INT KEY, g STRING, x INT)",
            "CREATE TABLE t AS SELECT g, COUNT(*) AS n FROM s GROUP BY g EMIT CHANGES");
        var values = string.Join(", ", Enumerable.Range(0, 2000).Select(i => $"({i}, 'group {i}', {i})"));
        await small.ExecAsync($"INSERT INTO s VALUES {values}");
        var deadline = DateTime.UtcNow + Timeout;
        object?[] show;
        do
        {
            await Task.Delay(25);
            show = (await small.QueryAsync("SHOW QUERIES EXTENDED")).Single();
        }
        while ((string)show[2]! != "ERROR" && DateTime.UtcNow < deadline);
        Assert.Equal("ERROR", show[2]);
        Assert.Contains("memory", (string)show[12]!);
        Assert.Single(await small.QueryAsync("SELECT COUNT(*) FROM s"));
    }
}
