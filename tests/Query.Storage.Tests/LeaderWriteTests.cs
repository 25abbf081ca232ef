using System.Buffers.Binary;
using System.Collections.Concurrent;
using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>
/// The write path without hand-offs: an appender on a thread of its own (as the server's connection threads) that
/// finds its partition idle writes its group and leads the journal write itself; appenders arriving meanwhile
/// block until the loop has written their group; the append completes synchronously on the appender's thread.
/// Group commit, offset order, transactions and failures must be as on the loop's path.
/// </summary>
public sealed class LeaderWriteTests : IDisposable
{
    private const int Partitions = 4;
    private static readonly LogStoreOptions Leading = new() { AppenderWritesIdlePartition = true };
    private readonly TempDirectory _directory = new("storage-leader");

    public void Dispose() => _directory.Dispose();

    private static byte[] Value(int thread, int sequence, int index)
    {
        var value = new byte[48];
        BinaryPrimitives.WriteInt32LittleEndian(value, thread);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(4), sequence);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(8), index);
        value.AsSpan(12).Fill((byte)(thread * 31 + sequence));
        return value;
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="count"/> dedicated threads (not the pool) at once.
    /// </summary>
    private static void OnThreads(int count, Action<int> body)
    {
        var failures = new ConcurrentQueue<Exception>();
        var threads = new Thread[count];
        for (var t = 0; t < count; t++)
        {
            var id = t;
            threads[t] = new Thread(() =>
            {
                try
                {
                    body(id);
                }
                catch (Exception exception)
                {
                    failures.Enqueue(exception);
                }
            });
            threads[t].Start();
        }
        foreach (var thread in threads)
            Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "an appender thread hangs");
        if (!failures.IsEmpty)
            throw new AggregateException(failures);
    }

    [Fact]
    public void Appenders_on_their_own_threads_write_their_groups_share_journal_writes_and_complete_synchronously()
    {
        using var store = LogStore.Open(_directory.Path, Leading);
        var log = store.CreateLog("t", new LogOptions { Partitions = Partitions });
        const int Threads = 16, Each = 40;
        var acks = new ConcurrentBag<(int Partition, long Offset, int Thread, int Sequence)>();
        OnThreads(Threads, thread =>
        {
            var partition = log.GetPartition(thread % Partitions);
            using var batch = new RecordBatchBuilder();
            for (var sequence = 0; sequence < Each; sequence++)
            {
                batch.Clear();
                batch.Add(1, Value(thread, sequence, 0));
                var append = partition.AppendAsync(batch);
                Assert.True(append.IsCompleted, "an append on its own thread returned before it completed");
                acks.Add((partition.Partition, append.Result.BaseOffset, thread, sequence));
            }
        });
        for (var p = 0; p < Partitions; p++)
        {
            var partition = log.GetPartition(p);
            var records = StorageTestKit.ReadAll(partition);
            Assert.Equal(Threads / Partitions * Each, records.Count);
            for (var i = 0; i < records.Count; i++)
                Assert.Equal(i, records[i].Offset);
            foreach (var ack in acks.Where(a => a.Partition == p))
                Assert.Equal(Value(ack.Thread, ack.Sequence, 0), records[(int)ack.Offset].Value);
            foreach (var thread in acks.Where(a => a.Partition == p).GroupBy(a => a.Thread))
            {
                var offsets = thread.OrderBy(a => a.Sequence).Select(a => a.Offset).ToList();
                Assert.Equal(offsets.Order().ToList(), offsets);     // each appender's rows in its order
            }
            var (led, _) = partition.LeaderCounts;
            Assert.True(led > 0, $"partition {p}: no group was written by its appender");
        }
        var loop = Enumerable.Range(0, Partitions).Sum(p => log.GetPartition(p).LeaderCounts.LoopGroups);
        Assert.True(loop > 0, "no appender queued behind another: the test proves nothing about waiting appenders");
        var journal = store.Journal!;
        // How many share a write depends on the disk's and the scheduler's speed; none sharing means it is lost.
        Assert.True(journal.SyncCount < Threads * Each,
            $"{journal.SyncCount} journal writes for {Threads * Each} appends: group commit lost");
        Assert.True(journal.RecordCount > journal.SyncCount,
            $"{journal.RecordCount} groups in {journal.SyncCount} journal writes: no write shared by partitions");
    }

    [Fact]
    public async Task Threads_pool_tasks_and_transactions_together_keep_partitions_dense_and_transactions_whole()
    {
        var committed = new ConcurrentBag<(int Partition, long Offset, int Count, int Thread, int Sequence)>();
        using (var store = LogStore.Open(_directory.Path, Leading))
        {
            var log = store.CreateLog("t", new LogOptions { Partitions = Partitions, SegmentMaxBytes = 8 << 10 });
            const int Each = 30;
            // Pool tasks: multi-partition transactions (their shares are held by the loop until decided).
            var pool = Enumerable.Range(100, 3).Select(id => Task.Run(async () =>
            {
                var builders = Enumerable.Range(0, Partitions).Select(_ => new RecordBatchBuilder()).ToArray();
                for (var sequence = 0; sequence < Each; sequence++)
                {
                    using var transaction = store.BeginTransaction();
                    for (var p = 0; p < Partitions; p += 1 + id % 2)
                    {
                        builders[p].Clear();
                        builders[p].Add(1, Value(id, sequence, p));
                        transaction.Append(log.GetPartition(p), builders[p]);
                    }
                    await transaction.CommitAsync();
                    for (var p = 0; p < Partitions; p += 1 + id % 2)
                        committed.Add((p, transaction.GetBaseOffset(log.GetPartition(p)), 1, id, sequence));
                }
                foreach (var builder in builders)
                    builder.Dispose();
            })).ToList();
            // Threads of their own: single appends and one-partition transactions of two batches.
            OnThreads(8, thread =>
            {
                var partition = log.GetPartition(thread % Partitions);
                using var first = new RecordBatchBuilder();
                using var second = new RecordBatchBuilder();
                for (var sequence = 0; sequence < Each; sequence++)
                {
                    first.Clear();
                    first.Add(1, Value(thread, sequence, 0));
                    if (thread % 2 == 0)
                    {
                        var result = partition.AppendAsync(first).AsTask().GetAwaiter().GetResult();
                        committed.Add((partition.Partition, result.BaseOffset, 1, thread, sequence));
                        continue;
                    }
                    second.Clear();
                    second.Add(1, Value(thread, sequence, 1));
                    using var transaction = store.BeginTransaction();
                    transaction.Append(partition, first);
                    transaction.Append(partition, second);
                    var commit = transaction.CommitAsync();
                    Assert.True(commit.IsCompleted, "a one-partition transaction on its own thread did not complete");
                    commit.GetAwaiter().GetResult();
                    committed.Add((partition.Partition, transaction.GetBaseOffset(partition), 2, thread, sequence));
                }
            });
            await Task.WhenAll(pool);
        }
        using (var store = LogStore.Open(_directory.Path, Leading))      // and after a reopen
        {
            Assert.True(store.TryGetLog("t", out var log));
            for (var p = 0; p < Partitions; p++)
            {
                var records = StorageTestKit.ReadAll(log.GetPartition(p));
                var expected = committed.Where(c => c.Partition == p).Sum(c => c.Count);
                Assert.Equal(expected, records.Count);
                for (var i = 0; i < records.Count; i++)
                    Assert.Equal(i, records[i].Offset);
                foreach (var c in committed.Where(c => c.Partition == p))
                {
                    for (var index = 0; index < c.Count; index++)
                    {
                        var expectedIndex = c.Thread >= 100 ? p : index;
                        Assert.Equal(Value(c.Thread, c.Sequence, expectedIndex), records[(int)c.Offset + index].Value);
                    }
                }
            }
        }
    }

    [Fact]
    public void An_io_error_while_an_appender_writes_its_group_fails_it_and_every_waiting_appender_without_a_hang()
    {
        using var store = LogStore.Open(_directory.Path, Leading);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        var writes = 0;
        partition.WriteFault = (_, _, _) =>
        {
            if (Interlocked.Increment(ref writes) == 20)
                throw new IOException("simulated EIO", 5);
        };
        var acknowledged = new ConcurrentBag<long>();
        var failed = 0;
        OnThreads(6, thread =>
        {
            using var batch = new RecordBatchBuilder();
            for (var sequence = 0; sequence < 100; sequence++)
            {
                batch.Clear();
                batch.Add(1, Value(thread, sequence, 0));
                try
                {
                    acknowledged.Add(partition.AppendAsync(batch).AsTask().GetAwaiter().GetResult().BaseOffset);
                }
                catch (StorageException)
                {
                    Interlocked.Increment(ref failed);
                    return;
                }
            }
        });
        Assert.Equal(6, failed);         // every appender saw the failure, none hangs
        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count());
        partition.WriteFault = null;
        store.Dispose();
        using var reopened = LogStore.Open(_directory.Path, Leading);
        Assert.True(reopened.TryGetLog("t", out var log));
        var offsets = StorageTestKit.ReadAll(log.GetPartition(0)).Select(r => r.Offset).ToHashSet();
        Assert.All(acknowledged, offset => Assert.Contains(offset, offsets));
    }

    [Fact]
    public void Closing_the_store_while_appenders_write_their_groups_keeps_every_acknowledged_append()
    {
        var acknowledged = new ConcurrentBag<(int Partition, long Offset, int Thread, int Sequence)>();
        var store = LogStore.Open(_directory.Path, Leading);
        var log = store.CreateLog("t", new LogOptions { Partitions = Partitions });
        var closer = new Thread(() =>
        {
            Thread.Sleep(300);
            store.Dispose();
        });
        closer.Start();
        OnThreads(8, thread =>
        {
            var partition = log.GetPartition(thread % Partitions);
            using var batch = new RecordBatchBuilder();
            for (var sequence = 0; ; sequence++)
            {
                batch.Clear();
                batch.Add(1, Value(thread, sequence, 0));
                try
                {
                    var result = partition.AppendAsync(batch).AsTask().GetAwaiter().GetResult();
                    acknowledged.Add((partition.Partition, result.BaseOffset, thread, sequence));
                }
                catch (Exception exception) when (exception is StorageException or ObjectDisposedException)
                {
                    return;
                }
            }
        });
        Assert.True(closer.Join(TimeSpan.FromMinutes(1)), "closing the store hangs");
        Assert.NotEmpty(acknowledged);
        using var reopened = LogStore.Open(_directory.Path, Leading);
        Assert.True(reopened.TryGetLog("t", out var reopenedLog));
        for (var p = 0; p < Partitions; p++)
        {
            var records = StorageTestKit.ReadAll(reopenedLog.GetPartition(p));
            foreach (var ack in acknowledged.Where(a => a.Partition == p))
                Assert.Equal(Value(ack.Thread, ack.Sequence, 0), records[(int)ack.Offset].Value);
        }
    }
}
