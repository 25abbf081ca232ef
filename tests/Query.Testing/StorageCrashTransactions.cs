namespace Query.Testing;

/// <summary>
/// The transactions the crash harness commits in its transaction mode, derived from (run, task, sequence) so the
/// crash test can tell, from any one record, how many records every partition of that transaction must hold.
/// Partitions are numbered 0-4 over two logs: <see cref="LogA"/> partitions 0-2 and <see cref="LogB"/>
/// partitions 0-1. A record's index is <c>partition * 10000 + position in the share</c>.
/// </summary>
public static class StorageCrashTransactions
{
    public const string LogA = "tx-a";
    public const string LogB = "tx-b";
    public const int Partitions = 5;
    public const int IndexStride = 10_000;

    /// <summary>One partition's share: how many records, and whether it is written as a staged append.</summary>
    public readonly record struct Share(int Partition, int Records, int BatchRecords, bool Staged);

    public static (string Log, int Partition) Locate(int partition) =>
        partition < 3 ? (LogA, partition) : (LogB, partition - 3);

    public static List<Share> Shape(int run, int task, long sequence)
    {
        var random = new Random(unchecked((run * 7919) ^ (task * 104729) ^ (int)(sequence * 31)));
        var count = random.Next(1, Partitions + 1);   // one-partition transactions too
        var first = random.Next(Partitions);
        var shares = new List<Share>(count);
        for (var k = 0; k < count; k++)
        {
            var partition = (first + k) % Partitions;
            var staged = task == 2 && k == 0 && random.Next(3) == 0;
            var records = staged ? 150 + random.Next(100) : 1 + random.Next(30);
            shares.Add(new Share(partition, records, staged ? 10 : 1 + random.Next(8), staged));
        }
        return shares;
    }
}
