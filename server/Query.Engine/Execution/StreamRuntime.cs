using Query.Engine.Catalog;
using Query.Engine.Format;
using Query.Engine.Types;
using Query.Storage;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

/// <summary>
/// A stream as the engine runs it: its definition, the partitioned log it appends to, the partition sources every
/// read goes through, and its write state.
/// </summary>
public sealed class StreamRuntime
{
    private int _roundRobin = -1;

    public StreamRuntime(StreamDefinition definition, PartitionedLog log, IReadOnlyList<IPartitionSource> sources)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count != log.PartitionCount)
            throw new ArgumentException($"{sources.Count} sources for the {log.PartitionCount} partitions of log "
                + $"\"{log.Name}\"", nameof(sources));
        Definition = definition;
        Log = log;
        Sources = sources;
        Types = definition.ColumnTypes();
        Names = definition.ColumnNames();
        Codec = definition.IsExternalFormat ? new RecordCodec(definition) : null;
        KeyCodec = new KeyCodec(definition);
    }

    /// <summary>The record key of the key columns, in every value format (<see cref="Execution.KeyEncoding"/>).
    /// </summary>
    public KeyCodec KeyCodec { get; }

    /// <summary>The key and value codec of an external format (null for the engine's own binary rows).</summary>
    public RecordCodec? Codec { get; }

    /// <summary>Records queries skipped because they could not be deserialized (ksqlDB's processing log).</summary>
    public long SkippedRecords => Interlocked.Read(ref _skippedRecords);

    private long _skippedRecords;

    internal void CountSkippedRecord() => Interlocked.Increment(ref _skippedRecords);

    public StreamDefinition Definition { get; }

    /// <summary>The log appends go to. Reads go through <see cref="Sources"/>, never through this.</summary>
    public PartitionedLog Log { get; }

    /// <summary>One source per partition, indexed by partition number.</summary>
    public IReadOnlyList<IPartitionSource> Sources { get; }

    public SqlType[] Types { get; }

    /// <summary>A table's materialized state (latest row per key of its changelog); null for a stream.</summary>
    public State.TableState? Table { get; init; }

    public string[] Names { get; }

    /// <summary>Rows without a key are spread evenly over partitions.</summary>
    public int NextRoundRobinPartition() =>
        (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)Log.PartitionCount);

    /// <summary>The same log and sources under a changed definition (ALTER, CREATE OR REPLACE).</summary>
    public StreamRuntime WithDefinition(StreamDefinition definition) => new(definition, Log, Sources) { Table = Table };

    public RecordCursor CreateCursor() => new(Types, Names, Codec, this);
}
