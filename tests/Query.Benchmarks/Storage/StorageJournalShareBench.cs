using System.Diagnostics;
using Query.Storage;

namespace Query.Benchmarks;

/// <summary>
/// Group commit through the store's journal: 32 appenders over 4 partitions (sync durability, single-record
/// appends), as thread-pool tasks that await and as threads of their own that block (the server's connections):
/// journal writes per append and partitions' groups per journal write.
/// </summary>
internal static class StorageJournalShareBench
{
    private const int Appenders = 32, Partitions = 4;

    public static void Run(string[] args)
    {
        var rounds = args.Length > 0 && int.TryParse(args[0], out var n) ? Math.Max(1, n) : 1;
        Console.WriteLine($"### Journal sharing ({Appenders} appenders over {Partitions} partitions, sync, " +
            "single-record appends of 100 bytes)");
        Console.WriteLine();
        Console.WriteLine("| appenders | records | records/s | journal writes | writes per append | " +
            "groups per write | CPU us per record |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        for (var round = 0; round < rounds; round++)
        {
            RunOne(pool: true);
            RunOne(pool: false);
        }
        Console.WriteLine();
    }

    private static void RunOne(bool pool)
    {
        StorageBenchKit.SettleDisk();
        using var directory = StorageBenchKit.NewDirectory();
        using var store = LogStore.Open(directory.Path);
        var log = store.CreateLog("bench", new LogOptions { Partitions = Partitions });
        var journal = store.Journal!;
        var stopAt = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        if (pool)
        {
            var tasks = new Task[Appenders];
            for (var a = 0; a < Appenders; a++)
            {
                var partition = log.GetPartition(a % Partitions);
                tasks[a] = Task.Run(() => StorageGroupCommitBench.AppendUntilAsync(partition, stopAt));
            }
            Task.WaitAll(tasks);
        }
        else
        {
            var threads = new Thread[Appenders];
            for (var a = 0; a < Appenders; a++)
            {
                var partition = log.GetPartition(a % Partitions);
                threads[a] = new Thread(() =>
                    StorageGroupCommitBench.AppendUntilAsync(partition, stopAt).GetAwaiter().GetResult());
                threads[a].Start();
            }
            foreach (var thread in threads)
                thread.Join();
        }
        var elapsed = clock.Elapsed;
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
        long records = 0;
        for (var p = 0; p < Partitions; p++)
            records += log.GetPartition(p).EndOffset;
        var writes = journal.SyncCount;
        Console.WriteLine($"| {(pool ? "pool tasks" : "threads")} | {records:N0} | " +
            $"{records / elapsed.TotalSeconds:N0} | {writes:N0} | {(double)writes / Math.Max(1, records):N3} | " +
            $"{(double)journal.RecordCount / Math.Max(1, writes):N2} | {cpuUs / Math.Max(1, records):N0} |");
    }
}
