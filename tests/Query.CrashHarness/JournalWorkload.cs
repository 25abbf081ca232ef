using System.Globalization;
using Query.Storage;
using Query.Testing;

namespace Query.CrashHarness;

/// <summary>
/// <c>Query.CrashHarness journal DATA_DIR RUN [SECONDS]</c>: durable appends to the four partitions of log
/// <c>jcrash</c> through the store's shared journal, kept small so that it is recycled every few hundred appends
/// (segments roll every 32 KiB too). Eight appenders (two per partition; one of each pair appends batches of three)
/// and one that appends batches of 60 records to partition 3, larger than a journal record, so they fsync their
/// segment instead; every one prints <c>A partition baseOffset count run task sequence .</c> per acknowledged
/// append. Runs until killed, or for SECONDS and then closes cleanly.
/// <para><c>Query.CrashHarness leader DATA_DIR RUN [SECONDS]</c>: the same log, written as the server's connection
/// threads write it: twelve appenders on threads of their own (three per partition, batches of one or three; an
/// appender that finds its partition idle writes its group and leads the journal write itself, the others block),
/// two more on threads of their own committing one-partition transactions of two batches, two on the thread pool
/// and the one whose large batches bypass the journal. Every thread appender prints, every 50 appends, <c>S
/// partition ledGroups loopGroups .</c>: groups written so far by an appender itself and by the writer's loop.</para>
/// </summary>
internal static class JournalWorkload
{
    public const string LogName = "jcrash";
    public const int Partitions = 4;
    private const int Appenders = 8;

    /// <summary>The store settings the crash test opens the directory with, too.</summary>
    public static readonly LogStoreOptions StoreOptions = new()
    {
        JournalMaxBytes = 96 << 10,
        JournalBufferBytes = 24 << 10,
        JournalMaxRecordBytes = 8 << 10,
    };

    public static async Task RunAsync(string directory, int run, CancellationToken stop, bool threads = false)
    {
        await using var store = LogStore.Open(directory,
            StoreOptions with { AppenderWritesIdlePartition = threads });
        if (!store.TryGetLog(LogName, out var log))
            log = store.CreateLog(LogName, new LogOptions
            {
                Partitions = Partitions,
                SegmentMaxBytes = 32 * 1024,
                Durability = DurabilityMode.Sync,
            });
        Console.Out.WriteLine("ready " + log.GetPartition(0).EndOffset.ToString(CultureInfo.InvariantCulture));
        if (threads)
        {
            await RunThreadsAsync(store, log, run, stop);
            return;
        }
        var tasks = new Task[Appenders + 1];
        for (var task = 0; task < Appenders; task++)
        {
            var id = task;
            tasks[task] = Task.Run(() => AppendLoopAsync(log.GetPartition(id % Partitions), run, id,
                id < Partitions ? 1 : 3, stop), CancellationToken.None);
        }
        tasks[Appenders] = Task.Run(() => AppendLoopAsync(log.GetPartition(3), run, Appenders, 60, stop),
            CancellationToken.None);
        await Task.WhenAll(tasks);
    }

    private static async Task RunThreadsAsync(LogStore store, PartitionedLog log, int run, CancellationToken stop)
    {
        const int ThreadAppenders = 12;
        var threads = new List<Thread>();
        for (var task = 0; task < ThreadAppenders + 2; task++)
        {
            var id = task;
            var partition = log.GetPartition(id % Partitions);
            threads.Add(new Thread(id < ThreadAppenders
                ? () => ThreadAppendLoop(partition, run, id, id % 2 == 0 ? 1 : 3, stop)
                : () => ThreadTransactionLoop(store, partition, run, id, stop))
            { Name = $"appender {id}" });
        }
        foreach (var thread in threads)
            thread.Start();
        var pool = new[]
        {
            Task.Run(() => AppendLoopAsync(log.GetPartition(1), run, 20, 1, stop), CancellationToken.None),
            Task.Run(() => AppendLoopAsync(log.GetPartition(2), run, 21, 1, stop), CancellationToken.None),
            Task.Run(() => AppendLoopAsync(log.GetPartition(3), run, 22, 60, stop), CancellationToken.None),
        };
        await Task.WhenAll(pool);
        foreach (var thread in threads)
            thread.Join();
    }

    // As a connection thread: AppendAsync completes on this thread (its own group, or blocked until written).
    private static void ThreadAppendLoop(PartitionLog partition, int run, int task, int batchSize,
        CancellationToken stop)
    {
        using var batch = new RecordBatchBuilder();
        for (long sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            CrashAppends.Fill(batch, run, task, sequence, batchSize);
            var result = partition.AppendAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            Acknowledge(partition, result.BaseOffset, result.Count, run, task, sequence);
        }
    }

    // One-partition transactions of two batches (2 and 1 records): all three records or none.
    private static void ThreadTransactionLoop(LogStore store, PartitionLog partition, int run, int task,
        CancellationToken stop)
    {
        using var first = new RecordBatchBuilder();
        using var second = new RecordBatchBuilder();
        for (long sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            first.Clear();
            second.Clear();
            first.Add(RecordBatchBuilder.UseAppendTime, StorageCrashRecords.Value(run, task, sequence, 0));
            first.Add(RecordBatchBuilder.UseAppendTime, StorageCrashRecords.Value(run, task, sequence, 1));
            second.Add(RecordBatchBuilder.UseAppendTime, StorageCrashRecords.Value(run, task, sequence, 2));
            using var transaction = store.BeginTransaction();
            transaction.Append(partition, first);
            transaction.Append(partition, second);
            transaction.CommitAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            Acknowledge(partition, transaction.GetBaseOffset(partition), 3, run, task, sequence);
        }
    }

    private static void Acknowledge(PartitionLog partition, long baseOffset, int count, int run, int task,
        long sequence)
    {
        Console.Out.WriteLine(
            CrashAppends.Acknowledgement(partition.Partition, baseOffset, count, run, task, sequence));
        if (sequence % 50 == 0)
        {
            var (led, loop) = partition.LeaderCounts;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"S {partition.Partition} {led} {loop} ."));
        }
    }

    private static Task AppendLoopAsync(PartitionLog partition, int run, int task, int batchSize,
        CancellationToken stop) =>
        CrashAppends.AppendLoopAsync(partition, run, task, batchSize, namePartition: true, stop);
}
