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

    public static async Task RunAsync(string directory, int run, CancellationToken stop)
    {
        await using var store = LogStore.Open(directory, StoreOptions);
        if (!store.TryGetLog(LogName, out var log))
            log = store.CreateLog(LogName, new LogOptions
            {
                Partitions = Partitions,
                SegmentMaxBytes = 32 * 1024,
                Durability = DurabilityMode.Sync,
            });
        Console.Out.WriteLine("ready " + log.GetPartition(0).EndOffset.ToString(CultureInfo.InvariantCulture));
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

    private static async Task AppendLoopAsync(PartitionLog partition, int run, int task, int batchSize,
        CancellationToken stop)
    {
        using var batch = new RecordBatchBuilder();
        for (long sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            batch.Clear();
            for (var index = 0; index < batchSize; index++)
                batch.Add(RecordBatchBuilder.UseAppendTime, StorageCrashRecords.Value(run, task, sequence, index));
            var result = await partition.AppendAsync(batch, CancellationToken.None);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"A {partition.Partition} {result.BaseOffset} {result.Count} {run} {task} {sequence} ."));
        }
    }
}
