using System.Diagnostics;
using Query.Storage;

namespace Query.Benchmarks;

/// <summary>
/// Sync durability, single-record appends: 32 concurrent appenders sharing fsyncs (group commit) against one
/// appender, where every record pays its own fsync.
/// </summary>
internal static class StorageGroupCommitBench
{
    public static int Run(string[] args)
    {
        Console.WriteLine("### Group commit (sync durability, single-record appends of 100 bytes)");
        Console.WriteLine();
        Console.WriteLine("| appenders | records | records/s | fsyncs | records per fsync |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var one = RunOne(1).GetAwaiter().GetResult();
        var many = RunOne(32).GetAwaiter().GetResult();
        Console.WriteLine();
        Console.WriteLine($"Group commit speed-up (32 appenders vs one fsync per record): {many / one:N1}x");
        Console.WriteLine();
        StorageJournalShareBench.Run(args);
        return 0;
    }

    private static async Task<double> RunOne(int appenders)
    {
        StorageBenchKit.SettleDisk();
        using var directory = StorageBenchKit.NewDirectory();
        await using var store = LogStore.Open(directory.Path);
        var partition = store.CreateLog("bench", new LogOptions()).GetPartition(0);
        var stopAt = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
        var startSyncs = partition.SyncCount;
        var clock = Stopwatch.StartNew();
        var tasks = new Task[appenders];
        for (var a = 0; a < appenders; a++)
        {
            tasks[a] = Task.Run(() => AppendUntilAsync(partition, stopAt));
        }
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        var records = partition.EndOffset;
        var syncs = partition.SyncCount - startSyncs;
        var rate = records / elapsed.TotalSeconds;
        var perSync = (double)records / Math.Max(1, syncs);
        Console.WriteLine($"| {appenders} | {records:N0} | {rate:N0} | {syncs:N0} | {perSync:N1} |");
        return rate;
    }

    /// <summary>Single-record appends until <paramref name="stopAt"/> (a Stopwatch timestamp). On a thread of its
    /// own each append returns completed, so this runs on that thread throughout.</summary>
    internal static async Task AppendUntilAsync(PartitionLog partition, long stopAt)
    {
        using var batch = new RecordBatchBuilder();
        var value = new byte[StorageBenchKit.ValueBytes];
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            batch.Clear();
            batch.Add(1, value);
            await partition.AppendAsync(batch);
        }
    }
}
