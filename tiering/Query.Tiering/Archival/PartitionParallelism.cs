namespace Query.Tiering.Archival;

/// <summary>
/// Runs one piece of work per partition, at most <c>parallelism</c> at once, each on a pool thread (archival is
/// CPU-bound: an async method would run synchronously on the caller's thread up to its first real wait). Each
/// partition's work must use its own layout instance (layouts keep scratch rows) and catches what it wants
/// recorded; an exception it lets out is thrown after every partition has finished (the first, by partition).
/// Memory is bounded by the parallelism: each running partition buffers one row group of at most
/// <see cref="ColdFileOptions.RowGroupMaxBytes"/> plus the library's page buffers.
/// </summary>
public static class PartitionParallelism
{
    /// <summary>The largest parallelism a setting may ask for.</summary>
    public const int Max = 256;

    public static async Task ForEachAsync(int partitions, int parallelism, Func<int, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        if (partitions <= 0)
            return;
        if (parallelism == 1 || partitions == 1)
        {
            for (var p = 0; p < partitions; p++)
                await work(p).ConfigureAwait(false);
            return;
        }
        var next = -1;
        var errors = new Exception?[partitions];
        var workers = new Task[Math.Min(parallelism, partitions)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int p;
                while ((p = Interlocked.Increment(ref next)) < partitions)
                {
                    try
                    {
                        await work(p).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        errors[p] = e;
                    }
                }
            });
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        foreach (var error in errors)
        {
            if (error is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }
}
