using System.Text;

namespace Query.Storage.Tests;

/// <summary>Scenario helpers: append numbered records, read everything back.</summary>
internal static class StorageTestKit
{
    public static byte[] ValueFor(long n, int size = 100)
    {
        var bytes = new byte[size];
        var text = Encoding.ASCII.GetBytes($"record-{n}-");
        for (var i = 0; i < size; i++)
            bytes[i] = text[i % text.Length];
        return bytes;
    }

    /// <summary>Appends records numbered [first, first + count) in batches, with timestamp = timestampOf(n).</summary>
    public static async Task AppendAsync(PartitionLog partition, long first, int count, int batchSize = 1,
        Func<long, long>? timestampOf = null, int valueSize = 100)
    {
        using var batch = new RecordBatchBuilder();
        for (var n = first; n < first + count; n++)
        {
            batch.Add(timestampOf?.Invoke(n) ?? 1_000 + n, ValueFor(n, valueSize));
            if (batch.Count == batchSize || n == first + count - 1)
            {
                await partition.AppendAsync(batch);
                batch.Clear();
            }
        }
    }

    public static List<(long Offset, long TimestampMs, byte[] Value)> ReadAll(PartitionLog partition, long from = -1,
        long to = long.MaxValue)
    {
        var records = new List<(long, long, byte[])>();
        using var reader = partition.OpenReader(from < 0 ? partition.StartOffset : from, to);
        while (reader.TryRead(out var record))
            records.Add((record.Offset, record.TimestampMs, record.Value.ToArray()));
        return records;
    }

    public static void AssertRecords(PartitionLog partition, long first, long endExclusive, int valueSize = 100)
    {
        var records = ReadAll(partition, first);
        Assert.Equal(endExclusive - first, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(first + i, records[i].Offset);
            Assert.Equal(ValueFor(first + i, valueSize), records[i].Value);
        }
    }

    public static string SegmentFile(PartitionLog partition, int index) => partition.GetSegments()[index].FilePath;
}
