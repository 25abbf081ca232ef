using System.Globalization;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>
/// Stream time per source partition (Kafka Streams' per-task stream time): when the GROUP BY holds the source's key,
/// a partition far ahead does not make another partition's records late, nor close or expire its windows; records
/// late within their own partition are still dropped, also after a restart. A GROUP BY of another column keeps one
/// stream time over all partitions (ksqlDB re-partitions it, and every source partition feeds every task).
/// </summary>
public sealed class WindowedStreamTimeTests : WindowedStreamTestBase
{
    // Two keys in different partitions of the 2-partition stream (Kafka's partitioner over the INT key).
    private readonly int _fast;
    private readonly int _slow;

    public WindowedStreamTimeTests()
        : base(partitions: 2)
    {
        var keys = Enumerable.Range(1, 20).Select(k => (Key: k, Partition: KafkaPartitioner.Partition(
            KafkaPartitioner.SerializeKey(Cell.FromInt64(k), SqlType.Int), 2))).ToList();
        _fast = keys.First(k => k.Partition == 0).Key;
        _slow = keys.First(k => k.Partition == 1).Key;
    }

    private async Task<List<string>> RowsAsync(string sql)
    {
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        return [.. (await Db.QueryAsync(sql)).Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r[0]}@{r[1]}={r[2]}")).Order(StringComparer.Ordinal)];
    }

    private async Task<long> LateDroppedAsync()
    {
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        return (long)(await Db.QueryAsync("SHOW QUERIES EXTENDED")).Single()[^1]!;
    }

    private string Row(int key, long start, long count) =>
        string.Create(CultureInfo.InvariantCulture, $"{key}@{start}={count}");

    [Fact]
    public async Task A_partition_far_ahead_does_not_make_another_partitions_records_late()
    {
        await Db.ExecAsync("CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM ev WINDOW TUMBLING (SIZE 10 SECONDS, "
            + "GRACE PERIOD 0 SECONDS) GROUP BY k EMIT CHANGES");
        var plan = string.Join("\n", (await Db.QueryAsync("EXPLAIN " + (string)(await Db.QueryAsync(
            "SHOW QUERIES")).Single()[0]!)).Select(r => r[0]));
        Assert.Contains("stream time per partition (2)", plan, StringComparison.Ordinal);
        await InsertAsync((_fast, 0, 100_000));
        await InsertAsync((_slow, 0, 5_000), (_slow, 0, 6_000));   // behind the fast partition, not late in its own
        Assert.Equal(0, await LateDroppedAsync());
        Assert.Equal(new[] { Row(_fast, 100_000, 1), Row(_slow, 0, 2) }.Order(StringComparer.Ordinal),
            await RowsAsync("SELECT k, WINDOWSTART, n FROM t"));
        // Late within its own partition: the slow partition's stream time is now 30 s.
        await InsertAsync((_slow, 0, 30_500));
        await InsertAsync((_slow, 0, 7_000));
        Assert.Equal(1, await LateDroppedAsync());
        // Each partition's stream time is committed with the state: still late after a restart, and the slow
        // partition's open window still open.
        await Db.RestartAsync();
        await InsertAsync((_slow, 0, 8_000), (_slow, 0, 31_000));
        Assert.Equal(2, await LateDroppedAsync());
        Assert.Contains(Row(_slow, 30_000, 2), await RowsAsync("SELECT k, WINDOWSTART, n FROM t"));
    }

    [Fact]
    public async Task Emit_final_closes_a_window_by_its_own_partitions_stream_time()
    {
        await Db.ExecAsync("CREATE TABLE f AS SELECT k, COUNT(*) AS n FROM ev WINDOW TUMBLING (SIZE 10 SECONDS, "
            + "GRACE PERIOD 0 SECONDS) GROUP BY k EMIT FINAL");
        await InsertAsync((_slow, 0, 1_000), (_slow, 0, 2_000));
        await InsertAsync((_fast, 0, 50_000), (_fast, 0, 61_000));
        // The fast partition closed its own window [50 s, 60 s); the slow partition's [0, 10 s) is still open.
        Assert.Equal([Row(_fast, 50_000, 1)], await RowsAsync("SELECT k, WINDOWSTART, n FROM f"));
        await InsertAsync((_slow, 0, 3_000), (_slow, 0, 12_000));
        Assert.Equal(new[] { Row(_fast, 50_000, 1), Row(_slow, 0, 3) }.Order(StringComparer.Ordinal),
            await RowsAsync("SELECT k, WINDOWSTART, n FROM f"));
        Assert.Equal(0, await LateDroppedAsync());
    }

    [Fact]
    public async Task A_group_by_of_another_column_keeps_one_stream_time_over_all_partitions()
    {
        await Db.ExecAsync("CREATE TABLE g AS SELECT x, COUNT(*) AS n FROM ev WINDOW TUMBLING (SIZE 10 SECONDS, "
            + "GRACE PERIOD 0 SECONDS) GROUP BY x EMIT CHANGES");
        var plan = string.Join("\n", (await Db.QueryAsync("EXPLAIN " + (string)(await Db.QueryAsync(
            "SHOW QUERIES")).Single()[0]!)).Select(r => r[0]));
        Assert.DoesNotContain("stream time per partition", plan, StringComparison.Ordinal);
        await InsertAsync((_fast, 1, 100_000));
        await InsertAsync((_slow, 2, 5_000));
        Assert.Equal(1, await LateDroppedAsync());
        Assert.Equal(["1@100000=1"], await RowsAsync("SELECT x, WINDOWSTART, n FROM g"));
    }
}
