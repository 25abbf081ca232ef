using System.Globalization;
using Query.Storage;
using Query.Testing;

namespace Query.CrashHarness;

/// <summary>What every workload of the harness shares: the records of one append, the appender loop, the line that
/// acknowledges an append, and the SECONDS argument.</summary>
internal static class CrashAppends
{
    /// <summary>Makes <paramref name="batch"/> hold the <paramref name="count"/> records of append
    /// <paramref name="sequence"/> of <paramref name="task"/> in <paramref name="run"/>.</summary>
    public static void Fill(RecordBatchBuilder batch, int run, int task, long sequence, int count)
    {
        batch.Clear();
        for (var index = 0; index < count; index++)
            batch.Add(RecordBatchBuilder.UseAppendTime, StorageCrashRecords.Value(run, task, sequence, index));
    }

    /// <summary>
    /// Appends batches of <paramref name="batchSize"/> until <paramref name="stop"/>, printing <c>A baseOffset count
    /// run task sequence .</c> for each acknowledged one (<c>A partition baseOffset …</c> when
    /// <paramref name="namePartition"/>).
    /// </summary>
    public static async Task AppendLoopAsync(PartitionLog partition, int run, int task, int batchSize,
        bool namePartition, CancellationToken stop)
    {
        using var batch = new RecordBatchBuilder();
        for (long sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            Fill(batch, run, task, sequence, batchSize);
            var result = await partition.AppendAsync(batch, CancellationToken.None);
            Console.Out.WriteLine(namePartition
                ? Acknowledgement(partition.Partition, result.BaseOffset, result.Count, run, task, sequence)
                : Acknowledgement(result.BaseOffset, result.Count, run, task, sequence));
        }
    }

    /// <summary>The line acknowledging an append to the one partition of a log.</summary>
    public static string Acknowledgement(long baseOffset, int count, int run, int task, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"A {baseOffset} {count} {run} {task} {sequence} .");

    /// <summary>The line acknowledging an append to <paramref name="partition"/>.</summary>
    public static string Acknowledgement(int partition, long baseOffset, int count, int run, int task,
        long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"A {partition} {baseOffset} {count} {run} {task} {sequence} .");

    /// <summary>Cancels after the SECONDS argument at <paramref name="index"/> when there is one (and it is finite),
    /// else never.</summary>
    public static CancellationTokenSource StopAfter(string[] args, int index)
    {
        var seconds = args.Length > index
            ? double.Parse(args[index], CultureInfo.InvariantCulture)
            : double.PositiveInfinity;
        return double.IsPositiveInfinity(seconds)
            ? new CancellationTokenSource()
            : new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
    }
}
