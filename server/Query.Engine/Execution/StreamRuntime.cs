using Query.Engine.Catalog;
using Query.Engine.Format;
using Query.Engine.Types;
using Query.Storage;

namespace Query.Engine.Execution;

/// <summary>A stream as the engine runs it: its definition, its partitioned log, and its write state.</summary>
public sealed class StreamRuntime
{
    private int _roundRobin = -1;

    public StreamRuntime(StreamDefinition definition, PartitionedLog log)
    {
        Definition = definition;
        Log = log;
        Types = definition.ColumnTypes();
        Names = definition.ColumnNames();
        Codec = definition.IsExternalFormat ? new RecordCodec(definition) : null;
    }

    /// <summary>The key and value codec of an external format (null for the engine's own binary rows).</summary>
    public RecordCodec? Codec { get; }

    /// <summary>Records queries skipped because they could not be deserialized (ksqlDB's processing log).</summary>
    public long SkippedRecords => Interlocked.Read(ref _skippedRecords);

    private long _skippedRecords;

    internal void CountSkippedRecord() => Interlocked.Increment(ref _skippedRecords);

    public StreamDefinition Definition { get; }

    public PartitionedLog Log { get; }

    public SqlType[] Types { get; }

    public string[] Names { get; }

    /// <summary>Rows without a key are spread evenly over partitions.</summary>
    public int NextRoundRobinPartition() =>
        (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)Log.PartitionCount);

    public RecordCursor CreateCursor() => new(Types, Names, Codec, this);
}
