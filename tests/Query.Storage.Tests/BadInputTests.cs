using Query.Testing;

namespace Query.Storage.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_record_over_the_max_size_is_refused_and_the_log_is_unchanged()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { MaxRecordBytes = 1000 }).GetPartition(0);
        using var batch = new RecordBatchBuilder();
        batch.Add(1, new byte[10]);
        batch.Add(1, new byte[2000]);
        var error = await Assert.ThrowsAsync<RecordTooLargeException>(async () => await partition.AppendAsync(batch));
        Assert.Equal(1000, error.MaxBytes);
        Assert.Equal(0, partition.EndOffset);
        await StorageTestKit.AppendAsync(partition, 0, 3);
        StorageTestKit.AssertRecords(partition, 0, 3);
    }

    [Fact]
    public void A_batch_over_64_MiB_is_refused_by_the_builder()
    {
        using var batch = new RecordBatchBuilder();
        var big = new byte[40 << 20];
        batch.Add(1, big);
        Assert.Throws<RecordTooLargeException>(() => batch.Add(1, big));
        Assert.Equal(1, batch.Count);
    }

    [Fact]
    public async Task A_deleted_log_refuses_appends_and_reads_and_its_files_are_gone()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 3);
        store.DeleteLog("t");
        Assert.False(store.TryGetLog("t", out _));
        Assert.Empty(store.LogNames);
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "t")));
        await Assert.ThrowsAsync<LogDeletedException>(() => StorageTestKit.AppendAsync(partition, 3, 1));
        Assert.Throws<LogDeletedException>(() => partition.OpenReader(0));
        Assert.Throws<LogNotFoundException>(() => store.DeleteLog("t"));
        var again = store.CreateLog("t", new LogOptions()).GetPartition(0);
        Assert.Equal(0, again.EndOffset);
    }

    [Fact]
    public void Names_options_and_partitions_are_checked()
    {
        using var store = LogStore.Open(_directory.Path);
        var log = store.CreateLog("t", new LogOptions { Partitions = 2 });
        Assert.Throws<LogAlreadyExistsException>(() => store.CreateLog("t", new LogOptions()));
        foreach (var name in new[] { "", ".hidden", "a/b", "a b", "..", new string('x', 201) })
            Assert.Throws<ArgumentException>(() => store.CreateLog(name, new LogOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.CreateLog("x", new LogOptions { Partitions = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.CreateLog("x", new LogOptions { SegmentMaxBytes = 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.CreateLog("x", new LogOptions { RetentionMs = -2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.GetPartition(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.GetPartition(-1));
        Assert.Throws<LogNotFoundException>(() => store.DeleteLog("nope"));
    }

    [Fact]
    public async Task An_empty_batch_and_a_cancelled_append_write_nothing()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        using var batch = new RecordBatchBuilder();
        await Assert.ThrowsAsync<ArgumentException>(async () => await partition.AppendAsync(batch));
        batch.Add(1, "x"u8);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await partition.AppendAsync(batch,
            cancelled.Token));
        Assert.Equal(0, partition.EndOffset);
        Assert.Equal(0, partition.GetSegments()[0].SizeBytes);
    }

    [Fact]
    public async Task A_full_disk_fails_the_append_with_StorageFullException_and_the_log_stays_consistent()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 5);
            var sizeBefore = partition.GetSegments()[0].SizeBytes;
            var full = true;
            partition.WriteFault = (path, position, count) =>
            {
                if (!full)
                    return;
                // Part of the data reaches the file before the device fills up, as a real short write would.
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                    stream.Position = position;
                    stream.Write(new byte[count / 2]);
                }
                throw new IOException("No space left on device", 28);
            };
            var error = await Assert.ThrowsAsync<StorageFullException>(() => StorageTestKit.AppendAsync(partition, 5,
                1));
            Assert.IsType<IOException>(error.InnerException);
            Assert.Equal(5, partition.EndOffset);
            Assert.Equal(sizeBefore, new FileInfo(partition.GetSegments()[0].FilePath).Length);
            StorageTestKit.AssertRecords(partition, 0, 5);
            full = false;
            await StorageTestKit.AppendAsync(partition, 5, 5);
            StorageTestKit.AssertRecords(partition, 0, 10);
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            Assert.True(store.TryGetLog("t", out var log));
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 10);
        }
    }

    [Fact]
    public async Task A_failed_write_that_is_not_a_full_disk_fails_the_partition_until_reopened()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 2);
            partition.WriteFault = (_, _, _) => throw new IOException("Input/output error", 5);
            await Assert.ThrowsAsync<StorageException>(() => StorageTestKit.AppendAsync(partition, 2, 1));
            partition.WriteFault = null;
            await Assert.ThrowsAsync<StorageException>(() => StorageTestKit.AppendAsync(partition, 2, 1));
            StorageTestKit.AssertRecords(partition, 0, 2);
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            Assert.True(store.TryGetLog("t", out var log));
            await StorageTestKit.AppendAsync(log.GetPartition(0), 2, 1);
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 3);
        }
    }
}
