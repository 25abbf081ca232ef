using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>Reopen after damage: each case gives the outcome documented in storage/FORMAT.md.</summary>
public sealed class RecoveryTests : IDisposable
{
    private const int ValueBytes = 20;
    private const int BatchBytes = 40 + 22 + ValueBytes;   // header + record framing + value
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    private async Task<string> CreateLogAsync(int records, long segmentMaxBytes = 256L << 20,
        DurabilityMode durability = DurabilityMode.Sync)
    {
        using var store = LogStore.Open(_directory.Path);
        var options = new LogOptions { SegmentMaxBytes = segmentMaxBytes, Durability = durability };
        var partition = store.CreateLog("t", options).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, records, valueSize: ValueBytes);
        return StorageTestKit.SegmentFile(partition, partition.GetSegments().Count - 1);
    }

    private PartitionLog Reopen(LogStore store) => store.TryGetLog("t", out var log) ? log.GetPartition(0) : null!;

    [Fact]
    public async Task A_torn_last_batch_is_cut_at_every_byte_and_appending_continues()
    {
        var path = await CreateLogAsync(20);
        var original = await File.ReadAllBytesAsync(path);
        Assert.Equal(20 * BatchBytes, original.Length);
        for (var cut = original.Length - BatchBytes; cut < original.Length; cut++)
        {
            await File.WriteAllBytesAsync(path, original.AsMemory(0, cut));
            using var store = LogStore.Open(_directory.Path);
            var partition = Reopen(store);
            Assert.Equal(19, partition.EndOffset);
            Assert.Equal(19 * BatchBytes, new FileInfo(path).Length);
            if (cut == original.Length - 1)
            {
                StorageTestKit.AssertRecords(partition, 0, 19, ValueBytes);
                await StorageTestKit.AppendAsync(partition, 19, 1, valueSize: ValueBytes);
                StorageTestKit.AssertRecords(partition, 0, 20, ValueBytes);
            }
        }
    }

    [Fact]
    public async Task Zero_filled_tail_from_a_lost_write_is_cut()
    {
        var path = await CreateLogAsync(10);
        await using (var stream = new FileStream(path, FileMode.Append))
            stream.Write(new byte[5000]);
        using var store = LogStore.Open(_directory.Path);
        var partition = Reopen(store);
        Assert.Equal(10, partition.EndOffset);
        StorageTestKit.AssertRecords(partition, 0, 10, ValueBytes);
    }

    [Fact]
    public async Task A_flipped_byte_in_the_last_batch_is_treated_as_a_torn_tail()
    {
        var path = await CreateLogAsync(10);
        FlipByte(path, (9 * BatchBytes) + 50);
        using var store = LogStore.Open(_directory.Path);
        var partition = Reopen(store);
        Assert.Equal(9, partition.EndOffset);
        await StorageTestKit.AppendAsync(partition, 9, 1, valueSize: ValueBytes);
        StorageTestKit.AssertRecords(partition, 0, 10, ValueBytes);
    }

    [Fact]
    public async Task A_flipped_byte_in_the_middle_of_the_active_segment_fails_the_open_naming_file_and_position()
    {
        var path = await CreateLogAsync(10);
        FlipByte(path, (4 * BatchBytes) + 50);
        var error = Assert.Throws<CorruptSegmentException>(() => LogStore.Open(_directory.Path));
        Assert.Equal(path, error.Path);
        Assert.Equal(4 * BatchBytes, error.FilePosition);
        Assert.Contains(path, error.Message);
        Assert.Equal(10 * BatchBytes, new FileInfo(path).Length);     // nothing was cut
    }

    [Fact]
    public async Task A_flipped_byte_in_a_sealed_segment_is_reported_when_read()
    {
        await CreateLogAsync(100, segmentMaxBytes: 20 * BatchBytes);
        var sealedPath = Path.Combine(Path.GetDirectoryName(await CreatePathOfSegmentAsync(0))!, $"{0:D20}.log");
        FlipByte(sealedPath, (3 * BatchBytes) + 60);
        using var store = LogStore.Open(_directory.Path);
        var partition = Reopen(store);
        Assert.Equal(100, partition.EndOffset);                       // trusted via the checkpoint
        StorageTestKit.AssertRecords(partition, 20, 100, ValueBytes); // other segments read fine
        var error = Assert.Throws<CorruptSegmentException>(() => StorageTestKit.ReadAll(partition, 0));
        Assert.Equal(sealedPath, error.Path);
        Assert.Equal(3 * BatchBytes, error.FilePosition);
    }

    private Task<string> CreatePathOfSegmentAsync(int index)
    {
        using var store = LogStore.Open(_directory.Path);
        return Task.FromResult(StorageTestKit.SegmentFile(Reopen(store), index));
    }

    [Theory]
    [InlineData(DurabilityMode.Sync)]
    [InlineData(DurabilityMode.None)]
    public async Task A_torn_sealed_segment_is_an_error_unless_durability_is_none(DurabilityMode durability)
    {
        await CreateLogAsync(100, segmentMaxBytes: 20 * BatchBytes, durability);
        var second = Path.Combine(_directory.Path, "t", "0", $"{20:D20}.log");
        using (var stream = new FileStream(second, FileMode.Open))
            stream.SetLength((19 * BatchBytes) + 10);              // as if the power failed: never synced
        if (durability == DurabilityMode.Sync)
        {
            var error = Assert.Throws<CorruptSegmentException>(() => LogStore.Open(_directory.Path));
            Assert.Equal(second, error.Path);
            Assert.Equal(19 * BatchBytes, error.FilePosition);
            return;
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = Reopen(store);
            Assert.Equal(39, partition.EndOffset);                    // cut after the last whole batch
            Assert.Equal(2, partition.GetSegments().Count);           // later segments could not attach
            await StorageTestKit.AppendAsync(partition, 39, 30, valueSize: ValueBytes);
            StorageTestKit.AssertRecords(partition, 0, 69, ValueBytes);
        }
        using (var store = LogStore.Open(_directory.Path))
            StorageTestKit.AssertRecords(Reopen(store), 0, 69, ValueBytes);
    }

    [Fact]
    public async Task Deleted_or_damaged_index_files_are_rebuilt()
    {
        await CreateLogAsync(3000, segmentMaxBytes: 64 * 1024);
        var directory = Path.Combine(_directory.Path, "t", "0");
        var indexes = Directory.GetFiles(directory, "*.index");
        Assert.True(indexes.Length > 2);
        File.Delete(indexes[0]);
        File.Delete(Path.ChangeExtension(indexes[1], ".timeindex"));
        await File.WriteAllBytesAsync(indexes[2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        foreach (var timeIndex in Directory.GetFiles(directory, "*.timeindex"))
        {
            if (timeIndex.EndsWith($"{0:D20}.timeindex", StringComparison.Ordinal))
                File.Delete(timeIndex);
        }
        using var store = LogStore.Open(_directory.Path);
        var partition = Reopen(store);
        Assert.True(File.Exists(indexes[0]));
        Assert.True(new FileInfo(indexes[0]).Length > 8);
        Assert.NotEqual(16, new FileInfo(indexes[2]).Length);
        StorageTestKit.AssertRecords(partition, 0, 3000, ValueBytes);
        StorageTestKit.AssertRecords(partition, 1234, 3000, ValueBytes);
        Assert.Equal(2000, partition.FindOffsetForTimestamp(3000));
    }

    [Fact]
    public async Task A_missing_checkpoint_means_a_full_scan_with_the_same_result()
    {
        await CreateLogAsync(500, segmentMaxBytes: 8192);
        File.Delete(Path.Combine(_directory.Path, "t", "0", "checkpoint"));
        using var store = LogStore.Open(_directory.Path);
        var partition = Reopen(store);
        Assert.Equal(500, partition.EndOffset);
        StorageTestKit.AssertRecords(partition, 0, 500, ValueBytes);
    }

    [Fact]
    public async Task A_missing_segment_in_the_middle_is_reported_as_a_gap()
    {
        await CreateLogAsync(200, segmentMaxBytes: 2048);
        var segments = Directory.GetFiles(Path.Combine(_directory.Path, "t", "0"), "*.log").Order().ToArray();
        File.Delete(segments[2]);
        var error = Assert.Throws<CorruptSegmentException>(() => LogStore.Open(_directory.Path));
        Assert.Equal(segments[3], error.Path);
    }

    [Fact]
    public async Task Leftovers_of_interrupted_creates_deletes_and_retention_are_removed_on_open()
    {
        await CreateLogAsync(200, segmentMaxBytes: 2048);
        var partitionDirectory = Path.Combine(_directory.Path, "t", "0");
        var first = Directory.GetFiles(partitionDirectory, "*.log").Order().First();
        var copy = await File.ReadAllBytesAsync(first);
        using (var store = LogStore.Open(_directory.Path))
            Assert.Equal(2, Reopen(store).DeleteSegmentsBefore(50));
        await File.WriteAllBytesAsync(first, copy);     // as if the crash came before the file was unlinked
        await File.WriteAllTextAsync(Path.Combine(partitionDirectory, "checkpoint.tmp"), "half written");
        Directory.CreateDirectory(Path.Combine(_directory.Path, ".tmp-0123", "0"));
        Directory.CreateDirectory(Path.Combine(_directory.Path, ".trash-4567", "0"));
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = Reopen(store);
            Assert.Equal(["t"], store.LogNames);
            Assert.False(File.Exists(first));
            Assert.False(File.Exists(Path.Combine(partitionDirectory, "checkpoint.tmp")));
            Assert.Empty(Directory.GetDirectories(_directory.Path, ".*"));
            StorageTestKit.AssertRecords(partition, partition.StartOffset, 200, ValueBytes);
            Assert.True(partition.StartOffset > 0);
        }
    }

    private static void FlipByte(string path, long position)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = position;
        var value = stream.ReadByte();
        stream.Position = position;
        stream.WriteByte((byte)(value ^ 0x5A));
    }
}
