using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>
/// A query writing windowed keys places every window of a key in the partition of the key alone, as Kafka Streams'
/// WindowedStreamPartitioner does (ksqlDB's REST cases read ROWPARTITION of windowed output).
/// </summary>
public sealed class WindowedSinkPartitionTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { PersistentCommitIntervalMs = 5 });

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM s (k INT KEY, v INT) WITH (PARTITIONS = 4, VALUE_FORMAT = 'JSON')",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_window_of_a_key_is_written_to_the_partition_of_the_key()
    {
        await _db.ExecAsync("CREATE TABLE w AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 SECOND) "
            + "GROUP BY k");
        var values = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"({i % 5}, {i}, {i * 700})"));
        await _db.ExecAsync($"INSERT INTO s (k, v, ROWTIME) VALUES {values}");
        await _db.Engine.WaitForPersistentQueriesAsync(TimeSpan.FromSeconds(30));
        var records = _db.Engine.ReadRecords("w");
        Assert.True(records.Count >= 40, $"{records.Count} records");
        foreach (var record in records)
        {
            var key = record.Key!.AsSpan(0, 4).ToArray();   // the KAFKA INT key, before its 8-byte window start
            var k = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(key);
            Assert.Equal(KafkaPartitioner.Partition(KafkaSerde.Write(Cell.FromInt64(k), SqlType.Int), 4),
                record.Partition);
        }
        Assert.True(records.Select(r => r.Partition).Distinct().Count() > 1, "the five keys use one partition only");
    }
}
