using System.Diagnostics;
using Query.Storage;

namespace Query.Benchmarks;

/// <summary>Sequential read of a freshly written log (so from the page cache), every batch CRC-checked.</summary>
internal static class StorageReadBench
{
    public static int Run(string[] args)
    {
        const int Records = 3_000_000;
        using var directory = StorageBenchKit.NewDirectory();
        using var store = LogStore.Open(directory.Path);
        var partition = store.CreateLog("bench", new LogOptions { Durability = DurabilityMode.None }).GetPartition(0);
        StorageSeekBench.FillAsync(partition, Records, 1000, jitterMs: 0).GetAwaiter().GetResult();
        Console.WriteLine("### Sequential read with CRC-32C verification " +
            $"({Records:N0} records of 100 bytes, batches of 1000, page cache)");
        Console.WriteLine();
        Console.WriteLine("| pass | records/s | GB/s (on disk) | batches |");
        Console.WriteLine("|---:|---:|---:|---:|");
        for (var pass = 1; pass <= 6; pass++)   // the first passes run partly in tier-0 JIT code
        {
            var clock = Stopwatch.StartNew();
            using var reader = partition.OpenReader(0);
            long count = 0, checksum = 0;
            while (reader.TryRead(out var record))
            {
                count++;
                checksum += record.Value[0];
            }
            var elapsed = clock.Elapsed;
            if (count != Records)
                throw new InvalidOperationException($"read {count} records, expected {Records} ({checksum})");
            Console.WriteLine($"| {pass} | {count / elapsed.TotalSeconds:N0} | " +
                $"{reader.Statistics.BytesRead / 1e9 / elapsed.TotalSeconds:N2} | " +
                $"{reader.Statistics.BatchesRead:N0} |");
        }
        Console.WriteLine();
        return 0;
    }
}
