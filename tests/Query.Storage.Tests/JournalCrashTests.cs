using System.Globalization;
using Query.Storage.Journal;
using Query.Testing;
using Xunit.Abstractions;

namespace Query.Storage.Tests;

/// <summary>
/// SIGKILLs a real process appending durably to four partitions through the shared journal (recycled every few
/// hundred appends, segments rolling every 32 KiB, one appender bypassing the journal with large batches), many
/// times over one data directory; after every kill it also zero-fills every segment byte range the journal still
/// vouches for, as a power loss before the segments were synced could leave them. Then every acknowledged record
/// must be at its offset with its bytes, offsets dense, nothing twice, nothing that is not a record. In the
/// <c>leader</c> mode most appenders run on threads of their own, as the server's connection threads: each writes its
/// partition's group and leads the journal write itself when the partition is idle, so the kills land while such a
/// thread is writing, fsyncing or publishing.
/// </summary>
public sealed class JournalCrashTests : IDisposable
{
    private const int Rounds = 16;
    private const int MinimumLinesPerRound = 800;
    private const int Partitions = 4;
    private static readonly LogStoreOptions StoreOptions = new()   // as Query.CrashHarness's JournalWorkload
    {
        JournalMaxBytes = 96 << 10,
        JournalBufferBytes = 24 << 10,
        JournalMaxRecordBytes = 8 << 10,
    };

    private readonly TempDirectory _directory = new("storage-journal-crash");
    private readonly ITestOutputHelper _output;

    public JournalCrashTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("journal")]
    [InlineData("leader")]
    public async Task Every_acknowledged_record_survives_sigkill_and_the_loss_of_unsynced_segment_bytes(string mode)
    {
        var random = new Random(20261207);
        var acks = new List<CrashAck>();
        long zeroed = 0, ledGroups = 0, loopGroups = 0;
        for (var run = 0; run < Rounds; run++)
        {
            using var harness = CrashHarnessProcess.Start(_directory.Path, run, mode: mode);
            await harness.Ready.WaitAsync(TimeSpan.FromSeconds(60));
            await harness.FirstAck.WaitAsync(TimeSpan.FromSeconds(60));
            // Enough appends that the small journal was recycled in this round, whatever the machine's speed.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (harness.Lines.Count < MinimumLinesPerRound && DateTime.UtcNow < deadline)
                await Task.Delay(20);
            await Task.Delay(random.Next(50, 400));
            harness.Kill();
            var before = acks.Count;
            var counts = new Dictionary<int, (long Led, long Loop)>();
            foreach (var line in harness.Lines)
            {
                if (CrashAck.TryParse(line, partitioned: true, out var ack))
                    acks.Add(ack);
                else if (TryParseCounts(line, out var partition, out var groups))
                    counts[partition] = counts.TryGetValue(partition, out var seen)
                        ? (Math.Max(seen.Led, groups.Led), Math.Max(seen.Loop, groups.Loop)) : groups;
            }
            ledGroups += counts.Values.Sum(c => c.Led);
            loopGroups += counts.Values.Sum(c => c.Loop);
            Assert.True(acks.Count > before, $"round {run} acknowledged nothing");
            zeroed += JournalTestKit.LoseJournaledSegmentBytes(_directory.Path);
        }
        var epoch = JournalReplay.ReadEpoch(_directory.Path);
        _output.WriteLine($"{Rounds} rounds, {acks.Count} acknowledged appends, {zeroed} segment bytes zeroed, " +
            $"journal epoch {epoch}, groups written by an appender itself / by the loop {ledGroups} / {loopGroups}");
        if (mode == "leader")
        {
            Assert.True(ledGroups > 0, "no group was written by its appender's own thread: the test proves nothing");
            Assert.True(loopGroups > 0, "no appender queued behind another: waiting appenders were not exercised");
        }
        Assert.True(zeroed > 0, "no round left journaled bytes to lose: the test proves nothing");
        Assert.True(epoch > 2 * Rounds, $"journal epoch {epoch}: the journal was not recycled while appending");

        using var store = LogStore.Open(_directory.Path, StoreOptions);
        Assert.True(store.TryGetLog("jcrash", out var log));
        for (var p = 0; p < Partitions; p++)
        {
            var partition = log.GetPartition(p);
            Assert.True(partition.GetSegments().Count > 1, $"partition {p} never rolled");
            var acknowledged = acks.Where(a => a.Partition == p).ToList();
            Assert.NotEmpty(acknowledged);
            CrashLogChecks.VerifyAcknowledged(partition, acknowledged, namePartition: true);
            CrashLogChecks.VerifyDenseOnceAndOrdered(partition, namePartition: true, (record, id) =>
                Assert.True(StorageCrashRecords.Value(id.Run, id.Task, id.Sequence, id.Index).AsSpan()
                    .SequenceEqual(record.Value), $"partition {p}: offset {record.Offset} is damaged"));
        }
        using var batch = new RecordBatchBuilder();
        batch.Add(1, "after the crashes"u8);
        var end = log.GetPartition(0).EndOffset;
        Assert.Equal(new AppendResult(end, 1), await log.GetPartition(0).AppendAsync(batch));
    }

    // "S partition ledGroups loopGroups ." (leader mode): the largest counts seen are the partition's last.
    private static bool TryParseCounts(string line, out int partition, out (long Led, long Loop) groups)
    {
        partition = 0;
        groups = default;
        var parts = line.Split(' ');
        if (parts.Length != 5 || parts[0] != "S" || parts[4] != ".")
            return false;
        partition = int.Parse(parts[1], CultureInfo.InvariantCulture);
        groups = (long.Parse(parts[2], CultureInfo.InvariantCulture),
            long.Parse(parts[3], CultureInfo.InvariantCulture));
        return true;
    }
}
