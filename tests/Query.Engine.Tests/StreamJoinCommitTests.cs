namespace Query.Engine.Tests;

/// <summary>When a persistent stream-stream join commits while it works through a backlog: at the end of every merge
/// round (once its commit interval has passed), also when the round joined nothing, so its offsets and output become
/// durable and readable round by round rather than only once it has caught up.</summary>
public sealed class StreamJoinCommitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static string Rows(string stream, int firstKey, int count) =>
        $"INSERT INTO {stream} (k, v, ROWTIME) VALUES " + string.Join(", ",
            Enumerable.Range(0, count).Select(i => $"({firstKey + i}, {i}, {1000 + i})"));

    [Fact]
    public async Task A_backlog_that_joins_nothing_still_commits_round_by_round()
    {
        // Small batches and a commit due at every opportunity: the backlog takes many rounds.
        await using var db = new EngineFixture(o => o with { BatchRows = 16, PersistentCommitIntervalMs = 0 });
        await db.ExecAllAsync("CREATE STREAM l (k INT KEY, v INT) WITH (PARTITIONS = 2)",
            "CREATE STREAM r (k INT KEY, v INT)", "SET 'auto.offset.reset' = 'earliest'",
            Rows("l", 0, 2000), Rows("r", 100_000, 2000),
            "CREATE STREAM j AS SELECT l.k, r.v FROM l JOIN r WITHIN 1 HOUR ON l.k = r.k EMIT CHANGES");
        Assert.True(await db.Engine.WaitForPersistentQueriesAsync(Timeout));
        var query = db.Engine.Queries.List().Single(q => q.Definition.Sink == "j");
        Assert.Null(query.Error);
        Assert.Empty(await db.QueryAsync("SELECT * FROM j"));
        // 4,000 rows in 16-row batches, a round joining at most a few batches of each side: dozens of rounds, each a
        // commit. (A round that joined nothing used to go straight on to the next: one commit, once caught up.)
        Assert.True(query.Commits >= 20, $"{query.Commits} commits");
    }
}
