using System.Diagnostics;
using Query.Storage;

namespace Query.Benchmarks;

/// <summary>
/// Offset seek (open a reader at a random offset and read that record) and time seek
/// (<see cref="PartitionLog.FindOffsetForTimestamp"/> for a random timestamp) in a 10-million-record log.
/// Args: [records] [batchSize]; timestamps rise 1 ms per record with +-500 ms jitter (not monotonic).
/// </summary>
internal static class StorageSeekBench
{
    private const long BaseTimestampMs = 1_700_000_000_000;

    public static int Run(string[] args)
    {
        var records = args.Length > 0 && long.TryParse(args[0], out var r) ? r : 10_000_000;
        var batchSize = args.Length > 1 && int.TryParse(args[1], out var b) ? b : 100;
        using var directory = StorageBenchKit.NewDirectory();
        using var store = LogStore.Open(directory.Path);
        var partition = store.CreateLog("bench", new LogOptions { Durability = DurabilityMode.None }).GetPartition(0);
        var fill = Stopwatch.StartNew();
        FillAsync(partition, records, batchSize, jitterMs: 500).GetAwaiter().GetResult();
        var segments = partition.GetSegments();
        Console.WriteLine($"### Seek latency ({records:N0} records in batches of {batchSize}, " +
            $"{segments.Count} segments, " +
            $"{segments.Sum(s => s.SizeBytes) / 1e9:N2} GB, filled in {fill.Elapsed.TotalSeconds:N1} s)");
        Console.WriteLine();
        Console.WriteLine("| seek | ops | mean µs | p50 µs | p99 µs |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        var random = new Random(42);
        Measure("by offset (open reader + first record)", 20_000, () =>
        {
            var offset = random.NextInt64(0, records);
            using var reader = partition.OpenReader(offset);
            if (!reader.TryRead(out var record) || record.Offset != offset)
                throw new InvalidOperationException($"seek to {offset} failed");
        });
        Measure("by time (FindOffsetForTimestamp)", 20_000, () =>
        {
            var offset = partition.FindOffsetForTimestamp(BaseTimestampMs + random.NextInt64(0, records));
            if (offset < 0 || offset > records)
                throw new InvalidOperationException("time seek failed");
        });
        Console.WriteLine();
        return 0;
    }

    private static void Measure(string name, int operations, Action operation)
    {
        for (var i = 0; i < 2000; i++)
            operation();   // warm-up (JIT, page cache of the index)
        var samples = new double[operations];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < operations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            operation();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        var mean = total.Elapsed.TotalMicroseconds / operations;
        Array.Sort(samples);
        var p50 = samples[operations / 2];
        var p99 = samples[operations * 99 / 100];
        Console.WriteLine($"| {name} | {operations:N0} | {mean:N1} | {p50:N1} | {p99:N1} |");
    }

    public static async Task FillAsync(PartitionLog partition, long records, int batchSize, int jitterMs)
    {
        var random = new Random(1);
        var value = new byte[StorageBenchKit.ValueBytes];
        using var batch = new RecordBatchBuilder(batchSize * 160);
        for (long n = 0; n < records; n += batchSize)
        {
            batch.Clear();
            var count = (int)Math.Min(batchSize, records - n);
            for (var i = 0; i < count; i++)
            {
                BitConverter.TryWriteBytes(value, n + i);
                batch.Add(BaseTimestampMs + n + i + (jitterMs == 0 ? 0 : random.Next(-jitterMs, jitterMs + 1)), value);
            }
            await partition.AppendAsync(batch);
        }
    }
}
