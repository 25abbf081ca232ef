namespace Query.Storage.Tests;

/// <summary>The records the time-range read tests build: timestamps about 10 ms apart, in log <c>t</c> of one
/// partition over several segments.</summary>
internal static class TimedPartition
{
    /// <summary>Mostly ordered (10 ms apart) with jitter, and one record in 200 thrown far back or ahead.</summary>
    public static long[] Jittered(int records, int seed)
    {
        var random = new Random(seed);
        var timestamps = new long[records];
        for (var i = 0; i < records; i++)
        {
            timestamps[i] = 10L * i + random.Next(-300, 301);
            if (random.Next(200) == 0)
                timestamps[i] = random.NextInt64(0, 10L * records);
        }
        return timestamps;
    }

    /// <summary>Creates log <c>t</c> (no fsync, 256 KiB segments) and appends a record per timestamp, in batches of
    /// <paramref name="batchSize"/>.</summary>
    public static async Task<PartitionLog> CreateAsync(LogStore store, long[] timestamps, int batchSize)
    {
        var options = new LogOptions { Durability = DurabilityMode.None, SegmentMaxBytes = 256 * 1024 };
        var partition = store.CreateLog("t", options).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, timestamps.Length, batchSize, n => timestamps[n]);
        return partition;
    }
}
