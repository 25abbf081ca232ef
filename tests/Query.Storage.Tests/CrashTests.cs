using Query.Testing;
using Xunit.Abstractions;

namespace Query.Storage.Tests;

/// <summary>
/// Kills a real appending process with SIGKILL at random moments, many times over the same data directory,
/// then proves every acknowledged record is present exactly once, in order, with the same bytes.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private const int Rounds = 20;
    private const int StagedTask = 4;
    private const int StagedRecords = 200;   // as Query.CrashHarness appends them
    private readonly TempDirectory _directory = new("storage-crash");
    private readonly ITestOutputHelper _output;

    public CrashTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_acknowledged_record_survives_sigkill_exactly_once_in_order_with_the_same_bytes()
    {
        var random = new Random(20261124);
        var acks = new List<CrashAck>();
        for (var run = 0; run < Rounds; run++)
        {
            using var harness = CrashHarnessProcess.Start(_directory.Path, run);
            await harness.Ready.WaitAsync(TimeSpan.FromSeconds(30));
            // Kill at a random moment once appends are flowing, so every round crashes mid-append.
            await harness.FirstAck.WaitAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(random.Next(0, 200));
            harness.Kill();
            var before = acks.Count;
            foreach (var line in harness.Lines)
            {
                if (CrashAck.TryParse(line, partitioned: false, out var ack))
                    acks.Add(ack);
            }
            Assert.True(acks.Count > before, $"round {run} acknowledged nothing");
        }
        Assert.True(acks.Count > 100, $"only {acks.Count} acknowledged appends over {Rounds} rounds");

        using var store = LogStore.Open(_directory.Path);
        Assert.True(store.TryGetLog("crash", out var log));
        var partition = log.GetPartition(0);
        _output.WriteLine($"{Rounds} rounds, {acks.Count} acknowledged appends, end offset {partition.EndOffset}, " +
            $"{partition.GetSegments().Count} segments");
        Assert.True(partition.GetSegments().Count > 1, "the test should cross segment rolls");
        CrashLogChecks.VerifyAcknowledged(partition, acks, namePartition: false);
        VerifyExactlyOnceAndOrdered(partition);

        var end = partition.EndOffset;
        using var batch = new RecordBatchBuilder();
        batch.Add(1, "after the crashes"u8);
        Assert.Equal(new AppendResult(end, 1), await partition.AppendAsync(batch));
    }

    [Fact]
    public async Task The_harness_closes_cleanly_when_not_killed_and_a_reopen_sees_everything()
    {
        using (var harness = CrashHarnessProcess.Start(_directory.Path, 0, seconds: 0.3))
        {
            Assert.True(harness.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, harness.ExitCode);
            var acks = new List<CrashAck>();
            foreach (var line in harness.Lines)
            {
                if (CrashAck.TryParse(line, partitioned: false, out var ack))
                    acks.Add(ack);
            }
            using var store = LogStore.Open(_directory.Path);
            Assert.True(store.TryGetLog("crash", out var log));
            CrashLogChecks.VerifyAcknowledged(log.GetPartition(0), acks, namePartition: false);
            Assert.Equal(acks.Max(a => a.BaseOffset + a.Count), log.GetPartition(0).EndOffset);
        }
        await Task.CompletedTask;
    }

    // Unacknowledged appends may or may not have made it, but nothing may appear twice or out of order, and a
    // staged append (task 4, 200 records over several segments) is there whole or not at all.
    private static void VerifyExactlyOnceAndOrdered(PartitionLog partition)
    {
        var staged = new Dictionary<(int Run, long Sequence), int>();
        CrashLogChecks.VerifyDenseOnceAndOrdered(partition, namePartition: false, (_, id) =>
        {
            if (id.Task == StagedTask)
                staged[(id.Run, id.Sequence)] = staged.GetValueOrDefault((id.Run, id.Sequence)) + 1;
        });
        Assert.NotEmpty(staged);
        foreach (var (append, count) in staged)
            Assert.True(count == StagedRecords, $"staged append {append} has {count} of {StagedRecords} records");
    }
}
