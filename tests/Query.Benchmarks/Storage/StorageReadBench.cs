using System.Diagnostics;
using Query.Storage;
using Query.Storage.Reading;

namespace Query.Benchmarks;

/// <summary>
/// Sequential read of a freshly written log (so from the page cache), every batch CRC-checked.
/// <c>bench storage-read [direct|seam|both]</c>: <c>direct</c> (the default) reads with
/// <see cref="PartitionLog.OpenReader"/>; <c>seam</c> through <see cref="HotPartitionSource"/> and
/// <see cref="IRecordReader"/>, as the engine does; <c>both</c> alternates the two, pass by pass, on the same data.
/// </summary>
internal static class StorageReadBench
{
    public static int Run(string[] args)
    {
        const int Records = 3_000_000;
        var mode = args.Length > 0 ? args[0] : "direct";
        string[] modes = mode switch
        {
            "direct" or "seam" => [mode],
            "both" => ["direct", "seam"],
            _ => throw new ArgumentException($"unknown mode \"{mode}\": direct, seam or both"),
        };
        using var directory = StorageBenchKit.NewDirectory();
        using var store = LogStore.Open(directory.Path);
        var partition = store.CreateLog("bench", new LogOptions { Durability = DurabilityMode.None }).GetPartition(0);
        StorageSeekBench.FillAsync(partition, Records, 1000, jitterMs: 0).GetAwaiter().GetResult();
        var source = new HotPartitionSource(partition);
        Console.WriteLine("### Sequential read with CRC-32C verification " +
            $"({Records:N0} records of 100 bytes, batches of 1000, page cache)");
        Console.WriteLine();
        Console.WriteLine("| pass | reader | records/s | GB/s (on disk) | batches |");
        Console.WriteLine("|---:|---|---:|---:|---:|");
        for (var pass = 1; pass <= 6; pass++)   // the first passes run partly in tier-0 JIT code
        {
            foreach (var name in modes)
            {
                if (name == "seam")
                {
                    using var reader = source.OpenReader(0);
                    var clock = Stopwatch.StartNew();
                    var count = ReadAll(reader);
                    Report(pass, name, count, Records, reader.Statistics, clock.Elapsed);
                }
                else
                {
                    using var reader = partition.OpenReader(0);
                    var clock = Stopwatch.StartNew();
                    var count = ReadAll(reader);
                    Report(pass, name, count, Records, reader.Statistics, clock.Elapsed);
                }
            }
        }
        Console.WriteLine();
        return 0;
    }

    // Two copies on purpose: the direct one calls the concrete LogReader, as the bench did before the seam.
    private static long ReadAll(LogReader reader)
    {
        long count = 0, checksum = 0;
        while (reader.TryRead(out var record))
        {
            count++;
            checksum += record.Value[0];
        }
        return checksum >= 0 ? count : -1;
    }

    private static long ReadAll(IRecordReader reader)
    {
        long count = 0, checksum = 0;
        while (reader.TryRead(out var record))
        {
            count++;
            checksum += record.Value[0];
        }
        return checksum >= 0 ? count : -1;
    }

    private static void Report(int pass, string name, long count, long expected, ReadStatistics statistics,
        TimeSpan elapsed)
    {
        if (count != expected)
            throw new InvalidOperationException($"read {count} records, expected {expected}");
        Console.WriteLine($"| {pass} | {name} | {count / elapsed.TotalSeconds:N0} | " +
            $"{statistics.BytesRead / 1e9 / elapsed.TotalSeconds:N2} | {statistics.BatchesRead:N0} |");
    }
}
