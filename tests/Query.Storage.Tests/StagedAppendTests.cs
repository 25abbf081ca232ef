using Query.Testing;

namespace Query.Storage.Tests;

public sealed class StagedAppendTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-staged");

    public void Dispose() => _directory.Dispose();

    private static void Stage(StagedAppend staged, long first, int count, int batchSize = 10)
    {
        using var batch = new RecordBatchBuilder();
        for (var n = first; n < first + count; n++)
        {
            batch.Add(1_000 + n, StorageTestKit.ValueFor(n));
            if (batch.Count == batchSize || n == first + count - 1)
            {
                staged.Append(batch);
                batch.Clear();
            }
        }
    }

    private static PartitionedLog Log(LogStore store) =>
        store.TryGetLog("t", out var log) ? log : throw new InvalidOperationException("no log t");

    private static string[] TemporaryFiles(PartitionLog partition) =>
        Directory.GetFiles(Path.GetDirectoryName(partition.GetSegments()[0].FilePath)!, "*.tmp");

    [Fact]
    public async Task Staged_records_are_invisible_until_commit_then_follow_earlier_appends()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 25, batchSize: 5);
        using var staged = partition.BeginStagedAppend();
        Stage(staged, 25, 500);
        Assert.Equal(25, partition.EndOffset);
        StorageTestKit.AssertRecords(partition, 0, 25);
        Assert.NotEmpty(TemporaryFiles(partition));

        Assert.Equal(25, await staged.CommitAsync());
        Assert.Equal(525, partition.EndOffset);
        StorageTestKit.AssertRecords(partition, 0, 525);
        await StorageTestKit.AppendAsync(partition, 525, 5);
        StorageTestKit.AssertRecords(partition, 0, 530);
        Assert.Empty(TemporaryFiles(partition));
        Assert.Equal(300, partition.FindOffsetForTimestamp(1_300));
    }

    [Fact]
    public async Task Staged_segments_roll_by_size_and_survive_a_reopen_with_their_indexes()
    {
        var options = new LogOptions { SegmentMaxBytes = 16 << 10 };
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", options).GetPartition(0);
            using var staged = partition.BeginStagedAppend();
            Stage(staged, 0, 1_000);
            Assert.Equal(0, await staged.CommitAsync());
            var segments = partition.GetSegments();
            Assert.True(segments.Count >= 8, $"{segments.Count} segments");
            long expectedBase = 0;
            foreach (var segment in segments)
            {
                Assert.Equal(expectedBase, segment.BaseOffset);
                Assert.True(segment.SizeBytes <= options.SegmentMaxBytes);
                Assert.True(File.Exists(Path.ChangeExtension(segment.FilePath, ".timeindex")));
                expectedBase = segment.EndOffset;
            }
            Assert.Equal(1_000, expectedBase);
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = Log(store).GetPartition(0);
            StorageTestKit.AssertRecords(partition, 0, 1_000);
            StorageTestKit.AssertRecords(partition, 777, 1_000);
            Assert.Equal(640, partition.FindOffsetForTimestamp(1_640));
            await StorageTestKit.AppendAsync(partition, 1_000, 10);
            StorageTestKit.AssertRecords(partition, 990, 1_010);
        }
    }

    [Fact]
    public async Task Appends_between_staging_and_commit_keep_their_offsets()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        using var staged = partition.BeginStagedAppend();
        Stage(staged, 10, 90);
        await StorageTestKit.AppendAsync(partition, 0, 10);
        Assert.Equal(10, await staged.CommitAsync());
        StorageTestKit.AssertRecords(partition, 0, 100);
    }

    [Fact]
    public async Task A_tailing_reader_sees_the_staged_records_after_the_commit()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        using var reader = partition.OpenReader(0);
        Assert.False(reader.TryRead(out _));
        using var staged = partition.BeginStagedAppend();
        Stage(staged, 0, 100);
        var waiting = partition.WaitForDataAsync(0, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        await staged.CommitAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        var offsets = new List<long>();
        while (reader.TryRead(out var record))
            offsets.Add(record.Offset);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), offsets);
    }

    [Fact]
    public async Task Disposing_without_commit_leaves_nothing_behind()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        using (var staged = partition.BeginStagedAppend())
            Stage(staged, 0, 100);
        Assert.Empty(TemporaryFiles(partition));
        Assert.Equal(0, partition.EndOffset);
        await StorageTestKit.AppendAsync(partition, 0, 3);
        StorageTestKit.AssertRecords(partition, 0, 3);
    }

    [Fact]
    public async Task A_staged_append_that_was_never_committed_is_gone_after_a_reopen()
    {
        string[] leftovers;
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 5);
            var staged = partition.BeginStagedAppend();   // never disposed: as if the process died here
            Stage(staged, 5, 100);
            leftovers = TemporaryFiles(partition);
        }
        Assert.NotEmpty(leftovers);
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = Log(store).GetPartition(0);
            Assert.All(leftovers, path => Assert.False(File.Exists(path)));
            StorageTestKit.AssertRecords(partition, 0, 5);
            await StorageTestKit.AppendAsync(partition, 5, 5);
            StorageTestKit.AssertRecords(partition, 0, 10);
        }
    }

    [Fact]
    public async Task Commit_after_the_log_was_deleted_fails_and_cleans_up()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        var staged = partition.BeginStagedAppend();
        Stage(staged, 0, 10);
        store.DeleteLog("t");
        await Assert.ThrowsAsync<LogDeletedException>(async () => await staged.CommitAsync());
        staged.Dispose();
    }

    [Fact]
    public async Task An_adoption_cut_short_after_its_manifest_is_finished_on_open()
    {
        var options = new LogOptions { SegmentMaxBytes = 16 << 10 };
        string directory;
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", options).GetPartition(0);
            using var staged = partition.BeginStagedAppend();
            Stage(staged, 0, 1_000);
            await staged.CommitAsync();
            directory = Path.GetDirectoryName(partition.GetSegments()[0].FilePath)!;
        }
        // Put the files back as they were between writing the manifest and the first rename: staged files under
        // temporary names, the empty active segment at offset 0, no checkpoint that knows the new segments.
        var manifest = new List<string>();
        var logs = Directory.GetFiles(directory, "*.log").Order().ToArray();
        File.Delete(Path.Combine(directory, "checkpoint"));
        foreach (var extension in new[] { ".log", ".index", ".timeindex" })
            File.Delete(Path.ChangeExtension(logs[^1], extension));
        for (var i = 0; i < logs.Length - 1; i++)
        {
            foreach (var extension in new[] { ".index", ".timeindex", ".log" })
            {
                var final = Path.GetFileName(Path.ChangeExtension(logs[i], extension));
                var temporary = $"staged-{i}{extension}.tmp";
                File.Move(Path.Combine(directory, final), Path.Combine(directory, temporary));
                manifest.Add($"{temporary} {final}");
            }
        }
        foreach (var extension in new[] { ".log", ".index", ".timeindex" })
            File.WriteAllBytes(Path.Combine(directory, $"{0:D20}{extension}"), []);
        File.WriteAllText(Path.Combine(directory, "adopting"), string.Join("\n", manifest) + "\n");

        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = Log(store).GetPartition(0);
            StorageTestKit.AssertRecords(partition, 0, 1_000);
            Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
            Assert.False(File.Exists(Path.Combine(directory, "adopting")));
            await StorageTestKit.AppendAsync(partition, 1_000, 5);
            StorageTestKit.AssertRecords(partition, 990, 1_005);
        }
    }

    [Fact]
    public async Task A_full_disk_while_staging_fails_the_staged_append_only()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 5);
        var staged = partition.BeginStagedAppend();
        Stage(staged, 5, 50);
        partition.WriteFault = (path, _, _) =>
        {
            if (path.EndsWith(".log.tmp", StringComparison.Ordinal))
                throw new IOException("No space left on device", 28);
        };
        Assert.Throws<StorageFullException>(() => Stage(staged, 55, 10));
        partition.WriteFault = null;
        staged.Dispose();
        Assert.Empty(TemporaryFiles(partition));
        await StorageTestKit.AppendAsync(partition, 5, 5);
        StorageTestKit.AssertRecords(partition, 0, 10);
    }
}
