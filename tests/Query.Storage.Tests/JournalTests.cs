using Query.Storage.Journal;
using Query.Testing;
using Xunit.Abstractions;

namespace Query.Storage.Tests;

/// <summary>
/// The store's shared journal: durable appends of every partition share its writes, and what it acknowledged
/// survives the loss of every segment byte it covers (a power failure before the segments were synced).
/// </summary>
public sealed class JournalTests : IDisposable
{
    private const int Appenders = 32, Each = 20;
    private static readonly LogOptions FourPartitions = new() { Partitions = 4 };
    private readonly TempDirectory _directory = new("storage-journal");
    private readonly ITestOutputHelper _output;

    public JournalTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _directory.Dispose();

    private string Live => Path.Combine(_directory.Path, "live");
    private string Image => Path.Combine(_directory.Path, "image");

    [Fact]
    public async Task Concurrent_appends_of_pool_tasks_to_several_partitions_share_journal_writes()
    {
        using var store = LogStore.Open(Live);
        var log = store.CreateLog("t", FourPartitions);
        var othersQueued = HoldFirstWrite(store.Journal!);
        // Appenders that await on the thread pool, released together.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new List<Task>();
        for (var a = 0; a < Appenders; a++)
        {
            var partition = log.GetPartition(a % 4);
            tasks.Add(Task.Run(async () =>
            {
                await start.Task;
                for (var i = 0; i < Each; i++)
                    await StorageTestKit.AppendAsync(partition, i, 1);
            }));
        }
        start.SetResult();
        await Task.WhenAll(tasks);
        AssertShared(store, log, othersQueued());
    }

    [Fact]
    public void Concurrent_appends_of_threads_to_several_partitions_share_journal_writes()
    {
        using var store = LogStore.Open(Live);
        var log = store.CreateLog("t", FourPartitions);
        var othersQueued = HoldFirstWrite(store.Journal!);
        // Appenders on threads of their own, as the server's connections append (each blocks on its append),
        // released together.
        using var start = new Barrier(Appenders);
        var threads = new List<Thread>();
        for (var a = 0; a < Appenders; a++)
        {
            var partition = log.GetPartition(a % 4);
            threads.Add(new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < Each; i++)
                    StorageTestKit.AppendAsync(partition, i, 1).GetAwaiter().GetResult();
            }));
        }
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        AssertShared(store, log, othersQueued());
    }

    /// <summary>
    /// Holds the first journal write until the groups of two other partitions are queued behind it, so that the
    /// next write carries both however fast the disk and the scheduler are (on their own the writes of a loaded
    /// machine sometimes never overlap: 80 writes of one group each at load 65). Their partitions' loops await the
    /// held write without holding a thread. Returns whether they queued within 30 s.
    /// </summary>
    private static Func<bool> HoldFirstWrite(StoreJournal journal)
    {
        var first = true;
        var queued = false;
        journal.WriteFault = (_, _) =>
        {
            if (!first)
                return;
            first = false;      // writes run one at a time: no race
            queued = SpinWait.SpinUntil(() => journal.QueuedRecords >= 2, TimeSpan.FromSeconds(30));
        };
        return () => queued;
    }

    // 32 appenders waiting at once leave every journal write several appends to carry, whatever the timing.
    private void AssertShared(LogStore store, PartitionedLog log, bool othersQueued)
    {
        var journal = store.Journal!;
        _output.WriteLine($"{journal.SyncCount} journal writes carrying {journal.RecordCount} groups for " +
            $"{Appenders * Each} appends");
        Assert.Equal(Appenders * Each, Enumerable.Range(0, 4).Sum(p => log.GetPartition(p).EndOffset));
        Assert.True(journal.SyncCount < Appenders * Each / 2,
            $"{journal.SyncCount} journal writes for {Appenders * Each} appends");
        Assert.True(othersQueued, "no other partition's group queued behind the first journal write");
        Assert.True(journal.RecordCount > journal.SyncCount,
            $"{journal.RecordCount} groups in {journal.SyncCount} journal writes: none carried several partitions");
    }

    [Fact]
    public async Task Every_acknowledged_append_survives_the_loss_of_the_unsynced_segment_bytes()
    {
        using (var store = LogStore.Open(Live))
        {
            var log = store.CreateLog("t", FourPartitions);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(p =>
                StorageTestKit.AppendAsync(log.GetPartition(p), 0, 50 + p, batchSize: p + 1)));
            JournalTestKit.CopyDirectory(store.Directory, Image);
        }
        Assert.True(JournalTestKit.LoseJournaledSegmentBytes(Image) > 0);
        using (var store = LogStore.Open(Image))
        {
            Assert.True(store.TryGetLog("t", out var log));
            for (var p = 0; p < 4; p++)
                StorageTestKit.AssertRecords(log.GetPartition(p), 0, 50 + p);
            await StorageTestKit.AppendAsync(log.GetPartition(0), 50, 5);
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 55);
        }
        using (var store = LogStore.Open(Image))      // replayed once: a second open changes nothing
        {
            Assert.True(store.TryGetLog("t", out var log));
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 55);
        }
    }

    // A 64 KiB journal of records up to 8 KiB.
    private static LogStoreOptions SmallJournal(int bufferBytes) => new()
    {
        JournalMaxBytes = 64 << 10,
        JournalBufferBytes = bufferBytes,
        JournalMaxRecordBytes = 8 << 10
    };

    [Fact]
    public async Task Recycling_the_journal_syncs_the_segments_it_covered_and_keeps_every_record()
    {
        var small = SmallJournal(bufferBytes: 16 << 10);
        using (var store = LogStore.Open(Live, small))
        {
            var log = store.CreateLog("t", FourPartitions with { SegmentMaxBytes = 32 << 10 });
            await Task.WhenAll(Enumerable.Range(0, 4).Select(p =>
                StorageTestKit.AppendAsync(log.GetPartition(p), 0, 600, batchSize: 3)));
            Assert.True(store.Journal!.RecycleCount >= 3, $"{store.Journal.RecycleCount} recycles");
            Assert.True(log.GetPartition(0).GetSegments().Count > 2);
            JournalTestKit.CopyDirectory(store.Directory, Image);
        }
        JournalTestKit.LoseJournaledSegmentBytes(Image);
        using (var store = LogStore.Open(Image, small))
        {
            Assert.True(store.TryGetLog("t", out var log));
            for (var p = 0; p < 4; p++)
                StorageTestKit.AssertRecords(log.GetPartition(p), 0, 600);
        }
    }

    [Fact]
    public async Task Writers_finding_the_journal_queue_full_while_no_write_runs_write_it_themselves()
    {
        // Room for two groups of about 5 KiB: eight partitions' loops (pool tasks, awaiting their journal writes)
        // keep finding the queue full.
        using var store = LogStore.Open(Live, SmallJournal(bufferBytes: 12 << 10));
        var log = store.CreateLog("t", new LogOptions { Partitions = 8 });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(p => Task.Run(() =>
            StorageTestKit.AppendAsync(log.GetPartition(p), 0, 1_600, batchSize: 40))))
            .WaitAsync(TimeSpan.FromMinutes(2));
        for (var p = 0; p < 8; p++)
            StorageTestKit.AssertRecords(log.GetPartition(p), 0, 1_600);
        Assert.True(store.Journal!.RecordCount >= 8 * 40, $"{store.Journal.RecordCount} journal records");
    }

    [Fact]
    public async Task A_group_larger_than_a_journal_record_fsyncs_its_segment_and_both_kinds_recover()
    {
        var options = new LogStoreOptions { JournalMaxRecordBytes = 4 << 10 };
        using (var store = LogStore.Open(Live, options))
        {
            var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 10);                  // journaled
            var writes = store.Journal!.SyncCount;
            await StorageTestKit.AppendAsync(partition, 10, 100, batchSize: 100); // ~12 KiB: its own fsync
            Assert.Equal(writes, store.Journal.SyncCount);
            await StorageTestKit.AppendAsync(partition, 110, 10);                // journaled again
            JournalTestKit.CopyDirectory(store.Directory, Image);
        }
        JournalTestKit.LoseJournaledSegmentBytes(Image);
        using (var store = LogStore.Open(Image, options))
        {
            Assert.True(store.TryGetLog("t", out var log));
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 120);
        }
    }

    [Fact]
    public async Task A_truncation_leaves_no_journal_record_that_could_write_back_the_cut_records()
    {
        using (var store = LogStore.Open(Live))
        {
            var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 10);
            Assert.Equal(10, JournalTestKit.RecordsNaming(store.Directory, "t"));
            await partition.TruncateAfterAsync(4);
            Assert.Equal(0, JournalTestKit.RecordsNaming(store.Directory, "t"));
            using var batch = new RecordBatchBuilder();
            batch.Add(7, new byte[] { 1, 2, 3 });
            Assert.Equal(5, (await partition.AppendAsync(batch)).BaseOffset);
            JournalTestKit.CopyDirectory(store.Directory, Image);
        }
        JournalTestKit.LoseJournaledSegmentBytes(Image);
        using (var store = LogStore.Open(Image))
        {
            Assert.True(store.TryGetLog("t", out var log));
            var records = StorageTestKit.ReadAll(log.GetPartition(0));
            Assert.Equal(6, records.Count);
            for (var i = 0; i < 5; i++)
                Assert.Equal(StorageTestKit.ValueFor(i), records[i].Value);
            Assert.Equal(new byte[] { 1, 2, 3 }, records[5].Value);
        }
    }

    [Fact]
    public async Task A_log_deleted_and_created_again_gets_none_of_the_old_logs_records()
    {
        using (var store = LogStore.Open(Live))
        {
            var old = store.CreateLog("t", new LogOptions()).GetPartition(0);
            await StorageTestKit.AppendAsync(old, 0, 20);
            store.DeleteLog("t");
            Assert.Equal(0, JournalTestKit.RecordsNaming(store.Directory, "t"));
            var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 3, valueSize: 10);
            JournalTestKit.CopyDirectory(store.Directory, Image);
        }
        JournalTestKit.LoseJournaledSegmentBytes(Image);
        using (var store = LogStore.Open(Image))
        {
            Assert.True(store.TryGetLog("t", out var log));
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 3, valueSize: 10);
            Assert.Equal(3, log.GetPartition(0).EndOffset);
        }
    }

    [Fact]
    public async Task A_torn_last_journal_record_ends_the_journal_and_its_append_is_cut()
    {
        using (var store = LogStore.Open(Live))
        {
            var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 5);
            JournalTestKit.CopyDirectory(store.Directory, Image);
        }
        var records = Query.Storage.Journal.JournalReplay.ListRecords(Image);
        Assert.Equal(5, records.Count);
        JournalTestKit.LoseJournaledSegmentBytes(Image);
        // Tear the last record (its write never completed, so it was never acknowledged).
        var journalPath = Path.Combine(Image, "journal");
        var bytes = File.ReadAllBytes(journalPath);
        var last = 4096 + (records.Count - 1) * RecordSize(records[0].Length);
        bytes[last + RecordSize(records[^1].Length) - 1] ^= 0xFF;
        File.WriteAllBytes(journalPath, bytes);
        using (var store = LogStore.Open(Image))
        {
            Assert.True(store.TryGetLog("t", out var log));
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 4);
            Assert.Equal(4, log.GetPartition(0).EndOffset);
        }
    }

    [Fact]
    public async Task A_failed_journal_write_fails_the_partition_until_a_reopen_which_keeps_what_was_acknowledged()
    {
        using (var store = LogStore.Open(Live))
        {
            var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 5);
            store.Journal!.WriteFault = (_, _) => throw new IOException("simulated EIO", 5);
            await Assert.ThrowsAsync<StorageException>(() => StorageTestKit.AppendAsync(partition, 5, 1));
            store.Journal.WriteFault = null;
            await Assert.ThrowsAsync<StorageException>(() => StorageTestKit.AppendAsync(partition, 5, 1));
        }
        using (var store = LogStore.Open(Live))
        {
            Assert.True(store.TryGetLog("t", out var log));
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 5);
            await StorageTestKit.AppendAsync(log.GetPartition(0), 5, 1);
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 6);
        }
    }

    [Fact]
    public async Task A_failed_journal_write_fails_the_groups_that_other_partitions_queued_behind_it()
    {
        using (var store = LogStore.Open(Live))
        {
            var log = store.CreateLog("t", FourPartitions);
            for (var p = 0; p < 4; p++)
                await StorageTestKit.AppendAsync(log.GetPartition(p), 0, 5);
            var journal = store.Journal!;
            using var held = new ManualResetEventSlim();
            var othersQueued = false;
            journal.WriteFault = (_, _) =>
            {
                if (!held.IsSet)
                {
                    // The first write is held until the other partitions' loops queued their groups behind it.
                    held.Set();
                    othersQueued = SpinWait.SpinUntil(() => journal.QueuedRecords >= 3, TimeSpan.FromMinutes(1));
                }
                throw new IOException("simulated EIO", 5);
            };
            var first = Task.Run(() => StorageTestKit.AppendAsync(log.GetPartition(0), 5, 1));
            Assert.True(held.Wait(TimeSpan.FromMinutes(1)), "the first journal write never started");
            var others = Enumerable.Range(1, 3)
                .Select(p => Task.Run(() => StorageTestKit.AppendAsync(log.GetPartition(p), 5, 1))).ToList();
            await Assert.ThrowsAsync<StorageException>(() => first);
            foreach (var other in others)
                await Assert.ThrowsAsync<StorageException>(() => other);
            Assert.True(othersQueued, "the other partitions' groups did not queue behind the held journal write");
            journal.WriteFault = null;
            await Assert.ThrowsAsync<StorageException>(() => StorageTestKit.AppendAsync(log.GetPartition(3), 5, 1));
        }
        using (var store = LogStore.Open(Live))
        {
            Assert.True(store.TryGetLog("t", out var log));
            for (var p = 0; p < 4; p++)
            {
                StorageTestKit.AssertRecords(log.GetPartition(p), 0, 5);
                await StorageTestKit.AppendAsync(log.GetPartition(p), 5, 1);
                StorageTestKit.AssertRecords(log.GetPartition(p), 0, 6);
            }
        }
    }

    [Fact]
    public async Task With_the_journal_off_each_partition_fsyncs_its_segment_and_no_journal_file_is_made()
    {
        using var store = LogStore.Open(Live, new LogStoreOptions { Journal = false });
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 5);
        Assert.Null(store.Journal);
        Assert.Equal(5, partition.SyncCount);
        Assert.False(File.Exists(Path.Combine(store.Directory, "journal")));
    }

    [Fact]
    public async Task A_journal_left_by_a_crash_is_replayed_even_when_the_journal_is_then_turned_off()
    {
        using (var store = LogStore.Open(Live))
        {
            await StorageTestKit.AppendAsync(store.CreateLog("t", new LogOptions()).GetPartition(0), 0, 8);
            JournalTestKit.CopyDirectory(store.Directory, Image);
        }
        JournalTestKit.LoseJournaledSegmentBytes(Image);
        using (var store = LogStore.Open(Image, new LogStoreOptions { Journal = false }))
        {
            Assert.True(store.TryGetLog("t", out var log));
            StorageTestKit.AssertRecords(log.GetPartition(0), 0, 8);
            Assert.False(File.Exists(Path.Combine(Image, "journal")));
        }
    }

    [Fact]
    public async Task Logs_without_sync_durability_do_not_use_the_journal()
    {
        using var store = LogStore.Open(Live);
        var partition = store.CreateLog("t", new LogOptions { Durability = DurabilityMode.None }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 5);
        Assert.Equal(0, store.Journal!.SyncCount);
    }

    // A record of a 100-byte value (122 bytes) in a one-record batch (40-byte header) journaled under log "t".
    private static int RecordSize(int dataLength) => 38 + 1 + dataLength;
}
