using Query.Testing;

namespace Query.Storage.Tests;

public sealed class RetentionFloorTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    private static LogOptions SizeRetention => new() { SegmentMaxBytes = 4096, RetentionBytes = 10_000 };

    [Fact]
    public async Task Size_retention_keeps_every_segment_at_or_above_the_floor()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", SizeRetention).GetPartition(0);
        partition.HoldRetentionFloor("archiver", 30);
        await StorageTestKit.AppendAsync(partition, 0, 400, batchSize: 5);
        var segments = partition.GetSegments();
        Assert.True(segments[0].EndOffset > 30);          // the segment holding offset 30 is still there
        Assert.True(partition.StartOffset <= 30);
        Assert.True(segments.Sum(s => s.SizeBytes) > 10_000);   // over the size limit because of the floor
        StorageTestKit.AssertRecords(partition, partition.StartOffset, 400);

        partition.HoldRetentionFloor("archiver", 200);       // archived through 200: retention catches up
        partition.EnforceRetention();
        Assert.True(partition.StartOffset is > 30 and <= 200);
        Assert.True(partition.GetSegments()[0].EndOffset > 200 || partition.StartOffset == 200);
    }

    [Fact]
    public async Task Time_retention_waits_for_the_lowest_of_several_holders()
    {
        var clock = new StorageManualClock(DateTimeOffset.FromUnixTimeMilliseconds(10_000_000));
        using var store = LogStore.Open(_directory.Path, clock);
        var options = new LogOptions { SegmentMaxBytes = 4096, RetentionMs = 60_000 };
        var partition = store.CreateLog("t", options).GetPartition(0);
        partition.HoldRetentionFloor("archiver", 150);
        partition.HoldRetentionFloor("slow-query", 0);
        await StorageTestKit.AppendAsync(partition, 0, 200, batchSize: 5, timestampOf: _ => 9_000_000);
        Assert.Equal(0, partition.RetentionFloor);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, partition.EnforceRetention());
        Assert.Equal(0, partition.StartOffset);
        Assert.True(partition.ReleaseRetentionFloor("slow-query"));
        Assert.False(partition.ReleaseRetentionFloor("slow-query"));
        Assert.Equal(150, partition.RetentionFloor);
        Assert.True(partition.EnforceRetention() > 0);
        Assert.True(partition.StartOffset is > 0 and <= 150);
        Assert.True(partition.ReleaseRetentionFloor("archiver"));
        Assert.Equal(long.MaxValue, partition.RetentionFloor);
        partition.EnforceRetention();
        Assert.Single(partition.GetSegments());
    }

    [Fact]
    public async Task Floors_survive_a_restart_and_hold_back_retention_on_open()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 400, batchSize: 5);
            partition.HoldRetentionFloor("archiver", 42);
            partition.HoldRetentionFloor("other", 300);
        }
        // Reopen the same files with size retention switched on: retention on open must respect the floor.
        var optionsPath = Path.Combine(_directory.Path, "t", "log.options");
        File.WriteAllText(optionsPath, File.ReadAllText(optionsPath).Replace("retentionBytes=-1", "retentionBytes=4096",
            StringComparison.Ordinal));
        using (var store = LogStore.Open(_directory.Path))
        {
            Assert.True(store.TryGetLog("t", out var log));
            var partition = log.GetPartition(0);
            Assert.Equal(new Dictionary<string, long> { ["archiver"] = 42, ["other"] = 300 },
                partition.GetRetentionFloors());
            Assert.True(partition.StartOffset <= 42);
            Assert.True(partition.StartOffset > 0);          // what lies wholly below 42 did go
            StorageTestKit.AssertRecords(partition, partition.StartOffset, 400);
        }
    }

    [Fact]
    public void Holders_are_checked_and_bounded()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        Assert.Throws<ArgumentException>(() => partition.HoldRetentionFloor("", 1));
        Assert.Throws<ArgumentException>(() => partition.HoldRetentionFloor("a/b", 1));
        Assert.Throws<ArgumentException>(() => partition.HoldRetentionFloor(new string('x', 65), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => partition.HoldRetentionFloor("a", -1));
        for (var i = 0; i < PartitionLog.MaxRetentionFloorHolders; i++)
            partition.HoldRetentionFloor($"h{i}", i);
        Assert.Throws<StorageException>(() => partition.HoldRetentionFloor("one-too-many", 1));
        partition.HoldRetentionFloor("h3", 99);             // moving an existing holder is fine
        Assert.Equal(99, partition.GetRetentionFloors()["h3"]);
    }

    [Fact]
    public async Task A_damaged_floor_file_stops_the_open_instead_of_being_ignored()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", SizeRetention).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 10);
            partition.HoldRetentionFloor("archiver", 5);
        }
        var path = Path.Combine(_directory.Path, "t", "0", "retention.floors");
        var bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        Assert.Throws<CorruptSegmentException>(() => LogStore.Open(_directory.Path));
    }
}
