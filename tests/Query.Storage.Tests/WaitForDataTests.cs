using Query.Testing;

namespace Query.Storage.Tests;

public sealed class WaitForDataTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Completes_at_once_when_data_is_already_there()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 1);
        Assert.True(IsCompletedSuccessfully(partition.WaitForDataAsync(0, CancellationToken.None)));
        var pending = partition.WaitForDataAsync(1, CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);
        await StorageTestKit.AppendAsync(partition, 1, 1);
        await pending.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static bool IsCompletedSuccessfully(ValueTask task) => task.IsCompletedSuccessfully;

    [Fact]
    public async Task Waiting_without_a_token_allocates_nothing_per_waiter_when_data_is_there()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 1);
        IsCompletedSuccessfully(partition.WaitForDataAsync(0, CancellationToken.None));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            IsCompletedSuccessfully(partition.WaitForDataAsync(0, CancellationToken.None));
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public async Task A_thousand_waiters_all_wake_on_one_append()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { Durability = DurabilityMode.None }).GetPartition(0);
        var waits = new Task[1000];
        for (var i = 0; i < waits.Length; i++)
            waits[i] = partition.WaitForDataAsync(0, CancellationToken.None).AsTask();
        await Task.Delay(20);
        Assert.All(waits, w => Assert.False(w.IsCompleted));
        await StorageTestKit.AppendAsync(partition, 0, 1);
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Waits_until_the_end_offset_passes_the_requested_offset()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { Durability = DurabilityMode.None }).GetPartition(0);
        var wait = partition.WaitForDataAsync(5, CancellationToken.None).AsTask();
        await StorageTestKit.AppendAsync(partition, 0, 5);
        await Task.Delay(20);
        Assert.False(wait.IsCompleted);
        await StorageTestKit.AppendAsync(partition, 5, 1);
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancellation_and_deletion_end_a_wait()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        using var cancellation = new CancellationTokenSource();
        var cancelled = partition.WaitForDataAsync(0, cancellation.Token).AsTask();
        var deleted = partition.WaitForDataAsync(0, CancellationToken.None).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        store.DeleteLog("t");
        await Assert.ThrowsAsync<LogDeletedException>(() => deleted.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
