using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>
/// Time-range reads inside one large segment: the time index jumps over the older part, later batches are
/// skipped by header, and out-of-order records are never lost.
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
        // Every batch after the range is checked by header; the time index jumped over most before it.
        Assert.InRange(statistics.BatchesSkipped, Batches - 502 - 2, Batches - 4 - 2);
        Assert.True(statistics.BatchesRead + statistics.BatchesSkipped < Batches - 400,
            $"read {statistics.BatchesRead} and skipped {statistics.BatchesSkipped} of {Batches} batches");
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
        // The jump stops at batch 6 (indexed: every second batch is), so all later headers are checked.
        Assert.Equal(Batches - 6 - 2, statistics.BatchesSkipped);
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
        Assert.Equal(Batches - 501 - 1, statistics.BatchesSkipped);
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
    public async Task Skipping_stops_at_the_end_offset_instead_of_walking_the_rest_of_the_segment()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = await CreateAsync(store, Timestamps());

        using var reader = partition.OpenReader(10_000, 10_100, WindowMin, WindowMax);
        var count = 0;
        while (reader.TryRead(out _))
            count++;

        Assert.Equal(20, count);                          // batch 500; batches 501..504 are skipped by header
        Assert.Equal(1, reader.Statistics.BatchesRead);
        Assert.Equal(4, reader.Statistics.BatchesSkipped);
    }

    [Fact]
    public async Task Batches_larger_than_a_page_are_skipped_by_header_reads_alone()
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
        Assert.Equal(Records / 100 - 100 - 2, statistics.BatchesSkipped);
    }

    [Fact]
    public async Task A_corrupt_header_among_skipped_batches_is_reported()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = await CreateAsync(store, Timestamps());
        var corruptPosition = 800L * BatchBytes;
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
