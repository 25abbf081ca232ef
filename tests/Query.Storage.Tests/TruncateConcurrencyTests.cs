using System.Buffers.Binary;
using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>A reader running while the log is cut and appended again never mixes the old and the new tail.</summary>
public sealed class TruncateConcurrencyTests : IDisposable
{
    private const int Generations = 40;
    private readonly TempDirectory _directory = new("storage-test");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_concurrent_reader_sees_one_consistent_log_or_a_typed_error()
    {
        using var store = LogStore.Open(_directory.Path);
        var partition = store.CreateLog("t", new LogOptions { SegmentMaxBytes = 8192 }).GetPartition(0);
        var cuts = new long[Generations + 1];          // cuts[g]: where generation g's truncation cut
        var random = new Random(7);
        await AppendAsync(partition, 0, 0, 400);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() => Read(partition, cuts, stop.Token));
        for (var generation = 1; generation <= Generations; generation++)
        {
            var end = partition.EndOffset;
            var cut = random.NextInt64(Math.Max(0, end - 300), end);
            Volatile.Write(ref cuts[generation], cut);
            await partition.TruncateAfterAsync(cut - 1);
            await AppendAsync(partition, generation, cut, random.Next(50, 400));
        }
        await stop.CancelAsync();
        var (recordsRead, truncationsSeen) = await reader;
        Assert.True(recordsRead > 1_000);
        Assert.True(truncationsSeen > 0);
        using var final = partition.OpenReader(0);
        var expected = 0L;
        while (final.TryRead(out var record))
            Assert.Equal(expected++, BinaryPrimitives.ReadInt64LittleEndian(record.Value));
        Assert.Equal(partition.EndOffset, expected);
    }

    // Each value: int64 offset, int32 generation. Returned records must form one log: after (n, g), a record of
    // a later generation g' is only consistent if every truncation in (g, g'] cut above n.
    private static (long Records, int Truncations) Read(PartitionLog partition, long[] cuts, CancellationToken stop)
    {
        long records = 0;
        var truncations = 0;
        var reader = partition.OpenReader(0);
        long lastOffset = -1;
        var lastGeneration = -1;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (!reader.TryRead(out var record))
                    {
                        Thread.Yield();
                        continue;
                    }
                    Assert.Equal(record.Offset, BinaryPrimitives.ReadInt64LittleEndian(record.Value));
                    var generation = BinaryPrimitives.ReadInt32LittleEndian(record.Value[8..]);
                    if (lastGeneration >= 0)
                    {
                        Assert.Equal(lastOffset + 1, record.Offset);
                        for (var g = lastGeneration + 1; g <= generation; g++)
                            Assert.True(lastOffset < Volatile.Read(ref cuts[g]), $"mixed view at {record.Offset}");
                    }
                    lastOffset = record.Offset;
                    lastGeneration = Math.Max(lastGeneration, generation);
                    records++;
                }
                catch (LogTruncatedException e)
                {
                    truncations++;
                    reader.Dispose();
                    reader = partition.OpenReader(Math.Min(e.EndOffset, partition.EndOffset));
                    lastGeneration = -1;
                }
            }
        }
        finally
        {
            reader.Dispose();
        }
        return (records, truncations);
    }

    private static async Task AppendAsync(PartitionLog partition, int generation, long first, int count)
    {
        using var batch = new RecordBatchBuilder();
        var value = new byte[64];
        for (var n = first; n < first + count; n++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(value, n);
            BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(8), generation);
            batch.Add(1_000 + n, value);
            if (batch.Count == 7 || n == first + count - 1)
            {
                await partition.AppendAsync(batch);
                batch.Clear();
            }
        }
    }
}
