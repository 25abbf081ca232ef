using System.Globalization;
using Query.Storage;
using Query.Testing;

namespace Query.CrashHarness;

/// <summary>
/// The child process of the crash test: <c>Query.CrashHarness DATA_DIR RUN [SECONDS]</c>. Opens (and so
/// recovers) the store, prints <c>ready</c>, then appends as fast as it can with Sync durability from four
/// concurrent appenders (one of them in batches of three) plus one staged appender (task 4: a
/// <see cref="StagedAppend"/> of 40 batches of 5 records, about three segments, committed whole), and prints
/// one line per acknowledged append:
/// <c>A baseOffset count run task sequence .</c> — the trailing dot tells a complete line from one cut by
/// the kill. Runs until killed, or for SECONDS and then closes cleanly.
/// <para><c>Query.CrashHarness txn DATA_DIR RUN [SECONDS]</c> runs <see cref="TransactionWorkload"/>
/// instead, <c>Query.CrashHarness journal|leader DATA_DIR RUN [SECONDS]</c> <see cref="JournalWorkload"/>.</para>
/// </summary>
internal static class Program
{
    private const int Appenders = 4;

    /// <summary>Records per staged append (the crash test checks each is all or nothing).</summary>
    public const int StagedRecords = 200;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "txn")
            return await RunAsync(args[1..], TransactionWorkload.RunAsync);
        if (args.Length > 0 && args[0] is "journal" or "leader")
        {
            var threads = args[0] == "leader";
            return await RunAsync(args[1..], (directory, run, stop) =>
                JournalWorkload.RunAsync(directory, run, stop, threads));
        }
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: Query.CrashHarness [txn] DATA_DIR RUN [SECONDS]");
            return 2;
        }
        var run = int.Parse(args[1], CultureInfo.InvariantCulture);
        await using var store = LogStore.Open(args[0]);
        if (!store.TryGetLog("crash", out var log))
            log = store.CreateLog("crash", new LogOptions
            {
                SegmentMaxBytes = 16 * 1024,
                Durability = DurabilityMode.Sync
            });
        var partition = log.GetPartition(0);
        Console.Out.WriteLine("ready " + partition.EndOffset.ToString(CultureInfo.InvariantCulture));
        using var stop = CrashAppends.StopAfter(args, 2);
        var tasks = new Task[Appenders + 1];
        for (var task = 0; task < Appenders; task++)
        {
            var id = task;
            tasks[task] = Task.Run(() => CrashAppends.AppendLoopAsync(partition, run, id, id == 0 ? 3 : 1,
                namePartition: false, stop.Token));
        }
        tasks[Appenders] = Task.Run(() => StagedLoopAsync(partition, run, Appenders, stop.Token));
        await Task.WhenAll(tasks);
        return 0;
    }

    /// <summary>Runs a workload over DATA_DIR as RUN (for SECONDS, when given).</summary>
    private static async Task<int> RunAsync(string[] args, Func<string, int, CancellationToken, Task> workload)
    {
        var run = int.Parse(args[1], CultureInfo.InvariantCulture);
        using var stop = CrashAppends.StopAfter(args, 2);
        await workload(args[0], run, stop.Token);
        return 0;
    }

    private static async Task StagedLoopAsync(PartitionLog partition, int run, int task, CancellationToken stop)
    {
        using var batch = new RecordBatchBuilder();
        for (long sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            using var staged = partition.BeginStagedAppend();
            for (var index = 0; index < StagedRecords; index++)
            {
                batch.Add(RecordBatchBuilder.UseAppendTime, StorageCrashRecords.Value(run, task, sequence, index));
                if (batch.Count == 5)
                {
                    staged.Append(batch);
                    batch.Clear();
                }
            }
            var baseOffset = await staged.CommitAsync(CancellationToken.None);
            Console.Out.WriteLine(CrashAppends.Acknowledgement(baseOffset, StagedRecords, run, task, sequence));
        }
    }
}
