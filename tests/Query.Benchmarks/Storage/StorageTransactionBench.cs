using System.Diagnostics;
using Query.Storage;

namespace Query.Benchmarks;

/// <summary>
/// <c>bench storage-txn [seconds]</c>: (1) a 4-partition <see cref="LogTransaction"/> of one 1,000-record batch
/// per partition against the same four batches appended independently (concurrently, awaited together), and a
/// one-partition transaction against a plain append, all with Sync durability; (2) sequential read throughput
/// of a partition with nothing in flight, with a transaction parked between its prepared shares and its commit
/// record, and while transactions commit on the same partitions non-stop.
/// </summary>
internal static class StorageTransactionBench
{
    private const int BatchRecords = 1_000;

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2;
        AppendAsync(TimeSpan.FromSeconds(seconds)).GetAwaiter().GetResult();
        ReadAsync().GetAwaiter().GetResult();
        return 0;
    }

    private static async Task AppendAsync(TimeSpan limit)
    {
        Console.WriteLine($"### Transactional append (Sync, batches of {BatchRecords:N0} records of 100 bytes)");
        Console.WriteLine();
        Console.WriteLine("| mode | partitions | appenders | records | records/s | partition fsyncs | " +
            "commit record fsyncs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (mode, partitions, appenders) in new[] { ("independent appends", 4, 1), ("transaction", 4, 1),
            ("independent appends", 4, 1), ("transaction", 4, 1), ("plain append", 1, 1), ("transaction", 1, 1),
            ("independent appends", 4, 8), ("transaction", 4, 8) })
        {
            StorageBenchKit.SettleDisk();
            using var directory = StorageBenchKit.NewDirectory();
            await using var store = LogStore.Open(directory.Path);
            var log = store.CreateLog("bench", new LogOptions { Partitions = 4, Durability = DurabilityMode.Sync });
            var batches = new RecordBatchBuilder[partitions];
            var value = new byte[StorageBenchKit.ValueBytes];
            for (var p = 0; p < partitions; p++)
            {
                batches[p] = new RecordBatchBuilder(BatchRecords * 160);
                for (var i = 0; i < BatchRecords; i++)
                    batches[p].Add(1_700_000_000_000 + i, value);
            }
            var transactional = mode == "transaction";
            for (var warm = 0; warm < 5; warm++)
                await AppendOnceAsync(store, log, batches, transactional);
            var syncs = SyncCount(log);
            var recordSyncs = store.Coordinator.SyncCount;
            long records = 0;
            var clock = Stopwatch.StartNew();
            var loops = new Task[appenders];
            for (var a = 0; a < appenders; a++)
            {
                loops[a] = Task.Run(async () =>
                {
                    while (clock.Elapsed < limit)
                    {
                        await AppendOnceAsync(store, log, batches, transactional);
                        Interlocked.Add(ref records, (long)partitions * BatchRecords);
                    }
                });
            }
            await Task.WhenAll(loops);
            var elapsed = clock.Elapsed;
            Console.WriteLine($"| {mode} | {partitions} | {appenders} | {records:N0} | " +
                $"{records / elapsed.TotalSeconds:N0} | " +
                $"{SyncCount(log) - syncs:N0} | {store.Coordinator.SyncCount - recordSyncs:N0} |");
            foreach (var batch in batches)
                batch.Dispose();
        }
        Console.WriteLine();
    }

    private static async Task AppendOnceAsync(LogStore store, PartitionedLog log, RecordBatchBuilder[] batches,
        bool transactional)
    {
        if (transactional)
        {
            using var transaction = store.BeginTransaction();
            for (var p = 0; p < batches.Length; p++)
                transaction.Append(log.GetPartition(p), batches[p]);
            await transaction.CommitAsync();
            return;
        }
        var appends = new Task[batches.Length];
        for (var p = 0; p < batches.Length; p++)
            appends[p] = log.GetPartition(p).AppendAsync(batches[p]).AsTask();
        await Task.WhenAll(appends);
    }

    private static long SyncCount(PartitionedLog log)
    {
        long count = 0;
        for (var p = 0; p < log.PartitionCount; p++)
            count += log.GetPartition(p).SyncCount;
        return count;
    }

    private static async Task ReadAsync()
    {
        const int Records = 2_000_000;
        using var directory = StorageBenchKit.NewDirectory();
        await using var store = LogStore.Open(directory.Path);
        var log = store.CreateLog("bench", new LogOptions { Partitions = 2, Durability = DurabilityMode.None });
        var partition = log.GetPartition(0);
        await StorageSeekBench.FillAsync(partition, Records, BatchRecords, jitterMs: 0);
        Console.WriteLine($"### Sequential read of {Records:N0} records with a transaction in flight (page cache)");
        Console.WriteLine();
        Console.WriteLine("| while | pass | records/s | GB/s |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (var pass = 0; pass < 3; pass++)
            ReadOnce(partition, Records, "nothing in flight", pass);
        await ReadWhileParkedAsync(store, log, Records);
        await ReadWhileCommittingAsync(store, log, Records);
        Console.WriteLine();
    }

    // A transaction whose shares are written but whose commit record waits: the writer holds the partition.
    private static async Task ReadWhileParkedAsync(LogStore store, PartitionedLog log, int records)
    {
        using var release = new ManualResetEventSlim();
        store.Coordinator.WriteFault = release.Wait;
        using var batch = Batch();
        using var transaction = store.BeginTransaction();
        transaction.Append(log.GetPartition(0), batch);
        transaction.Append(log.GetPartition(1), batch);
        var commit = Task.Run(async () => await transaction.CommitAsync());
        await Task.Delay(200);
        for (var pass = 0; pass < 3; pass++)
            ReadOnce(log.GetPartition(0), records, "a transaction parked before its commit record", pass);
        release.Set();
        await commit;
        store.Coordinator.WriteFault = null;
    }

    private static async Task ReadWhileCommittingAsync(LogStore store, PartitionedLog log, int records)
    {
        using var stop = new CancellationTokenSource();
        var committed = 0L;
        var writer = Task.Run(async () =>
        {
            using var batch = Batch();
            while (!stop.IsCancellationRequested)
            {
                using var transaction = store.BeginTransaction();
                transaction.Append(log.GetPartition(0), batch);
                transaction.Append(log.GetPartition(1), batch);
                await transaction.CommitAsync();
                committed++;
            }
        });
        var partition = log.GetPartition(0);
        for (var pass = 0; pass < 3; pass++)
            ReadOnce(partition, records, "transactions committing non-stop", pass);
        await stop.CancelAsync();
        await writer;
        Console.WriteLine($"| ({committed:N0} transactions committed meanwhile) | | | |");
    }

    private static RecordBatchBuilder Batch()
    {
        var batch = new RecordBatchBuilder(BatchRecords * 160);
        var value = new byte[StorageBenchKit.ValueBytes];
        for (var i = 0; i < BatchRecords; i++)
            batch.Add(1_700_000_000_000 + i, value);
        return batch;
    }

    private static void ReadOnce(PartitionLog partition, int records, string label, int pass)
    {
        var clock = Stopwatch.StartNew();
        using var reader = partition.OpenReader(0, records);
        long count = 0;
        while (reader.TryRead(out _))
            count++;
        var elapsed = clock.Elapsed;
        if (count != records)
            throw new InvalidOperationException($"read {count} records, expected {records}");
        Console.WriteLine($"| {label} | {pass + 1} | {count / elapsed.TotalSeconds:N0} | " +
            $"{reader.Statistics.BytesRead / 1e9 / elapsed.TotalSeconds:N2} |");
    }
}
