using Query.Testing;

namespace Query.Storage.Tests;

public sealed class DurabilityTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Sync_fsyncs_before_each_acknowledgement()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 10);
        Assert.Equal(10, partition.SyncCount);
    }

    [Fact]
    public async Task Sync_with_concurrent_appenders_shares_fsyncs_group_commit()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        const int Appenders = 32, Each = 20;
        var tasks = new Task[Appenders];
        for (var t = 0; t < Appenders; t++)
        {
            tasks[t] = Task.Run(async () =>
            {
                using var batch = new RecordBatchBuilder();
                for (var i = 0; i < Each; i++)
                {
                    batch.Clear();
                    batch.Add(1, new byte[100]);
                    await partition.AppendAsync(batch);
                }
            });
        }
        await Task.WhenAll(tasks);
        Assert.Equal(Appenders * Each, partition.EndOffset);
        Assert.True(partition.SyncCount < Appenders * Each / 2,
            $"{partition.SyncCount} fsyncs for {Appenders * Each} appends");
    }

    [Fact]
    public async Task None_never_fsyncs_while_open()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { Durability = DurabilityMode.None }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 50, batchSize: 5);
        Assert.Equal(0, partition.SyncCount);
        StorageTestKit.AssertRecords(partition, 0, 50);
    }

    [Fact]
    public async Task Interval_acknowledges_first_and_fsyncs_on_the_timer()
    {
        using var store = LogStore.Open(_directory.Path);
        var options = new LogOptions
        {
            Durability = DurabilityMode.Interval,
            FlushInterval = TimeSpan.FromMilliseconds(50)
        };
        var partition = store.CreateLog("t", options).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 1);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (partition.SyncCount == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.Equal(1, partition.SyncCount);
        await Task.Delay(200);
        Assert.Equal(1, partition.SyncCount);     // nothing new: the timer does not fsync a clean file
    }
}
