using System.Collections.Concurrent;
using Query.Storage.Journal;
using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>
/// Failures of the store's journal (storage/FORMAT.md, "The journal", Failures). An I/O error on its write or its
/// fdatasync leaves what reached the disk unknown: nothing is acknowledged after it, not even the groups already
/// queued for the next write, until a reopen recovers the store. A full disk while the file grows is not that: it
/// fails only the groups of that write, and a journal that cannot grow is recycled.
/// </summary>
public sealed class JournalFailureTests : IDisposable
{
    private const int Partitions = 4, AppendsEach = 3, Baseline = 5;
    private readonly TempDirectory _directory = new("storage-journal-failure");

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// The first journal write after the baseline is held until the groups of the three other partitions are
    /// queued behind it, then fails: EIO on its <c>pwrite</c>, a full disk there (the file is preallocated, but a
    /// file system may still say so; some records could be whole on disk), or EIO on its <c>fdatasync</c> (the
    /// kernel then may have dropped the pages written: the test zeroes them). Partition 0's appender leads it from
    /// a thread of its own;
    /// behind it wait the loops of partitions 1 and 2 (pool tasks, which await the journal) and partition 3's
    /// appender, on a thread of its own (it would lead the next write) or on the pool (a work item would).
    /// </summary>
    [Theory]
    [InlineData("write", true)]
    [InlineData("write", false)]
    [InlineData("write-full", true)]
    [InlineData("sync", true)]
    [InlineData("sync", false)]
    public async Task After_a_failed_journal_write_nothing_is_acknowledged_until_a_reopen_keeps_what_was(
        string fault, bool threadBehind)
    {
        var failSync = fault == "sync";
        var options = new LogStoreOptions { AppenderWritesIdlePartition = true };
        using (var store = LogStore.Open(_directory.Path, options))
        {
            var log = store.CreateLog("t", new LogOptions { Partitions = Partitions });
            for (var p = 0; p < Partitions; p++)
                await StorageTestKit.AppendAsync(log.GetPartition(p), 0, Baseline);
            var journal = store.Journal!;
            using var held = new ManualResetEventSlim();
            var othersQueued = false;
            void FailFirst(long position, int length)
            {
                if (held.IsSet)
                    return;         // every later write may succeed: the journal itself must refuse them
                held.Set();
                othersQueued = SpinWait.SpinUntil(() => journal.QueuedRecords >= Partitions - 1,
                    TimeSpan.FromMinutes(1));
                if (failSync)
                    ZeroJournal(store.Directory, position, length);
                throw fault == "write-full"
                    ? new IOException("No space left on device", 28)
                    : new IOException("simulated EIO", 5);
            }
            if (failSync)
                journal.SyncFault = FailFirst;
            else
                journal.WriteFault = FailFirst;

            var outcomes = new ConcurrentQueue<Exception?>();
            var threads = new List<Thread> { StartThread(log.GetPartition(0), outcomes) };
            Assert.True(held.Wait(TimeSpan.FromMinutes(1)), "the first journal write never started");
            var tasks = new List<Task>
            {
                Task.Run(() => AppendEachAsync(log.GetPartition(1), outcomes)),
                Task.Run(() => AppendEachAsync(log.GetPartition(2), outcomes)),
            };
            if (threadBehind)
                threads.Add(StartThread(log.GetPartition(3), outcomes));
            else
                tasks.Add(Task.Run(() => AppendEachAsync(log.GetPartition(3), outcomes)));
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(2));
            foreach (var thread in threads)
                Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "an appender thread hangs");

            Assert.True(othersQueued, "the other partitions' groups did not queue behind the failing journal write");
            Assert.Equal(Partitions * AppendsEach, outcomes.Count);
            Assert.All(outcomes, outcome => Assert.IsAssignableFrom<StorageException>(outcome));
            Assert.DoesNotContain(outcomes, outcome => outcome is StorageFullException);
            journal.WriteFault = journal.SyncFault = null;
            for (var p = 0; p < Partitions; p++)
            {
                await Assert.ThrowsAsync<StorageException>(() =>
                    StorageTestKit.AppendAsync(log.GetPartition(p), Baseline, 1));
                Assert.Equal(Baseline, log.GetPartition(p).EndOffset);
            }
            // A partition that had nothing in flight is refused too: the journal takes no writes until a reopen.
            var fresh = store.CreateLog("u", new LogOptions()).GetPartition(0);
            await Assert.ThrowsAsync<StorageException>(() => StorageTestKit.AppendAsync(fresh, 0, 1));
        }
        using (var store = LogStore.Open(_directory.Path, options))
        {
            Assert.True(store.TryGetLog("t", out var log));
            for (var p = 0; p < Partitions; p++)
            {
                StorageTestKit.AssertRecords(log.GetPartition(p), 0, Baseline);
                await StorageTestKit.AppendAsync(log.GetPartition(p), Baseline, 1);
                StorageTestKit.AssertRecords(log.GetPartition(p), 0, Baseline + 1);
            }
            Assert.True(store.TryGetLog("u", out var fresh));
            Assert.Equal(0, fresh.GetPartition(0).EndOffset);
        }
    }

    // What the kernel may do after a failed fdatasync: the pages of the failed write never reach the disk.
    private static void ZeroJournal(string storeDirectory, long position, int length)
    {
        using var file = new FileStream(Path.Combine(storeDirectory, StoreJournal.FileName), FileMode.Open,
            FileAccess.Write, FileShare.ReadWrite);
        file.Position = position;
        file.Write(new byte[length]);
    }

    // Appends records Baseline.. one at a time; records each outcome (null: acknowledged).
    private static async Task AppendEachAsync(PartitionLog partition, ConcurrentQueue<Exception?> outcomes)
    {
        for (var i = 0; i < AppendsEach; i++)
        {
            try
            {
                await StorageTestKit.AppendAsync(partition, Baseline + i, 1);
                outcomes.Enqueue(null);
            }
            catch (Exception exception)
            {
                outcomes.Enqueue(exception);
            }
        }
    }

    // The same on a thread of its own, as the server's connections append (each blocks on its append).
    private static Thread StartThread(PartitionLog partition, ConcurrentQueue<Exception?> outcomes)
    {
        var thread = new Thread(() => AppendEachAsync(partition, outcomes).GetAwaiter().GetResult());
        thread.Start();
        return thread;
    }

    [Fact]
    public async Task A_full_disk_while_the_journal_grows_fails_only_the_groups_of_that_write()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            var log = store.CreateLog("t", new LogOptions { Partitions = 2 });
            var journal = store.Journal!;
            journal.GrowFault = _ => throw new IOException("No space left on device", 28);
            for (var p = 0; p < 2; p++)
            {
                var error = await Assert.ThrowsAsync<StorageFullException>(() =>
                    StorageTestKit.AppendAsync(log.GetPartition(p), 0, 1));
                Assert.IsType<IOException>(error.InnerException);
                Assert.Equal(0, log.GetPartition(p).EndOffset);
            }
            journal.GrowFault = null;
            for (var p = 0; p < 2; p++)
                await StorageTestKit.AppendAsync(log.GetPartition(p), 0, 5);
            Assert.True(journal.RecycleCount > 0, "a journal that could not grow was not recycled");
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            Assert.True(store.TryGetLog("t", out var log));
            for (var p = 0; p < 2; p++)
                StorageTestKit.AssertRecords(log.GetPartition(p), 0, 5);
        }
    }

    [Fact]
    public async Task A_journal_that_cannot_grow_for_a_full_disk_is_recycled_and_keeps_every_record()
    {
        var options = new LogStoreOptions { JournalMaxBytes = 16 << 20 };
        var live = Path.Combine(_directory.Path, "live");
        var image = Path.Combine(_directory.Path, "image");
        const int Records = 3_000, ValueSize = 500;
        using (var store = LogStore.Open(live, options))
        {
            var log = store.CreateLog("t", new LogOptions { Partitions = 2 });
            var journal = store.Journal!;
            var grows = 0;
            journal.GrowFault = _ =>
            {
                if (++grows > 1)        // the file's first 1 MiB, then a full disk: grows run one at a time
                    throw new IOException("No space left on device", 28);
            };
            await Task.WhenAll(Enumerable.Range(0, 2).Select(p =>
                StorageTestKit.AppendAsync(log.GetPartition(p), 0, Records, batchSize: 20, valueSize: ValueSize)));
            Assert.True(grows > 1, $"{grows} grows: the journal never had to grow past its first MiB");
            Assert.True(journal.RecycleCount > 0, "a journal that could not grow was not recycled");
            Assert.True(new FileInfo(Path.Combine(live, StoreJournal.FileName)).Length <= 1 << 20);
            JournalTestKit.CopyDirectory(store.Directory, image);
        }
        JournalTestKit.LoseJournaledSegmentBytes(image);
        using (var store = LogStore.Open(image, options))
        {
            Assert.True(store.TryGetLog("t", out var log));
            for (var p = 0; p < 2; p++)
                StorageTestKit.AssertRecords(log.GetPartition(p), 0, Records, ValueSize);
        }
    }
}
