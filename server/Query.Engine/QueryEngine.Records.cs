using Query.Engine.Errors;
using Query.Engine.Format;
using Query.Storage;
using Query.Storage.Reading;

namespace Query.Engine;

/// <summary>One record of a log as a producer writes it or a consumer reads it (key and value undecoded).</summary>
public sealed record RawRecord(int Partition, long Offset, long TimestampMs, byte[]? Key, byte[] Value)
{
    /// <summary>A tombstone: the record's value is null (not empty).</summary>
    public bool ValueIsNull { get; init; }
}

/// <summary>
/// Records as a Kafka producer and consumer see them: bytes in a stream's key and value formats, bypassing SQL.
/// This is how records written by other tools reach a stream (and how ksqlDB's own conformance cases feed their
/// inputs); queries decode them, and skip and count those that do not decode.
/// </summary>
public sealed partial class QueryEngine
{
    /// <summary>
    /// Creates an empty log with <paramref name="partitions"/> partitions, as a Kafka admin creates a topic before
    /// any stream declares it: a later CREATE STREAM / TABLE naming it (KAFKA_TOPIC) reads it with its partitions.
    /// A log that exists already is left as it is (false).
    /// </summary>
    public bool CreateTopic(string logName, int partitions)
    {
        if (partitions < 1)
            throw new SqlException(SqlState.InvalidParameterValue,
                $"a log needs at least one partition, not {partitions}");
        if (Logs.TryGetLog(logName, out _))
            return false;
        try
        {
            Logs.CreateLog(logName, new LogOptions { Partitions = partitions });
            return true;
        }
        catch (LogAlreadyExistsException)
        {
            return false;
        }
    }

    /// <summary>
    /// Appends one record to a log; without a partition, a keyed record goes where Kafka's default partitioner
    /// puts it, an unkeyed one to partition 0.
    /// </summary>
    public ValueTask<long> ProduceAsync(string logName, int? partition, long timestampMs, byte[]? key,
        byte[]? value, CancellationToken cancellationToken = default) =>
        ProduceAsync(logName, partition, timestampMs, key, value, [], cancellationToken);

    /// <summary>Appends one record with headers (read by HEADERS and HEADER('key') columns).</summary>
    public async ValueTask<long> ProduceAsync(string logName, int? partition, long timestampMs, byte[]? key,
        byte[]? value, RecordHeader[] headers, CancellationToken cancellationToken = default)
    {
        if (!Logs.TryGetLog(logName, out var log))
            throw SqlException.UndefinedTable(logName);
        var target = partition ?? (key is null ? 0 : KafkaPartitioner.Partition(key, log.PartitionCount));
        if (target < 0 || target >= log.PartitionCount)
            throw new SqlException(SqlState.InvalidParameterValue,
                $"log \"{logName}\" has no partition {target}");
        using var batch = new RecordBatchBuilder();
        if (value is null)
            batch.AddNullValue(timestampMs, key, key is not null);   // Kafka's null value (a tombstone)
        else
            batch.Add(timestampMs, key, key is not null, value, headers);
        var result = await log.GetPartition(target).AppendAsync(batch, cancellationToken);
        return result.BaseOffset;
    }

    /// <summary>Every record of a log, partition by partition in offset order (read through the partition
    /// sources, as queries read).</summary>
    public IReadOnlyList<RawRecord> ReadRecords(string logName)
    {
        if (!Logs.TryGetLog(logName, out var log))
            throw SqlException.UndefinedTable(logName);
        var records = new List<RawRecord>();
        foreach (var source in (Options.PartitionSources ?? HotPartitionSourceFactory.Instance).CreateSources(log))
        {
            using var reader = source.OpenReader(source.StartOffset, source.LastStableOffset);
            while (reader.TryRead(out var record))
            {
                records.Add(new RawRecord(source.Partition, record.Offset, record.TimestampMs,
                    record.HasKey ? record.Key.ToArray() : null, record.Value.ToArray())
                { ValueIsNull = record.ValueIsNull });
            }
        }
        return records;
    }
}
