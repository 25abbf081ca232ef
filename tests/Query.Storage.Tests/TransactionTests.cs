using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>
/// <see cref="LogTransaction"/>: shares over partitions of several logs become visible together or not at all,
/// after a commit, an abort, a full disk or an I/O error on one partition, and across a reopen.
/// </summary>
public sealed class TransactionTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-txn");
    private readonly List<RecordBatchBuilder> _builders = [];

    public void Dispose()
    {
        foreach (var builder in _builders)
            builder.Dispose();
        _directory.Dispose();
    }

    private RecordBatchBuilder Batch(long first, int count)
    {
        var batch = new RecordBatchBuilder();
        _builders.Add(batch);
        for (var n = first; n < first + count; n++)
            batch.Add(1_000 + n, StorageTestKit.ValueFor(n));
        return batch;
    }

    private static PartitionLog[] Partitions(LogStore store, params (string Log, int Partition)[] names)
    {
        var partitions = new PartitionLog[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            Assert.True(store.TryGetLog(names[i].Log, out var log));
            partitions[i] = log.GetPartition(names[i].Partition);
        }
        return partitions;
    }

    private static (string, int)[] ThreePartitionsOfTwoLogs => [("a", 0), ("a", 1), ("b", 0)];

    private static void CreateLogs(LogStore store, LogOptions? options = null)
    {
        store.CreateLog("a", options ?? new LogOptions { Partitions = 2 });
        store.CreateLog("b", new LogOptions { Partitions = 1 });
    }

    [Fact]
    public async Task A_transaction_over_partitions_of_two_logs_is_invisible_until_commit_then_visible_everywhere()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            CreateLogs(store);
            var partitions = Partitions(store, ThreePartitionsOfTwoLogs);
            await StorageTestKit.AppendAsync(partitions[0], 0, 3);
            using var transaction = store.BeginTransaction();
            for (var i = 0; i < partitions.Length; i++)
            {
                var first = i == 0 ? 3 : 0;
                transaction.Append(partitions[i], Batch(first, 4));
                transaction.Append(partitions[i], Batch(first + 4, 6));
            }
            Assert.Equal(3, transaction.PartitionCount);
            Assert.Equal(3, partitions[0].EndOffset);
            Assert.Equal(0, partitions[2].EndOffset);
            await transaction.CommitAsync();
            Assert.Equal(3, transaction.GetBaseOffset(partitions[0]));
            Assert.Equal(0, transaction.GetBaseOffset(partitions[1]));
            StorageTestKit.AssertRecords(partitions[0], 0, 13);
            StorageTestKit.AssertRecords(partitions[1], 0, 10);
            StorageTestKit.AssertRecords(partitions[2], 0, 10);
            Assert.Equal(1, store.Coordinator.CommitCount);
            await StorageTestKit.AppendAsync(partitions[1], 10, 2);
            StorageTestKit.AssertRecords(partitions[1], 0, 12);
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            var partitions = Partitions(store, ThreePartitionsOfTwoLogs);
            StorageTestKit.AssertRecords(partitions[0], 0, 13);
            StorageTestKit.AssertRecords(partitions[1], 0, 12);
            StorageTestKit.AssertRecords(partitions[2], 0, 10);
        }
    }

    [Fact]
    public async Task A_one_partition_transaction_of_several_batches_costs_one_fsync_and_no_commit_record()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        var syncsBefore = partition.SyncCount;
        var recordSyncsBefore = store.Coordinator.SyncCount;
        using (var transaction = store.BeginTransaction())
        {
            for (var b = 0; b < 5; b++)
                transaction.Append(partition, Batch(b * 10, 10));
            await transaction.CommitAsync();
            Assert.Equal(0, transaction.GetBaseOffset(partition));
        }
        Assert.Equal(syncsBefore + 1, partition.SyncCount);
        Assert.Equal(recordSyncsBefore, store.Coordinator.SyncCount);
        StorageTestKit.AssertRecords(partition, 0, 50);
    }

    [Fact]
    public async Task A_disposed_transaction_leaves_nothing_and_deletes_its_staged_files()
    {
        using var store = LogStore.Open(_directory.Path);
        CreateLogs(store);
        var partitions = Partitions(store, ThreePartitionsOfTwoLogs);
        using (var transaction = store.BeginTransaction())
        {
            transaction.Append(partitions[0], Batch(0, 5));
            var staged = transaction.BeginStagedAppend(partitions[1]);
            staged.Append(Batch(0, 50));
            Assert.Throws<InvalidOperationException>(() => transaction.Append(partitions[1], Batch(0, 1)));
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await staged.CommitAsync());
        }
        foreach (var partition in partitions)
        {
            Assert.Equal(0, partition.EndOffset);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(partition.GetSegments()[0].FilePath)!, "*.tmp"));
        }
    }

    [Fact]
    public async Task Staged_shares_and_batch_shares_commit_together_and_survive_a_reopen()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            CreateLogs(store, new LogOptions { Partitions = 2, SegmentMaxBytes = 16 << 10 });
            var partitions = Partitions(store, ThreePartitionsOfTwoLogs);
            await StorageTestKit.AppendAsync(partitions[1], 0, 7);
            using var transaction = store.BeginTransaction();
            var staged = transaction.BeginStagedAppend(partitions[0]);
            for (var b = 0; b < 50; b++)
                staged.Append(Batch(b * 10, 10));
            var staged1 = transaction.BeginStagedAppend(partitions[1]);
            staged1.Append(Batch(7, 300));
            transaction.Append(partitions[2], Batch(0, 20));
            await transaction.CommitAsync();
            StorageTestKit.AssertRecords(partitions[0], 0, 500);
            StorageTestKit.AssertRecords(partitions[1], 0, 307);
            StorageTestKit.AssertRecords(partitions[2], 0, 20);
            Assert.True(partitions[0].GetSegments().Count > 2);
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            var partitions = Partitions(store, ThreePartitionsOfTwoLogs);
            StorageTestKit.AssertRecords(partitions[0], 0, 500);
            StorageTestKit.AssertRecords(partitions[1], 0, 307);
            StorageTestKit.AssertRecords(partitions[2], 0, 20);
            Assert.Equal(450, partitions[0].FindOffsetForTimestamp(1_450));
        }
    }

    [Theory]
    [InlineData(28, typeof(StorageFullException))]   // ENOSPC
    [InlineData(5, typeof(StorageException))]        // EIO
    public async Task A_failed_write_on_one_partition_leaves_nothing_of_the_transaction_and_the_log_keeps_working(
        int errno, Type expected)
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            CreateLogs(store);
            var partitions = Partitions(store, ThreePartitionsOfTwoLogs);
            await StorageTestKit.AppendAsync(partitions[2], 0, 4);
            var sizes = Array.ConvertAll(partitions, p => new FileInfo(p.GetSegments()[^1].FilePath).Length);
            var fail = true;
            partitions[2].WriteFault = (path, position, count) =>
            {
                if (!fail)
                    return;
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                    stream.Position = position;
                    stream.Write(new byte[count / 2]);   // a short write reaches the file first
                }
                throw new IOException("simulated failure", errno);
            };
            using (var transaction = store.BeginTransaction())
            {
                foreach (var partition in partitions)
                    transaction.Append(partition, Batch(partition == partitions[2] ? 4 : 0, 8));
                var error = await Assert.ThrowsAnyAsync<StorageException>(async () => await transaction.CommitAsync());
                Assert.IsType(expected, error);
            }
            for (var i = 0; i < partitions.Length; i++)
            {
                Assert.Equal(i == 2 ? 4 : 0, partitions[i].EndOffset);
                Assert.Equal(sizes[i], new FileInfo(partitions[i].GetSegments()[^1].FilePath).Length);
            }
            fail = false;
            using (var transaction = store.BeginTransaction())
            {
                foreach (var partition in partitions)
                    transaction.Append(partition, Batch(partition == partitions[2] ? 4 : 0, 8));
                await transaction.CommitAsync();
                Assert.Equal(4, transaction.GetBaseOffset(partitions[2]));
            }
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            var partitions = Partitions(store, ThreePartitionsOfTwoLogs);
            StorageTestKit.AssertRecords(partitions[0], 0, 8);
            StorageTestKit.AssertRecords(partitions[1], 0, 8);
            StorageTestKit.AssertRecords(partitions[2], 0, 12);
        }
    }

    [Fact]
    public async Task A_full_disk_on_a_staged_share_aborts_every_share()
    {
        using var store = LogStore.Open(_directory.Path);
        CreateLogs(store);
        var partitions = Partitions(store, ThreePartitionsOfTwoLogs);
        using (var transaction = store.BeginTransaction())
        {
            transaction.Append(partitions[0], Batch(0, 8));
            var staged = transaction.BeginStagedAppend(partitions[1]);
            staged.Append(Batch(0, 100));
            partitions[1].WriteFault = (path, _, _) =>
            {
                if (path.EndsWith(".log.tmp", StringComparison.Ordinal))
                    throw new IOException("No space left on device", 28);
            };
            Assert.Throws<StorageFullException>(() => staged.Append(Batch(100, 10)));
            partitions[1].WriteFault = null;
        }
        Assert.Equal(0, partitions[0].EndOffset);
        Assert.Equal(0, partitions[1].EndOffset);
        await StorageTestKit.AppendAsync(partitions[0], 0, 3);
        StorageTestKit.AssertRecords(partitions[0], 0, 3);
    }

    [Fact]
    public async Task A_failed_commit_record_write_aborts_every_share_and_the_next_transaction_commits()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            CreateLogs(store);
            var partitions = Partitions(store, ThreePartitionsOfTwoLogs);
            store.Coordinator.WriteFault = () => throw new IOException("No space left on device", 28);
            using (var transaction = store.BeginTransaction())
            {
                foreach (var partition in partitions)
                    transaction.Append(partition, Batch(0, 5));
                await Assert.ThrowsAsync<StorageFullException>(async () => await transaction.CommitAsync());
            }
            foreach (var partition in partitions)
                Assert.Equal(0, partition.EndOffset);
            store.Coordinator.WriteFault = null;
            using (var transaction = store.BeginTransaction())
            {
                foreach (var partition in partitions)
                    transaction.Append(partition, Batch(0, 5));
                await transaction.CommitAsync();
            }
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            foreach (var partition in Partitions(store, ThreePartitionsOfTwoLogs))
                StorageTestKit.AssertRecords(partition, 0, 5);
        }
    }

    [Fact]
    public async Task Concurrent_transactions_over_overlapping_partitions_in_any_order_all_commit_densely()
    {
        using var store = LogStore.Open(_directory.Path);
        store.CreateLog("a", new LogOptions { Partitions = 4, SegmentMaxBytes = 64 << 10 });
        Assert.True(store.TryGetLog("a", out var log));
        var random = new Random(7);
        var tasks = new List<Task>();
        for (var worker = 0; worker < 6; worker++)
        {
            var seed = random.Next();
            tasks.Add(Task.Run(async () =>
            {
                var local = new Random(seed);
                for (var i = 0; i < 40; i++)
                {
                    using var transaction = store.BeginTransaction();
                    using var batch = new RecordBatchBuilder();
                    batch.Add(1, StorageTestKit.ValueFor(i));
                    var count = local.Next(1, 5);
                    var start = local.Next(4);
                    for (var k = 0; k < count; k++)
                        transaction.Append(log.GetPartition((start + (k * 3)) % 4), batch);
                    await transaction.CommitAsync();
                }
            }));
        }
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        long total = 0;
        for (var p = 0; p < 4; p++)
        {
            var records = StorageTestKit.ReadAll(log.GetPartition(p));
            for (var i = 0; i < records.Count; i++)
                Assert.Equal(i, records[i].Offset);
            total += records.Count;
        }
        Assert.True(total >= 240, $"{total} records");
    }

    [Fact]
    public async Task Concurrent_transactions_with_random_full_disk_failures_are_each_whole_or_absent()
    {
        var committed = new System.Collections.Concurrent.ConcurrentBag<int>();
        var failed = new System.Collections.Concurrent.ConcurrentBag<int>();
        using (var store = LogStore.Open(_directory.Path))
        {
            store.CreateLog("a", new LogOptions { Partitions = 4, SegmentMaxBytes = 32 << 10 });
            Assert.True(store.TryGetLog("a", out var log));
            var faults = new Random(11);
            log.GetPartition(1).WriteFault = (_, _, _) =>
            {
                lock (faults)
                {
                    if (faults.Next(5) == 0)
                        throw new IOException("No space left on device", 28);
                }
            };
            store.Coordinator.WriteFault = () =>
            {
                lock (faults)
                {
                    if (faults.Next(8) == 0)
                        throw new IOException("No space left on device", 28);
                }
            };
            var tasks = new List<Task>();
            for (var worker = 0; worker < 6; worker++)
            {
                var id = worker;
                tasks.Add(Task.Run(async () =>
                {
                    for (var i = 0; i < 30; i++)
                    {
                        var txn = (id * 1000) + i;
                        using var transaction = store.BeginTransaction();
                        using var batch = new RecordBatchBuilder();
                        batch.Add(txn, StorageTestKit.ValueFor(txn));
                        for (var p = 0; p < 4; p++)
                        {
                            if (p == 1 || (txn + p) % 2 == 0)
                                transaction.Append(log.GetPartition(p), batch);
                        }
                        try
                        {
                            await transaction.CommitAsync();
                            committed.Add(txn);
                        }
                        catch (StorageException)
                        {
                            failed.Add(txn);
                        }
                    }
                }));
            }
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
            log.GetPartition(1).WriteFault = null;
            store.Coordinator.WriteFault = null;
            AssertWholeOrAbsent(log, committed, failed);
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            Assert.True(store.TryGetLog("a", out var log));
            AssertWholeOrAbsent(log, committed, failed);
        }
        Assert.NotEmpty(failed);
        Assert.NotEmpty(committed);
    }

    private static void AssertWholeOrAbsent(PartitionedLog log, IEnumerable<int> committed, IEnumerable<int> failed)
    {
        var found = new Dictionary<int, int>();
        for (var p = 0; p < 4; p++)
        {
            var records = StorageTestKit.ReadAll(log.GetPartition(p));
            for (var i = 0; i < records.Count; i++)
            {
                Assert.Equal(i, records[i].Offset);
                var txn = (int)records[i].TimestampMs;
                found[txn] = found.GetValueOrDefault(txn) + 1;
            }
        }
        foreach (var txn in committed)
            Assert.Equal(txn % 2 == 0 ? 3 : 2, found.GetValueOrDefault(txn));
        foreach (var txn in failed)
            Assert.False(found.ContainsKey(txn), $"failed transaction {txn} is visible");
    }

    [Fact]
    public async Task A_transaction_on_a_deleted_log_fails_and_leaves_the_other_partitions_clean()
    {
        using var store = LogStore.Open(_directory.Path);
        CreateLogs(store);
        var partitions = Partitions(store, ThreePartitionsOfTwoLogs);
        using var transaction = store.BeginTransaction();
        foreach (var partition in partitions)
            transaction.Append(partition, Batch(0, 3));
        store.DeleteLog("b");
        await Assert.ThrowsAsync<LogDeletedException>(async () => await transaction.CommitAsync());
        Assert.Equal(0, partitions[0].EndOffset);
        await StorageTestKit.AppendAsync(partitions[0], 0, 2);
        StorageTestKit.AssertRecords(partitions[0], 0, 2);
    }
}

/// <summary>
/// Recovery of transactions cut short: the store's files are copied at the commit point (just before and just
/// after the commit record) as a crash would leave them, and the copy is opened.
/// </summary>
public sealed class TransactionRecoveryTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-txn-recovery");
    private readonly TempDirectory _snapshot = new("storage-txn-snapshot");

    public void Dispose()
    {
        _directory.Dispose();
        _snapshot.Dispose();
    }

    private void Snapshot()
    {
        foreach (var file in Directory.GetFiles(_directory.Path, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_snapshot.Path, Path.GetRelativePath(_directory.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = new FileStream(file, FileMode.Open, FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete);
            using var copy = File.Create(target);
            source.CopyTo(copy);
        }
    }

    private async Task CommitTwoPartitionsAsync(LogStore store, bool staged)
    {
        store.CreateLog("a", new LogOptions { Partitions = 2, SegmentMaxBytes = 16 << 10 });
        Assert.True(store.TryGetLog("a", out var log));
        await StorageTestKit.AppendAsync(log.GetPartition(0), 0, 5);
        await StorageTestKit.AppendAsync(log.GetPartition(1), 0, 5);
        using var transaction = store.BeginTransaction();
        using var batch = new RecordBatchBuilder();
        for (var n = 5; n < 205; n++)
            batch.Add(1_000 + n, StorageTestKit.ValueFor(n));
        if (staged)
            transaction.BeginStagedAppend(log.GetPartition(0)).Append(batch);
        else
            transaction.Append(log.GetPartition(0), batch);
        transaction.Append(log.GetPartition(1), batch);
        try
        {
            await transaction.CommitAsync();
        }
        catch (StorageException)
        {
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Shares_written_before_the_commit_record_are_cut_by_recovery(bool staged)
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            store.Coordinator.WriteFault = () =>
            {
                Snapshot();
                throw new IOException("simulated crash", 5);
            };
            await CommitTwoPartitionsAsync(store, staged);
        }
        using (var store = LogStore.Open(_snapshot.Path))
        {
            Assert.True(store.TryGetLog("a", out var log));
            for (var p = 0; p < 2; p++)
            {
                StorageTestKit.AssertRecords(log.GetPartition(p), 0, 5);
                await StorageTestKit.AppendAsync(log.GetPartition(p), 5, 3);
            }
        }
        using (var store = LogStore.Open(_snapshot.Path))
        {
            Assert.True(store.TryGetLog("a", out var log));
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 8);
            StorageTestKit.AssertRecords(log.GetPartition(1), 0, 8);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Shares_named_by_a_durable_commit_record_are_rolled_forward_by_recovery(bool staged)
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            store.Coordinator.AfterRecordWrite = Snapshot;
            await CommitTwoPartitionsAsync(store, staged);
        }
        for (var reopen = 0; reopen < 2; reopen++)
        {
            using var store = LogStore.Open(_snapshot.Path);
            Assert.True(store.TryGetLog("a", out var log));
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 205);
            StorageTestKit.AssertRecords(log.GetPartition(1), 0, 205);
        }
    }

    [Fact]
    public async Task An_unfinished_one_partition_transaction_is_cut_and_a_finished_one_kept()
    {
        string path;
        long sizeAfterFirst;
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
            using var first = new RecordBatchBuilder();
            using var second = new RecordBatchBuilder();
            first.Add(1, StorageTestKit.ValueFor(0));
            second.Add(2, StorageTestKit.ValueFor(1));
            using (var transaction = store.BeginTransaction())
            {
                transaction.Append(partition, first);
                transaction.Append(partition, second);
                await transaction.CommitAsync();
            }
            path = partition.GetSegments()[^1].FilePath;
            sizeAfterFirst = new FileInfo(path).Length;
            using (var transaction = store.BeginTransaction())
            {
                first.Clear();
                second.Clear();
                first.Add(3, StorageTestKit.ValueFor(2));
                second.Add(4, StorageTestKit.ValueFor(3));
                transaction.Append(partition, first);
                transaction.Append(partition, second);
                await transaction.CommitAsync();
            }
        }
        // A crash that kept the second transaction's continued batch but not its completing one.
        var bytes = File.ReadAllBytes(path);
        var firstBatchLength = BitConverter.ToInt32(bytes, (int)sizeAfterFirst + 8);
        using (var file = new FileStream(path, FileMode.Open))
            file.SetLength(sizeAfterFirst + firstBatchLength);
        using (var store = LogStore.Open(_directory.Path))
        {
            Assert.True(store.TryGetLog("t", out var log));
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 2);
            Assert.Equal(sizeAfterFirst, new FileInfo(path).Length);
        }
    }
}
