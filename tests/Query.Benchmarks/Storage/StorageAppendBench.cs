using System.Diagnostics;
using Query.Storage;

namespace Query.Benchmarks;

/// <summary>One appender, 100-byte values, batches of 1 / 100 / 1000, durability sync (through the store's journal,
/// and with it off: an fdatasync of the segment) and none.</summary>
internal static class StorageAppendBench
{
    public static int Run(string[] args)
    {
        Console.WriteLine("### Append throughput (one appender, 100-byte values)");
        Console.WriteLine();
        Console.WriteLine("| durability | batch | records | records/s | MB/s (values) | MB/s (on disk) | fsyncs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (durability, journal) in new[]
            { (DurabilityMode.Sync, true), (DurabilityMode.Sync, false), (DurabilityMode.None, true) })
        {
            foreach (var batchSize in new[] { 1, 100, 1000 })
                RunOne(durability, journal, batchSize).GetAwaiter().GetResult();
        }
        Console.WriteLine();
        return 0;
    }

    private static async Task RunOne(DurabilityMode durability, bool journal, int batchSize)
    {
        StorageBenchKit.SettleDisk();
        using var directory = StorageBenchKit.NewDirectory();
        await using var store = LogStore.Open(directory.Path, new LogStoreOptions { Journal = journal });
        var partition = store.CreateLog("bench", new LogOptions { Durability = durability }).GetPartition(0);
        using var batch = new RecordBatchBuilder(batchSize * 160);
        var value = new byte[StorageBenchKit.ValueBytes];
        // Time-boxed so a slow disk (sync, batch 1) still finishes: ~2 s or 5 M records.
        var limit = TimeSpan.FromSeconds(2);
        const long MaxRecords = 5_000_000;
        await AppendBatchesAsync(partition, batch, value, batchSize, 2000 / batchSize + 1);   // warm-up
        var startSyncs = partition.SyncCount;
        var startOffset = partition.EndOffset;
        var startBytes = partition.GetSegments().Sum(s => s.SizeBytes);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && partition.EndOffset - startOffset < MaxRecords)
            await AppendBatchesAsync(partition, batch, value, batchSize, Math.Max(1, 10_000 / batchSize));
        var elapsed = clock.Elapsed;
        var records = partition.EndOffset - startOffset;
        var diskBytes = partition.GetSegments().Sum(s => s.SizeBytes) - startBytes;
        var mode = durability == DurabilityMode.Sync ? journal ? "Sync (journal)" : "Sync (journal off)" : "None";
        Console.WriteLine($"| {mode} | {batchSize} | {records:N0} | {records / elapsed.TotalSeconds:N0} | " +
            $"{StorageBenchKit.Mb(records * StorageBenchKit.ValueBytes, elapsed):N1} | " +
            $"{StorageBenchKit.Mb(diskBytes, elapsed):N1} | {partition.SyncCount - startSyncs:N0} |");
    }

    private static async Task AppendBatchesAsync(PartitionLog partition, RecordBatchBuilder batch, byte[] value,
        int batchSize, int batches)
    {
        for (var b = 0; b < batches; b++)
        {
            batch.Clear();
            for (var i = 0; i < batchSize; i++)
                batch.Add(1_700_000_000_000 + i, value);
            await partition.AppendAsync(batch);
        }
    }
}
