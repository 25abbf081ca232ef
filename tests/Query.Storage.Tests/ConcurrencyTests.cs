using Query.Testing;

namespace Query.Storage.Tests;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Tailing_readers_see_every_record_whole_and_in_order_while_the_writer_rolls_segments()
    {
        using var store = LogStore.Open(_directory.Path);
        var options = new LogOptions { SegmentMaxBytes = 16 * 1024, Durability = DurabilityMode.None };
        var partition = store.CreateLog("t", options).GetPartition(0);
        const int Total = 20_000;
        var readers = new Task[3];
        for (var r = 0; r < readers.Length; r++)
            readers[r] = Task.Run(() => TailAsync(partition, Total));
        var random = new Random(3);
        for (var n = 0; n < Total;)
        {
            var count = Math.Min(random.Next(1, 50), Total - n);
            await StorageTestKit.AppendAsync(partition, n, count, batchSize: count);
            n += count;
        }
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Groups_that_span_a_segment_roll_keep_offsets_dense_and_bytes_intact()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 1024 }).GetPartition(0);
        var results = new AppendResult[16 * 25];
        var tasks = new Task[16];
        for (var t = 0; t < tasks.Length; t++)
        {
            var appender = t;
            tasks[t] = Task.Run(async () =>
            {
                using var batch = new RecordBatchBuilder();
                for (var i = 0; i < 25; i++)
                {
                    var id = (appender * 25) + i;
                    batch.Clear();
                    batch.Add(id, StorageTestKit.ValueFor(id));
                    results[id] = await partition.AppendAsync(batch);
                }
            });
        }
        await Task.WhenAll(tasks);
        Assert.Equal(results.Length, partition.EndOffset);
        var segments = partition.GetSegments();
        Assert.True(segments.Count > 20);
        for (var i = 1; i < segments.Count; i++)
            Assert.Equal(segments[i - 1].EndOffset, segments[i].BaseOffset);
        var records = StorageTestKit.ReadAll(partition);
        for (var id = 0; id < results.Length; id++)
            Assert.Equal(StorageTestKit.ValueFor(id), records[(int)results[id].BaseOffset].Value);
        store.Dispose();
        using var reopened = LogStore.Open(_directory.Path);
        Assert.True(reopened.TryGetLog("t", out var log));
        Assert.Equal(results.Length, log.GetPartition(0).EndOffset);
    }

    private static async Task TailAsync(PartitionLog partition, int total)
    {
        using var reader = partition.OpenReader(0);
        long next = 0;
        while (next < total)
        {
            while (reader.TryRead(out var record))
            {
                Assert.Equal(next, record.Offset);
                Assert.True(record.Value.SequenceEqual(StorageTestKit.ValueFor(next)));
                next++;
            }
            if (next < total)
                await partition.WaitForDataAsync(next, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_reader_inside_a_segment_that_retention_deletes_finishes_reading_it()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 100, batchSize: 5);
        using var reader = partition.OpenReader(0);
        Assert.True(reader.TryRead(out _));
        var firstSegmentEnd = partition.GetSegments()[0].EndOffset;
        Assert.True(partition.DeleteSegmentsBefore(firstSegmentEnd) == 1);
        var next = 1L;
        while (next < firstSegmentEnd && reader.TryRead(out var record))
            Assert.Equal(next++, record.Offset);
        Assert.Equal(firstSegmentEnd, next);
        Assert.True(reader.TryRead(out var after));              // moves on to the next segment
        Assert.Equal(firstSegmentEnd, after.Offset);
    }

    [Fact]
    public async Task A_reader_whose_next_segment_was_deleted_gets_OffsetOutOfRange()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 100, batchSize: 5);
        using var reader = partition.OpenReader(0, endOffsetExclusive: 1000);
        var firstSegmentEnd = partition.GetSegments()[0].EndOffset;
        while (reader.NextOffset < firstSegmentEnd - 1 && reader.TryRead(out _))
        {
        }
        partition.DeleteSegmentsBefore(partition.GetSegments()[2].BaseOffset);
        Assert.True(reader.TryRead(out _));                     // last record of the held segment
        Assert.Throws<OffsetOutOfRangeException>(() => reader.TryRead(out _));
    }
}
