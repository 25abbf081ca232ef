using System.Text.Json;
using Query.Engine.Catalog;

namespace Query.Conformance;

/// <summary>One record of a topic in QTT notation: key and value as JSON, and the record time.</summary>
public readonly record struct TopicRecord(JsonElement Key, JsonElement Value, long Timestamp)
{
    /// <summary>A windowed topic's window (start, end), read from the record key; null otherwise.</summary>
    public (long Start, long End)? Window { get; init; }
}

/// <summary>
/// What a case runs against: the engine in process, or a server over the PostgreSQL wire. A target runs the
/// statements, knows the streams' definitions (formats, columns), produces the inputs and reads the output topics.
/// </summary>
public interface ICaseTarget : IAsyncDisposable
{
    /// <summary>Runs one statement; a push query is read until <paramref name="maxRows"/> rows or a quiet second.
    /// </summary>
    Task<StatementRun> ExecuteAsync(string text, int maxRows);

    IReadOnlyList<StreamDefinition> ListStreams();

    /// <summary>Creates an empty topic with its partitions before any statement runs, as ksqlDB's REST harness does
    /// (<see cref="CaseTopics"/>); a topic that exists is left alone.</summary>
    Task CreateTopicAsync(string topic, int partitions);

    /// <summary>Produces one input record (already in the stream's formats) to the stream's topic.</summary>
    Task ProduceAsync(StreamDefinition stream, QttInput input);

    /// <summary>Every record of a topic in QTT notation, partition by partition; null when no stream reads it.
    /// </summary>
    Task<List<TopicRecord>?> ReadTopicAsync(string topic);

    /// <summary>
    /// Waits (up to a few seconds) until the persistent queries have caught up with their sources, so their output
    /// topics can be read; returns what failed ("id: error" of queries in ERROR), or null.
    /// </summary>
    Task<string?> SettlePersistentQueriesAsync();
}

/// <summary>An input record of a case: bytes in the stream's formats, its time, partition and headers.</summary>
public sealed record QttInput(byte[]? Key, byte[]? Value, long TimestampMs, int? Partition,
    IReadOnlyList<KeyValuePair<string, byte[]?>> Headers, JsonElement KeyJson, JsonElement ValueJson);
