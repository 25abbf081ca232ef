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
}
