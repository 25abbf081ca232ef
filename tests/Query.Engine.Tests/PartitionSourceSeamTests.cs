using System.Collections.Concurrent;
using Query.Storage;
using Query.Storage.Reading;

namespace Query.Engine.Tests;

/// <summary>
/// Every engine read goes through the partition sources it was given (so a tiered or remote source can be
/// substituted), and retention is the source's business: a query whose start was removed reads what remains.
/// </summary>
public sealed class PartitionSourceSeamTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly RecordingSources _sources = new();
    private readonly EngineFixture _db;

    public PartitionSourceSeamTests() => _db = new EngineFixture(_sources);

    public async Task InitializeAsync()
    {
        await _db.ExecAsync("CREATE STREAM s (v INT) WITH (DURABILITY = 'NONE', SEGMENT_BYTES = 1024)");
        for (var i = 0; i < 60; i += 3)
            await _db.ExecAsync($"INSERT INTO s VALUES ({i}), ({i + 1}), ({i + 2})");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Pull_push_explain_and_describe_read_through_the_configured_sources()
    {
        var source = _sources.Get("s", 0);
        Assert.Equal(60, (await _db.QueryAsync("SELECT v FROM s")).Count);
        var pullReaders = source.ReadersOpened;
        Assert.True(pullReaders > 0);

        await using (var push = await _db.Session.ExecuteAsync("SELECT v FROM s WHERE ROWOFFSET >= 58 EMIT CHANGES "
            + "LIMIT 3"))
        {
            var reading = EngineFixture.ReadAllAsync(push.Rows!);
            await _db.ExecAsync("INSERT INTO s VALUES (60)");
            Assert.Equal([58, 59, 60], (await reading.WaitAsync(Timeout)).Select(r => r[0]));
        }
        Assert.True(source.ReadersOpened > pullReaders);
        Assert.True(source.Waits > 0);

        var plan = string.Join('\n', (await _db.QueryAsync("EXPLAIN SELECT v FROM s WHERE ROWOFFSET < 5"))
            .Select(r => r[0]));
        Assert.Contains($"{RecordingSource.Kind} 00000000000000000000.log offsets [0, ", plan,
            StringComparison.Ordinal);
        var described = await _db.QueryAsync("DESCRIBE EXTENDED s");
        var partition = Assert.Single(described, r => (string)r[1]! == "PARTITION");
        Assert.Contains("offsets [0, 61) rows 61", (string)partition[2]!, StringComparison.Ordinal);
        Assert.Contains($"segments {source.DescribeExtents().Count}", (string)partition[2]!,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pull_query_overtaken_by_retention_reads_what_remains_and_counts_the_rest()
    {
        await using var result = await _db.Session.ExecuteAsync("SELECT ROWOFFSET FROM s");
        var cut = DeleteOldestSegments(2);
        var rows = await EngineFixture.ReadAllAsync(result.Rows!);
        Assert.Equal(Enumerable.Range((int)cut, 60 - (int)cut).Select(i => (object?)(long)i), rows.Select(r => r[0]));
        Assert.Equal(cut, result.Rows!.Statistics.OffsetsSkippedByRetention);
    }

    [Fact]
    public async Task A_push_query_whose_start_was_removed_continues_from_the_retained_start()
    {
        await using var push = await _db.Session.ExecuteAsync("SELECT ROWOFFSET FROM s WHERE ROWOFFSET >= 1 "
            + "EMIT CHANGES LIMIT 2");
        var cut = DeleteOldestSegments(1);
        var rows = await EngineFixture.ReadAllAsync(push.Rows!).WaitAsync(Timeout);
        Assert.Equal([cut, cut + 1], rows.Select(r => (long)r[0]!));
        await push.Rows!.DisposeAsync();
        Assert.Equal(cut - 1, push.Rows.Statistics.OffsetsSkippedByRetention);
    }

    private long DeleteOldestSegments(int count)
    {
        var log = _sources.Log("s");
        var partition = log.GetPartition(0);
        var cut = partition.GetSegments()[count].BaseOffset;
        Assert.Equal(count, partition.DeleteSegmentsBefore(cut));
        return cut;
    }

    /// <summary>Wraps the hot sources, counting what the engine asks of them.</summary>
    private sealed class RecordingSources : IPartitionSourceFactory
    {
        private readonly ConcurrentDictionary<string, (PartitionedLog Log, RecordingSource[] Sources)> _logs = new();

        public IReadOnlyList<IPartitionSource> CreateSources(PartitionedLog log)
        {
            var hot = HotPartitionSourceFactory.Instance.CreateSources(log);
            var sources = hot.Select(s => new RecordingSource(s)).ToArray();
            _logs[log.Name] = (log, sources);
            return sources;
        }

        public RecordingSource Get(string logName, int partition) => _logs[logName].Sources[partition];

        public PartitionedLog Log(string logName) => _logs[logName].Log;
    }

    private sealed class RecordingSource(IPartitionSource inner) : IPartitionSource
    {
        public const string Kind = "recorded-segment";
        private int _readersOpened;
        private int _waits;

        public int ReadersOpened => Volatile.Read(ref _readersOpened);
        public int Waits => Volatile.Read(ref _waits);
        public string LogName => inner.LogName;
        public int Partition => inner.Partition;
        public long StartOffset => inner.StartOffset;
        public long EndOffset => inner.EndOffset;
        public long LastStableOffset => inner.LastStableOffset;

        public long FindOffsetForTimestamp(long timestampMs) => inner.FindOffsetForTimestamp(timestampMs);

        public IRecordReader OpenReader(long startOffset, long endOffsetExclusive = long.MaxValue,
            long minTimestampMs = long.MinValue, long maxTimestampMs = long.MaxValue)
        {
            Interlocked.Increment(ref _readersOpened);
            return inner.OpenReader(startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs);
        }

        public ValueTask WaitForDataAsync(long offset, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _waits);
            return inner.WaitForDataAsync(offset, cancellationToken);
        }

        public IReadOnlyList<SourceExtent> DescribeExtents(long startOffset = 0,
            long endOffsetExclusive = long.MaxValue) =>
            inner.DescribeExtents(startOffset, endOffsetExclusive).Select(e => e with { Kind = Kind }).ToList();
    }
}
