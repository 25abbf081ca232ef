using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>
/// Time-range reads inside one large segment: the index jumps over the blocks (indexed batch and the batches up to
/// the next entry) whose timestamps all lie outside the range, before it and after it; inside an overlapping
/// block other batches are skipped by header; out-of-order records are never lost.
/// </summary>
public sealed class ReaderSkipTests : IDisposable
{
    private const int Records = 20_000;
    private const int BatchSize = 20;
    private const int Batches = Records / BatchSize;
    private const int BatchBytes = 40 + BatchSize * 122;     // header + 20 records of 100-byte values
    private const long WindowMin = 100_000, WindowMax = 100_199;   // records 10_000..10_019 when in order

    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Narrow_window_in_one_segment_returns_out_of_order_records_and_skips_the_rest()
    {
        // Mostly ordered (10 ms apart); a few records inside and after the range break the order.
        var timestamps = Timestamps();
        timestamps[10_005] = 5;                  // inside the range's batch, far too old: read, not matching
        timestamps[10_007] = 9_000_000;          // inside the range's batch, far too new
        timestamps[10_033] = WindowMin + 50;     // in the next batch, in the window although out of order
        timestamps[15_001] = WindowMin;          // late records with timestamps inside the window
        timestamps[19_999] = WindowMax;
        using var store = LogStore.Open(_directory.Path);
        var partition = await CreateAsync(store, timestamps);
        Assert.Single(partition.GetSegments());

        var (matching, statistics) = ReadWindow(partition, 0);

        Assert.Equal(ExpectedInWindow(partition), matching);
        Assert.Contains(15_001L, matching);
        Assert.Contains(19_999L, matching);
        // Batches 500 (10_000..), 501 (10_033), 750 (15_001) and 999 (19_999) overlap; nothing else is read.
        Assert.Equal(4, statistics.BatchesRead);
        Assert.Equal(4L * BatchBytes, statistics.BytesRead);
        Assert.Equal(1, statistics.SegmentsOpened);
        // Every second batch is indexed: the blocks (500, 501), (750, 751) and (998, 999) overlap, so only 751
        // and 998 are checked by header; every other block, before and after the range, is jumped over.
        Assert.Equal(2, statistics.BatchesSkipped);
    }

    [Fact]
    public async Task An_early_record_inside_the_window_stops_the_time_index_jump()
    {
        var timestamps = Timestamps();
        timestamps[123] = WindowMin + 10;        // long before the range by offset, inside it by time
        using var store = LogStore.Open(_directory.Path);
        var partition = await CreateAsync(store, timestamps);

        var (matching, statistics) = ReadWindow(partition, 0);

        Assert.Equal(ExpectedInWindow(partition), matching);
        Assert.Contains(123L, matching);
        Assert.Equal(2, statistics.BatchesRead);
        // Blocks (6, 7) and (500, 501) overlap: 7 and 501 are checked by header, and the active segment's last
        // block (998, 999), which may still grow; everything else is jumped over.
        Assert.Equal(4, statistics.BatchesSkipped);
    }

    [Fact]
    public async Task Reading_from_the_offset_for_the_window_start_matches_a_full_scan()
    {
        var timestamps = Timestamps();
        timestamps[18_000] = WindowMax - 1;
        using var store = LogStore.Open(_directory.Path);
        var partition = await CreateAsync(store, timestamps);

        var (matching, statistics) = ReadWindow(partition, partition.FindOffsetForTimestamp(WindowMin));

        Assert.Equal(ExpectedInWindow(partition), matching);
        Assert.Equal(2, statistics.BatchesRead);
        Assert.Equal(4, statistics.BatchesSkipped);   // 501 and 901 beside the batches read, 998 and 999 last
    }

    [Fact]
    public async Task An_offset_range_ending_before_the_time_jump_returns_nothing()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = await CreateAsync(store, Timestamps());

        using var reader = partition.OpenReader(0, 5_000, WindowMin, WindowMax);

        Assert.False(reader.TryRead(out _));
        Assert.Equal(0, reader.Statistics.BatchesRead);
    }

    [Fact]
    public async Task An_end_offset_stops_the_reader_at_the_next_overlapping_block()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = await CreateAsync(store, Timestamps());

        using var reader = partition.OpenReader(10_000, 10_100, WindowMin, WindowMax);
        var count = 0;
        while (reader.TryRead(out _))
            count++;

        Assert.Equal(20, count);                          // batch 500; 501 is skipped by header, then the next
        Assert.Equal(1, reader.Statistics.BatchesRead);   // overlapping block starts past the end offset
        Assert.Equal(1, reader.Statistics.BatchesSkipped);
    }

    [Fact]
    public async Task Batches_larger_than_a_block_are_jumped_over_unread()
    {
        var timestamps = Timestamps();
        timestamps[16_543] = WindowMin + 1;
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { Durability = DurabilityMode.None }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, Records, batchSize: 100, n => timestamps[n]);   // 12 KiB

        var (matching, statistics) = ReadWindow(partition, 0);

        Assert.Equal(ExpectedInWindow(partition), matching);
        Assert.Contains(16_543L, matching);
        Assert.Equal(2, statistics.BatchesRead);               // batches 100 and 165
        Assert.Equal(1, statistics.BatchesSkipped);            // the last block (199) may still grow: walked
    }

    [Fact]
    public async Task A_corrupt_header_in_a_walked_block_is_reported()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = await CreateAsync(store, Timestamps());
        var corruptPosition = 999L * BatchBytes;          // in the active segment's last block, walked by header
        using (var file = new FileStream(partition.GetSegments()[0].FilePath, FileMode.Open, FileAccess.Write,
            FileShare.ReadWrite))
        {
            file.Position = corruptPosition + 16;          // format version
            file.WriteByte(99);
        }

        var error = Assert.Throws<CorruptSegmentException>(() => ReadWindow(partition, 0));

        Assert.Equal(corruptPosition, error.FilePosition);
    }

    private static long[] Timestamps()
    {
        var timestamps = new long[Records];
        for (var i = 0; i < timestamps.Length; i++)
            timestamps[i] = 10L * i;
        return timestamps;
    }

    private static async Task<PartitionLog> CreateAsync(LogStore store, long[] timestamps)
    {
        var partition = store.CreateLog("t", new LogOptions { Durability = DurabilityMode.None }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, Records, BatchSize, n => timestamps[n]);
        return partition;
    }

    // The reader returns whole overlapping batches; the caller filters records, as the engine does.
    private static (List<long> Offsets, ReadStatistics Statistics) ReadWindow(PartitionLog partition, long from)
    {
        var offsets = new List<long>();
        using var reader = partition.OpenReader(from, long.MaxValue, WindowMin, WindowMax);
        while (reader.TryRead(out var record))
        {
            if (record.TimestampMs is >= WindowMin and <= WindowMax)
                offsets.Add(record.Offset);
        }
        Assert.Equal(Records, reader.NextOffset);
        return (offsets, reader.Statistics);
    }

    private static List<long> ExpectedInWindow(PartitionLog partition)
    {
        var expected = new List<long>();
        foreach (var (offset, timestampMs, _) in StorageTestKit.ReadAll(partition))
        {
            if (timestampMs is >= WindowMin and <= WindowMax)
                expected.Add(offset);
        }
        Assert.NotEmpty(expected);
        return expected;
    }
}
