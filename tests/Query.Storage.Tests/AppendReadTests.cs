using System.Text;
using Query.Testing;

namespace Query.Storage.Tests;

public sealed class AppendReadTests : IDisposable
{
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Appended_records_read_back_in_order_with_keys_values_and_headers()
    {
        using var store = LogStore.Open(_directory.Path);
        var log = store.CreateLog("orders", new LogOptions { Partitions = 2 });
        var partition = log.GetPartition(1);
        using var batch = new RecordBatchBuilder();
        batch.Add(1000, "k1"u8, "v1"u8);
        batch.Add(1001, "v2"u8);
        batch.Add(1002, "k3"u8, true, "v3"u8, [new RecordHeader("h", "x"u8.ToArray())]);
        var result = await partition.AppendAsync(batch);
        Assert.Equal(new AppendResult(0, 3), result);
        Assert.Equal(3, partition.EndOffset);

        using var reader = partition.OpenReader(0);
        Assert.True(reader.TryRead(out var r));
        Assert.Equal(0, r.Offset);
        Assert.Equal(1000, r.TimestampMs);
        Assert.True(r.HasKey);
        Assert.Equal("k1", Encoding.UTF8.GetString(r.Key));
        Assert.Equal("v1", Encoding.UTF8.GetString(r.Value));
        Assert.True(reader.TryRead(out r));
        Assert.False(r.HasKey);
        Assert.Equal("v2", Encoding.UTF8.GetString(r.Value));
        Assert.True(reader.TryRead(out r));
        Assert.Equal(2, r.Offset);
        var headers = r.GetHeaders();
        Assert.True(headers.MoveNext());
        Assert.Equal("h", Encoding.UTF8.GetString(headers.Current.KeyUtf8));
        Assert.Equal("x", Encoding.UTF8.GetString(headers.Current.Value));
        Assert.False(headers.MoveNext());
        Assert.False(reader.TryRead(out _));
        Assert.Equal(0, log.GetPartition(0).EndOffset);
    }

    [Fact]
    public async Task A_null_value_reads_back_as_null_and_differs_from_an_empty_value_after_reopening()
    {
        using (var store = LogStore.Open(_directory.Path))
        {
            var partition = store.CreateLog("changelog", new LogOptions()).GetPartition(0);
            using var batch = new RecordBatchBuilder();
            batch.Add(1, "k"u8, "v"u8);
            batch.AddNullValue(2, "k"u8, hasKey: true);
            batch.Add(3, "k"u8, ReadOnlySpan<byte>.Empty);
            await partition.AppendAsync(batch);
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            Assert.True(store.TryGetLog("changelog", out var log));
            using var reader = log.GetPartition(0).OpenReader(0);
            Assert.True(reader.TryRead(out var r));
            Assert.False(r.ValueIsNull);
            Assert.Equal("v", Encoding.UTF8.GetString(r.Value));
            Assert.True(reader.TryRead(out r));
            Assert.True(r.ValueIsNull);
            Assert.True(r.Value.IsEmpty);
            Assert.Equal("k", Encoding.UTF8.GetString(r.Key));
            Assert.True(reader.TryRead(out r));
            Assert.False(r.ValueIsNull);
            Assert.True(r.Value.IsEmpty);
            Assert.False(reader.TryRead(out _));
        }
    }

    [Fact]
    public async Task Offsets_are_dense_across_batches_and_reads_start_and_stop_where_asked()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 250, batchSize: 7);
        Assert.Equal(0, partition.StartOffset);
        Assert.Equal(250, partition.EndOffset);
        StorageTestKit.AssertRecords(partition, 0, 250);
        StorageTestKit.AssertRecords(partition, 123, 250);
        var slice = StorageTestKit.ReadAll(partition, 10, 20);
        Assert.Equal(10, slice.Count);
        Assert.Equal(19, slice[^1].Offset);
    }

    [Fact]
    public async Task Concurrent_appenders_get_distinct_dense_offsets()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        var tasks = new Task<AppendResult>[32];
        for (var t = 0; t < tasks.Length; t++)
        {
            var id = t;
            tasks[t] = Task.Run(async () =>
            {
                using var batch = new RecordBatchBuilder();
                batch.Add(id, StorageTestKit.ValueFor(id));
                batch.Add(id, StorageTestKit.ValueFor(id));
                return await partition.AppendAsync(batch);
            });
        }
        var results = await Task.WhenAll(tasks);
        var offsets = results.SelectMany(r => new[] { r.BaseOffset, r.LastOffset }).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)i), offsets);
        foreach (var result in results)
        {
            var records = StorageTestKit.ReadAll(partition, result.BaseOffset, result.LastOffset + 1);
            Assert.Equal(records[0].Value, records[1].Value);
        }
    }

    [Fact]
    public async Task Append_time_is_stamped_when_asked()
    {
        var clock = new StorageManualClock(DateTimeOffset.FromUnixTimeMilliseconds(5_000_000));
        using var store = LogStore.Open(_directory.Path, clock);
        var partition = store.CreateLog("t", new LogOptions()).GetPartition(0);
        using var batch = new RecordBatchBuilder();
        batch.Add(RecordBatchBuilder.UseAppendTime, "a"u8);
        batch.Add(42, "b"u8);
        await partition.AppendAsync(batch);
        var records = StorageTestKit.ReadAll(partition);
        Assert.Equal(5_000_000, records[0].TimestampMs);
        Assert.Equal(42, records[1].TimestampMs);
        Assert.Equal(42, partition.GetSegments()[0].MinTimestampMs);
        Assert.Equal(5_000_000, partition.GetSegments()[0].MaxTimestampMs);
    }

    [Fact]
    public async Task A_reader_at_the_end_continues_when_more_data_arrives()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 4096 }).GetPartition(0);
        await StorageTestKit.AppendAsync(partition, 0, 5);
        using var reader = partition.OpenReader(0);
        for (var i = 0; i < 5; i++)
            Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
        await StorageTestKit.AppendAsync(partition, 5, 100, batchSize: 3);   // rolls segments on the way
        for (var i = 5; i < 105; i++)
        {
            Assert.True(reader.TryRead(out var record));
            Assert.Equal(i, record.Offset);
            Assert.Equal(StorageTestKit.ValueFor(i), record.Value.ToArray());
        }
        Assert.False(reader.TryRead(out _));
        Assert.Equal(105, reader.NextOffset);
    }

    [Fact]
    public async Task Reopened_store_keeps_logs_options_and_records_and_appends_continue()
    {
        var options = new LogOptions { Partitions = 3, SegmentMaxBytes = 8192, Durability = DurabilityMode.Interval };
        using (var store = LogStore.Open(_directory.Path))
        {
            var log = store.CreateLog("a.b-c_d", options);
            await StorageTestKit.AppendAsync(log.GetPartition(2), 0, 300, batchSize: 4);
        }
        using (var store = LogStore.Open(_directory.Path))
        {
            Assert.Equal(["a.b-c_d"], store.LogNames);
            Assert.True(store.TryGetLog("a.b-c_d", out var log));
            Assert.Equal(options, log.Options);
            var partition = log.GetPartition(2);
            Assert.True(partition.GetSegments().Count > 3);
            StorageTestKit.AssertRecords(partition, 0, 300);
            await StorageTestKit.AppendAsync(partition, 300, 10);
            StorageTestKit.AssertRecords(partition, 0, 310);
        }
    }
}
