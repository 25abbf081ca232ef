using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>SegmentMaxAge counts from a segment's first append, across restarts (the checkpoint keeps it).</summary>
public sealed class SegmentAgeTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    private static LogOptions OneMinuteSegments => new() { SegmentMaxAge = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task Age_goes_on_across_a_clean_restart()
    {
        var clock = new StorageManualClock(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
        using (var store = LogStore.Open(_directory.Path, clock))
        {
            var partition = store.CreateLog("t", OneMinuteSegments).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 10);
            clock.Advance(TimeSpan.FromSeconds(40));
        }
        clock.Advance(TimeSpan.FromSeconds(30));     // 70 s after the first append, 30 s after the reopen
        using (var store = LogStore.Open(_directory.Path, clock))
        {
            Assert.True(store.TryGetLog("t", out var log));
            var partition = log.GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 10, 10);
            var segments = partition.GetSegments();
            Assert.Equal(2, segments.Count);
            Assert.Equal(10, segments[1].BaseOffset);
        }
    }

    [Fact]
    public async Task Age_goes_on_after_a_crash_without_a_clean_close()
    {
        var clock = new StorageManualClock(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
        var crashImage = Path.Combine(_directory.Path, "image");
        using (var store = LogStore.Open(Path.Combine(_directory.Path, "live"), clock))
        {
            var partition = store.CreateLog("t", OneMinuteSegments).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 10);
            clock.Advance(TimeSpan.FromSeconds(20));
            await StorageTestKit.AppendAsync(partition, 10, 10);     // no roll: the segment is 20 s old
            CopyDirectory(store.Directory, crashImage);              // the files as a kill would leave them
        }
        clock.Advance(TimeSpan.FromSeconds(45));     // 65 s after the first append
        using (var store = LogStore.Open(crashImage, clock))
        {
            Assert.True(store.TryGetLog("t", out var log));
            var partition = log.GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 20, 5);
            Assert.Equal(20, partition.GetSegments()[^1].BaseOffset);
            StorageTestKit.AssertRecords(partition, 0, 25);
        }
    }

    [Fact]
    public async Task An_empty_active_segment_counts_from_its_first_append_after_the_reopen()
    {
        var clock = new StorageManualClock(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
        using (var store = LogStore.Open(_directory.Path, clock))
            store.CreateLog("t", OneMinuteSegments);
        clock.Advance(TimeSpan.FromHours(1));
        using (var store = LogStore.Open(_directory.Path, clock))
        {
            Assert.True(store.TryGetLog("t", out var log));
            var partition = log.GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 5);
            clock.Advance(TimeSpan.FromSeconds(30));
            await StorageTestKit.AppendAsync(partition, 5, 5);
            Assert.Single(partition.GetSegments());
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(from))
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }
}
