using Query.Engine;
using Query.Engine.Catalog;

namespace Query.Conformance;

/// <summary>The engine in process, on a fresh data directory per case (deleted on dispose).</summary>
public sealed class InProcessTarget : ICaseTarget
{
    private readonly string _directory;
    private readonly QueryEngine _engine;
    private readonly EngineSession _session;

    private InProcessTarget(string directory, QueryEngine engine)
    {
        _directory = directory;
        _engine = engine;
        _session = engine.CreateSession();
    }

    public static async Task<InProcessTarget> OpenAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "qtt-" + Guid.NewGuid().ToString("N"));
        // One record per batch and per commit: a persistent aggregate (which emits each changed group once per
        // commit) then emits a change per input record, as ksqlDB's tests expect (they run with its record cache
        // off).
        var target = new InProcessTarget(directory, QueryEngine.Open(new EngineOptions
        {
            DataDirectory = directory,
            BatchRows = 1,
            PersistentCommitIntervalMs = 1,
            // An aggregate emits its changed groups when it commits (the record cache): commit after every record.
            PersistentAggregateCommitIntervalMs = 1,
            PersistentAggregateCommitMaxRecords = 1,
        }));
        await target._session.ExecuteAsync("SET 'auto.offset.reset' = 'earliest'");
        return target;
    }

    public Task<StatementRun> ExecuteAsync(string text, int maxRows) =>
        StatementRun.ExecuteAsync(_session, text, maxRows);

    public IReadOnlyList<StreamDefinition> ListStreams() => _engine.ListStreams();

    public Task CreateTopicAsync(string topic, int partitions)
    {
        _engine.CreateTopic(topic, partitions);
        return Task.CompletedTask;
    }

    public async Task ProduceAsync(StreamDefinition stream, QttInput input) =>
        await _engine.ProduceAsync(stream.LogName, input.Partition, input.TimestampMs, input.Key, input.Value,
            RecordSerde.Headers(input.Headers));

    public Task<List<TopicRecord>?> ReadTopicAsync(string topic)
    {
        var stream = _engine.ListStreams().FirstOrDefault(s => IntendedDifferences.SameName(s.LogName, topic));
        if (stream is null)
            return Task.FromResult<List<TopicRecord>?>(null);
        List<TopicRecord> records = [.. _engine.ReadRecords(stream.LogName).Select(r => RecordSerde.Read(r.Key,
            r.ValueIsNull ? null : r.Value, r.TimestampMs, stream))];
        return Task.FromResult<List<TopicRecord>?>(records);
    }

    public async Task<string?> SettlePersistentQueriesAsync()
    {
        await _engine.WaitForPersistentQueriesAsync(TimeSpan.FromSeconds(10));
        var errors = _engine.PersistentQueryErrors();
        if (errors.Count > 0)
            return string.Join("; ", errors);
        var skipped = _engine.PersistentQuerySkippedRows();
        return skipped.Count > 0 ? $"processing log: {skipped[0]}" : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
