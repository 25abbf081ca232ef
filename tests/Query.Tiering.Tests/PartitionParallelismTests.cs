using Query.Tiering.Archival;

namespace Query.Tiering.Tests;

/// <summary>Partitions archived at once: every partition runs once, never more at once than asked, and a failure
/// is thrown only after every partition has finished.</summary>
public sealed class PartitionParallelismTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_partition_runs_once_and_never_more_than_the_parallelism_at_once(int parallelism)
    {
        var runs = new int[7];
        int running = 0, most = 0;
        await PartitionParallelism.ForEachAsync(runs.Length, parallelism, async p =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(30);
            Interlocked.Increment(ref runs[p]);
            Interlocked.Decrement(ref running);
        });
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.InRange(most, 1, parallelism);
        if (parallelism > 1)
            Assert.True(most > 1, "the partitions ran one after another");
    }

    [Fact]
    public async Task A_failure_is_thrown_after_every_partition_has_finished_the_first_by_partition()
    {
        var finished = new bool[5];
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PartitionParallelism.ForEachAsync(finished.Length, 2, async p =>
            {
                await Task.Delay(p == 1 ? 60 : 10);
                finished[p] = true;
                if (p is 1 or 3)
                    throw new InvalidOperationException($"partition {p}");
            }));
        Assert.Equal("partition 1", error.Message);
        Assert.All(finished, Assert.True);
    }

    [Fact]
    public async Task A_parallelism_below_one_is_refused() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            PartitionParallelism.ForEachAsync(2, 0, _ => Task.CompletedTask));

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value
            && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
