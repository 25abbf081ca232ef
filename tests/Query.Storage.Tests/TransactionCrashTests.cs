using System.Globalization;
using Query.Testing;
using Xunit.Abstractions;

namespace Query.Storage.Tests;

/// <summary>
/// Kills the crash harness in transaction mode (three appenders committing transactions over one to five
/// partitions of two logs, some with staged shares, and a reader tailing all five) with SIGKILL at random
/// moments, 20 times over one data directory, then proves: every transaction is wholly present or wholly absent
/// in every partition; every acknowledged one is present; every one the reader saw is present; the reader never
/// caught up with a partition holding part of a share; offsets are dense and no record appears twice.
/// </summary>
public sealed class TransactionCrashTests : IDisposable
{
    private const int Rounds = 20;
    private readonly TempDirectory _directory = new("storage-txn-crash");
    private readonly ITestOutputHelper _output;

    public TransactionCrashTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_transaction_is_whole_or_absent_in_every_partition_after_20_sigkills()
    {
        var random = new Random(20261206);
        var acknowledged = new HashSet<(int, int, long)>();
        var seenByReader = new HashSet<(int, int, long)>();
        for (var run = 0; run < Rounds; run++)
        {
            using var harness = CrashHarnessProcess.Start(_directory.Path, run, transactions: true);
            await harness.Ready.WaitAsync(TimeSpan.FromSeconds(30));
            await FirstCommitAsync(harness);   // not FirstAck: the reader's lines about earlier rounds end in " ." too
            await Task.Delay(random.Next(0, 300));
            harness.Kill();
            var acknowledgedBefore = acknowledged.Count;
            foreach (var line in harness.Lines)
            {
                Assert.False(line.StartsWith("V ", StringComparison.Ordinal), $"round {run}: the reader saw {line}");
                Assert.False(line.StartsWith("E ", StringComparison.Ordinal), $"round {run}: {line}");
                if (TryParse(line, "C", out var id))
                    acknowledged.Add(id);
                else if (TryParse(line, "S", out id))
                    seenByReader.Add(id);
            }
            Assert.True(acknowledged.Count > acknowledgedBefore, $"round {run} acknowledged nothing");
        }

        var present = VerifyWholeOrAbsent(out var staged, out var multiPartition);
        _output.WriteLine($"{Rounds} rounds: {acknowledged.Count} acknowledged, {present.Count} present " +
            $"({multiPartition} over several partitions, {staged} with a staged share), " +
            $"{seenByReader.Count} seen by the reader");
        Assert.True(staged > 0, "no staged share was committed");
        Assert.True(multiPartition > 0, "no multi-partition transaction was committed");
        foreach (var id in acknowledged)
            Assert.True(present.Contains(id), $"acknowledged transaction {id} is missing");
        foreach (var id in seenByReader)
            Assert.True(present.Contains(id), $"transaction {id} was seen by the reader, then lost");
    }

    // Reads every partition after recovery: dense offsets, each share contiguous and whole, each transaction in
    // every partition of its shape.
    private HashSet<(int, int, long)> VerifyWholeOrAbsent(out int staged, out int multiPartition)
    {
        var counts = new Dictionary<(int Run, int Task, long Sequence, int Partition), int>();
        using (var store = LogStore.Open(_directory.Path))
        {
            for (var p = 0; p < StorageCrashTransactions.Partitions; p++)
            {
                var (name, number) = StorageCrashTransactions.Locate(p);
                Assert.True(store.TryGetLog(name, out var log));
                var partition = log.GetPartition(number);
                using var reader = partition.OpenReader(0);
                var expectedOffset = 0L;
                (int, int, long, int)? current = null;
                var nextIndex = 0;
                while (reader.TryRead(out var record))
                {
                    Assert.Equal(expectedOffset++, record.Offset);
                    Assert.True(StorageCrashRecords.TryParseIdentity(record.Value, out var id),
                        $"partition {p} offset {record.Offset} is garbage");
                    var key = (id.Run, id.Task, id.Sequence, p);
                    if (current != key)
                    {
                        Assert.False(counts.ContainsKey(key), $"share {key} is split or appears twice");
                        current = key;
                        nextIndex = 0;
                    }
                    Assert.Equal((p * StorageCrashTransactions.IndexStride) + nextIndex++, id.Index);
                    Assert.True(record.Value.SequenceEqual(StorageCrashRecords.Value(id.Run, id.Task, id.Sequence,
                        id.Index)), $"partition {p} offset {record.Offset} holds different bytes");
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
                Assert.Equal(partition.EndOffset, expectedOffset);
            }
        }
        var present = new HashSet<(int, int, long)>();
        foreach (var key in counts.Keys)
            present.Add((key.Run, key.Task, key.Sequence));
        staged = multiPartition = 0;
        foreach (var (run, task, sequence) in present)
        {
            var shape = StorageCrashTransactions.Shape(run, task, sequence);
            foreach (var share in shape)
            {
                Assert.True(counts.TryGetValue((run, task, sequence, share.Partition), out var count),
                    $"transaction {(run, task, sequence)} lacks its share in partition {share.Partition}");
                Assert.Equal(share.Records, count);
                staged += share.Staged ? 1 : 0;
            }
            multiPartition += shape.Count > 1 ? 1 : 0;
        }
        return present;
    }

    private static async Task FirstCommitAsync(CrashHarnessProcess harness)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!harness.Lines.Exists(line => TryParse(line, "C", out _)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the harness committed nothing within 30 s");
            await Task.Delay(5);
        }
    }

    private static bool TryParse(string line, string kind, out (int, int, long) id)
    {
        id = default;
        var parts = line.Split(' ');
        if (parts.Length != 5 || parts[0] != kind || parts[4] != ".")
            return false;
        id = (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture),
            long.Parse(parts[3], CultureInfo.InvariantCulture));
        return true;
    }
}
