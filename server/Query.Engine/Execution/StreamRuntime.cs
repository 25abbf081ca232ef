using Query.Engine.Catalog;
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
    }

    public StreamDefinition Definition { get; }

    public PartitionedLog Log { get; }

    public SqlType[] Types { get; }

    public string[] Names { get; }

    /// <summary>Rows without a key are spread evenly over partitions.</summary>
    public int NextRoundRobinPartition() =>
        (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)Log.PartitionCount);

    public RecordCursor CreateCursor() => new(Types, Names, Definition.ValueFormat == ValueFormat.Json);
}
