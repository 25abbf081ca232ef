using Query.Testing;

namespace Query.Storage.Tests;

public sealed class TruncateTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    private PartitionLog Reopen(LogStore store) => store.TryGetLog("t", out var log) ? log.GetPartition(0) : null!;

    [Fact]
    public async Task Truncating_inside_a_batch_keeps_its_head_and_the_next_append_reuses_the_offsets()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 100, batchSize: 10);
            Assert.Equal(45, await partition.TruncateAfterAsync(54));
            Assert.Equal(55, partition.EndOffset);
            StorageTestKit.AssertRecords(partition, 0, 55);
            Assert.Equal(1_054, partition.GetSegments()[0].MaxTimestampMs);
            await StorageTestKit.AppendAsync(partition, 55, 20, batchSize: 7, timestampOf: n => 5_000 + n);
            Assert.Equal(75, partition.EndOffset);
            StorageTestKit.AssertRecords(partition, 0, 75);
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = Reopen(store);
            Assert.Equal(75, partition.EndOffset);
            StorageTestKit.AssertRecords(partition, 0, 75);
            Assert.Equal(5_074, partition.GetSegments()[0].MaxTimestampMs);
        }
    }

    [Fact]
    public async Task Truncating_into_a_sealed_segment_deletes_the_later_ones_and_survives_a_restart()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 300, batchSize: 5);
            var segments = partition.GetSegments();
            Assert.True(segments.Count >= 6);
            var cut = segments[2].BaseOffset + 5;          // at a batch boundary inside the third segment
            await partition.TruncateAfterAsync(cut - 1);
            Assert.Equal(cut, partition.EndOffset);
            Assert.Equal(3, partition.GetSegments().Count);
            Assert.Equal(2, partition.GetSealedSegments().Count);
            Assert.Equal(3, Directory.EnumerateFiles(Path.GetDirectoryName(segments[0].FilePath)!, "*.log").Count());
            StorageTestKit.AssertRecords(partition, 0, cut);
            await StorageTestKit.AppendAsync(partition, cut, 200, batchSize: 5);
        }
        using (var store = LogStore.Open(_directory.Path))
            StorageTestKit.AssertRecords(Reopen(store), 0, 0 + StorageEnd(Reopen(store)));
    }

    private static long StorageEnd(PartitionLog partition) => partition.EndOffset;

    [Fact]
    public async Task Truncation_is_checked_against_the_start_and_the_retention_floors()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 300, batchSize: 5);
        Assert.Equal(0, await partition.TruncateAfterAsync(299));      // nothing after it
        Assert.Equal(0, await partition.TruncateAfterAsync(1_000));
        partition.HoldRetentionFloor("archiver", 200);
        await Assert.ThrowsAsync<StorageException>(async () => await partition.TruncateAfterAsync(150));
        Assert.Equal(300, partition.EndOffset);
        Assert.Equal(99, await partition.TruncateAfterAsync(200));      // the floor itself may stay the end
        partition.HoldRetentionFloor("archiver", 0);
        var start = partition.GetSegments()[1].BaseOffset;
        partition.DeleteSegmentsBefore(start);
        await Assert.ThrowsAsync<OffsetOutOfRangeException>(async () => await partition.TruncateAfterAsync(start - 2));
        Assert.Equal(201 - start, await partition.TruncateAfterAsync(start - 1));     // everything held goes
        Assert.Equal(start, partition.EndOffset);
        Assert.Equal(start, partition.StartOffset);
        await StorageTestKit.AppendAsync(partition, start, 10);
        StorageTestKit.AssertRecords(partition, start, start + 10);
    }

    [Fact]
    public async Task Appends_queued_before_a_truncation_are_written_before_it()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 10);
        using var batch = new RecordBatchBuilder();
        batch.Add(1_010, StorageTestKit.ValueFor(10));
        var pending = partition.AppendAsync(batch);
        var truncation = partition.TruncateAfterAsync(4);
        Assert.Equal(10, (await pending).BaseOffset);
        Assert.Equal(6, await truncation);
        Assert.Equal(5, partition.EndOffset);
    }

    [Theory]
    [InlineData("manifest")]
    [InlineData("files")]
    [InlineData("checkpoint")]
    public async Task A_crash_in_the_middle_is_finished_by_recovery(string step)
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
            await StorageTestKit.AppendAsync(partition, 0, 300, batchSize: 10);
            partition.TruncationFault = name =>
            {
                if (name == step)
                    throw new IOException("simulated crash at " + name);
            };
            await Assert.ThrowsAnyAsync<StorageException>(async () => await partition.TruncateAfterAsync(123));
            Assert.True(File.Exists(Path.Combine(_directory.Path, "t", "0", "truncating")));
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = Reopen(store);
            Assert.False(File.Exists(Path.Combine(_directory.Path, "t", "0", "truncating")));
            Assert.Equal(124, partition.EndOffset);
            StorageTestKit.AssertRecords(partition, 0, 124);
            await StorageTestKit.AppendAsync(partition, 124, 50, batchSize: 10);
            StorageTestKit.AssertRecords(partition, 0, 174);
        }
        using (var store = LogStore.Open(_directory.Path))
            StorageTestKit.AssertRecords(Reopen(store), 0, 174);
    }

    [Fact]
    public async Task A_reader_behind_the_cut_reads_on_and_one_past_it_gets_a_typed_error()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 300, batchSize: 5);
        using var behind = partition.OpenReader(0);
        using var ahead = partition.OpenReader(0);
        for (var i = 0; i < 50; i++)
            Assert.True(behind.TryRead(out _));
        for (var i = 0; i < 250; i++)
            Assert.True(ahead.TryRead(out _));
        await partition.TruncateAfterAsync(99);
        await StorageTestKit.AppendAsync(partition, 100, 50, batchSize: 5, valueSize: 100);
        for (var expected = 50L; expected < 150; expected++)
        {
            Assert.True(behind.TryRead(out var record));
            Assert.Equal(expected, record.Offset);
            Assert.Equal(StorageTestKit.ValueFor(expected), record.Value.ToArray());
        }
        Assert.False(behind.TryRead(out _));
        var error = Assert.Throws<LogTruncatedException>(() => ahead.TryRead(out _));
        Assert.Equal(250, error.NextOffset);
        Assert.Equal(100, error.EndOffset);
    }

    [Fact]
    public async Task A_reader_waiting_at_the_live_end_of_a_cut_segment_sees_what_is_appended_next()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 20, batchSize: 5);
        await partition.TruncateAfterAsync(19);                 // no-op
        using var reader = partition.OpenReader(0);
        for (var i = 0; i < 10; i++)
            Assert.True(reader.TryRead(out _));
        await partition.TruncateAfterAsync(9);
        Assert.False(reader.TryRead(out _));
        await StorageTestKit.AppendAsync(partition, 10, 5, timestampOf: n => 7_000 + n);
        Assert.True(reader.TryRead(out var record));
        Assert.Equal(10, record.Offset);
        Assert.Equal(7_010, record.TimestampMs);
    }
}
