using System.Globalization;
using Query.Storage;
using Query.Testing;

namespace Query.CrashHarness;

/// <summary>
/// Transaction mode (<c>Query.CrashHarness txn DATA_DIR RUN [SECONDS]</c>): three appenders commit
/// <see cref="LogTransaction"/>s over one to five partitions of two logs (shapes from
/// <see cref="StorageCrashTransactions"/>; one appender also writes staged shares) and print
/// <c>C run task sequence .</c> per acknowledged commit. A reader task tails all five partitions while they
/// run: at every point where it has caught up with a partition it checks that each transaction's share it read
/// there is whole (<c>V ...</c> lines report a violation), and it prints <c>S run task sequence .</c> for every
/// transaction it has seen, so the test can prove all of them survive whole.
/// </summary>
internal static class TransactionWorkload
{
    private const int Appenders = 3;

    public static async Task RunAsync(string directory, int run, CancellationToken stop)
    {
        await using var store = LogStore.Open(directory);
        var partitions = OpenPartitions(store);
        Console.Out.WriteLine("ready");
        var tasks = new List<Task>();
        for (var task = 0; task < Appenders; task++)
        {
            var id = task;
            tasks.Add(Task.Run(() => AppendLoopAsync(store, partitions, run, id, stop), CancellationToken.None));
        }
        using var readerStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var reader = Task.Run(() => ReadLoop(partitions, readerStop.Token), CancellationToken.None);
        await Task.WhenAll(tasks);
        await readerStop.CancelAsync();
        await reader;
    }

    private static PartitionLog[] OpenPartitions(LogStore store)
    {
        var options = new LogOptions { SegmentMaxBytes = 16 * 1024, Durability = DurabilityMode.Sync };
        if (!store.TryGetLog(StorageCrashTransactions.LogA, out var a))
            a = store.CreateLog(StorageCrashTransactions.LogA, options with { Partitions = 3 });
        if (!store.TryGetLog(StorageCrashTransactions.LogB, out var b))
            b = store.CreateLog(StorageCrashTransactions.LogB, options with { Partitions = 2 });
        var partitions = new PartitionLog[StorageCrashTransactions.Partitions];
        for (var p = 0; p < partitions.Length; p++)
        {
            var (log, partition) = StorageCrashTransactions.Locate(p);
            partitions[p] = (log == StorageCrashTransactions.LogA ? a : b).GetPartition(partition);
        }
        return partitions;
    }

    private static async Task AppendLoopAsync(LogStore store, PartitionLog[] partitions, int run, int task,
        CancellationToken stop)
    {
        for (long sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var builders = new List<RecordBatchBuilder>();
            try
            {
                using var transaction = store.BeginTransaction();
                foreach (var share in StorageCrashTransactions.Shape(run, task, sequence))
                    AddShare(transaction, partitions[share.Partition], share, run, task, sequence, builders);
                await transaction.CommitAsync(CancellationToken.None);
            }
            finally
            {
                foreach (var builder in builders)
                    builder.Dispose();
            }
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"C {run} {task} {sequence} ."));
        }
    }

    private static void AddShare(LogTransaction transaction, PartitionLog partition,
        StorageCrashTransactions.Share share, int run, int task, long sequence, List<RecordBatchBuilder> builders)
    {
        var staged = share.Staged ? transaction.BeginStagedAppend(partition) : null;
        RecordBatchBuilder? batch = null;
        for (var i = 0; i < share.Records; i++)
        {
            if (batch is null)
            {
                batch = new RecordBatchBuilder();
                builders.Add(batch);
            }
            var index = (share.Partition * StorageCrashTransactions.IndexStride) + i;
            batch.Add(RecordBatchBuilder.UseAppendTime, StorageCrashRecords.Value(run, task, sequence, index));
            if (batch.Count < share.BatchRecords && i < share.Records - 1)
                continue;
            if (staged is not null)
            {
                staged.Append(batch);
                batch.Clear();
            }
            else
            {
                transaction.Append(partition, batch);
                batch = null;
            }
        }
    }

    // Tails every partition; where it has caught up with one, every share it read there must be whole.
    private static void ReadLoop(PartitionLog[] partitions, CancellationToken stop)
    {
        var readers = new LogReader[partitions.Length];
        var counts = new Dictionary<(int Run, int Task, long Sequence, int Partition), int>();
        var seen = new HashSet<(int, int, long)>();
        try
        {
            for (var p = 0; p < partitions.Length; p++)
                readers[p] = partitions[p].OpenReader(partitions[p].StartOffset);
            while (!stop.IsCancellationRequested)
            {
                for (var p = 0; p < partitions.Length; p++)
                    CatchUp(readers[p], p, counts, seen);
                Thread.Sleep(1);
            }
        }
        finally
        {
            foreach (var reader in readers)
                reader?.Dispose();
        }
    }

    private static void CatchUp(LogReader reader, int partition,
        Dictionary<(int, int, long, int), int> counts, HashSet<(int, int, long)> seen)
    {
        var touched = new HashSet<(int, int, long, int)>();
        while (reader.TryRead(out var record))
        {
            if (!StorageCrashRecords.TryParseIdentity(record.Value, out var id))
            {
                Console.Out.WriteLine($"V garbage at partition {partition} offset {record.Offset} .");
                continue;
            }
            var key = (id.Run, id.Task, id.Sequence, partition);
            counts[key] = counts.GetValueOrDefault(key) + 1;
            touched.Add(key);
            if (seen.Add((id.Run, id.Task, id.Sequence)))
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"S {id.Run} {id.Task} {id.Sequence} ."));
        }
        foreach (var key in touched)
        {
            var expected = 0;
            foreach (var share in StorageCrashTransactions.Shape(key.Item1, key.Item2, key.Item3))
            {
                if (share.Partition == partition)
                    expected = share.Records;
            }
            if (counts[key] != expected)
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"V partial share {key} at offset {reader.NextOffset}: {counts[key]} of {expected} records ."));
            counts.Remove(key);
        }
    }
}
