using System.Collections.Concurrent;
using Query.Storage;
using Query.Storage.Reading;

namespace Query.Engine.Tests;

/// <summary>
/// Push queries and persistent queries ask a columnar source (the cold tier) for only the stream columns they
/// use, as pull queries do; SELECT * asks for every column.
/// </summary>
public sealed class ProjectedTailScanTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ProjectingSources _sources = new();
    private readonly EngineFixture _db;

    public ProjectedTailScanTests() => _db = new EngineFixture(_sources);

    public async Task InitializeAsync()
    {
        await _db.ExecAsync("CREATE STREAM s (a INT, b STRING, c DOUBLE, d BIGINT) WITH (PARTITIONS = 1)");
        await _db.ExecAsync("INSERT INTO s VALUES (1, 'x', 2.5, 10), (2, 'y', 0.5, 20), (3, 'z', 4.0, 30)");
        await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_push_query_from_earliest_reads_only_the_columns_it_uses()
    {
        var source = _sources.Get("s");
        await using (var push = await _db.Session.ExecuteAsync("SELECT a FROM s WHERE c > 1 EMIT CHANGES LIMIT 2"))
        {
            var rows = await EngineFixture.ReadAllAsync(push.Rows!).WaitAsync(Timeout);
            Assert.Equal([1, 3], rows.Select(r => r[0]));
        }
        Assert.Equal("0,2", source.LastColumns);
        Assert.Equal("column 2 > 1", source.LastFilter);

        await using (var all = await _db.Session.ExecuteAsync("SELECT * FROM s EMIT CHANGES LIMIT 1"))
            await EngineFixture.ReadAllAsync(all.Rows!).WaitAsync(Timeout);
        Assert.Equal("0,1,2,3", source.LastColumns);
        Assert.Equal("none", source.LastFilter);
    }

    [Fact]
    public async Task A_persistent_query_reads_only_the_columns_it_uses()
    {
        var source = _sources.Get("s");
        await _db.ExecAsync("CREATE STREAM big AS SELECT a, d FROM s WHERE c > 1");
        var deadline = DateTime.UtcNow + Timeout;
        while ((await _db.QueryAsync("SELECT count(*) FROM big"))[0][0] is not 2L)
        {
            Assert.True(DateTime.UtcNow < deadline, "the persistent query did not write its two rows");
            await Task.Delay(20);
        }
        Assert.Equal([[1, 10L], [3, 30L]], await _db.QueryAsync("SELECT a, d FROM big ORDER BY a"));
        Assert.Equal("0,2,3", source.LastColumns);
        Assert.Equal("column 2 > 1", source.LastFilter);
    }

    /// <summary>Hot sources that claim the columnar capability and record what each reader asked for.</summary>
    private sealed class ProjectingSources : IPartitionSourceFactory
    {
        private readonly ConcurrentDictionary<string, ProjectingSource> _sources = new();

        public IReadOnlyList<IPartitionSource> CreateSources(PartitionedLog log)
        {
            var hot = HotPartitionSourceFactory.Instance.CreateSources(log);
            var sources = hot.Select(s => new ProjectingSource(s)).ToArray();
            _sources[log.Name] = sources[0];
            return sources;
        }

        public ProjectingSource Get(string logName) => _sources[logName];
    }

    private sealed class ProjectingSource(IPartitionSource inner) : IFilteringPartitionSource
    {
        private string? _lastColumns;
        private string? _lastFilter;

        /// <summary>The column predicates the last reader opened was given, or "none".</summary>
        public string? LastFilter => Volatile.Read(ref _lastFilter);

        /// <summary>The columns the last reader opened asked for, in order, or "whole".</summary>
        public string? LastColumns => Volatile.Read(ref _lastColumns);
        public string LogName => inner.LogName;
        public int Partition => inner.Partition;
        public long StartOffset => inner.StartOffset;
        public long EndOffset => inner.EndOffset;
        public long LastStableOffset => inner.LastStableOffset;

        public long FindOffsetForTimestamp(long timestampMs) => inner.FindOffsetForTimestamp(timestampMs);

        public IRecordReader OpenReader(long startOffset, long endOffsetExclusive = long.MaxValue,
            long minTimestampMs = long.MinValue, long maxTimestampMs = long.MaxValue)
        {
            Volatile.Write(ref _lastColumns, "whole");
            Volatile.Write(ref _lastFilter, "none");
            return inner.OpenReader(startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs);
        }

        // Records come back whole, which the capability allows ("or whole, where the source cannot split them").
        public IRecordReader OpenReader(long startOffset, long endOffsetExclusive, long minTimestampMs,
            long maxTimestampMs, IReadOnlySet<int>? valueColumns)
        {
            Volatile.Write(ref _lastColumns, valueColumns is null ? "whole" : string.Join(",", valueColumns.Order()));
            Volatile.Write(ref _lastFilter, "none");
            return inner.OpenReader(startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs);
        }

        // Leaving no row out is allowed too: the caller evaluates its whole WHERE anyway.
        public IRecordReader OpenReader(long startOffset, long endOffsetExclusive, long minTimestampMs,
            long maxTimestampMs, IReadOnlySet<int>? valueColumns, IReadOnlyList<ColumnPredicate> filter)
        {
            Volatile.Write(ref _lastColumns, valueColumns is null ? "whole" : string.Join(",", valueColumns.Order()));
            Volatile.Write(ref _lastFilter, string.Join(" AND ", filter));
            return inner.OpenReader(startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs);
        }

        public IReadOnlyList<SourceExtent> DescribeParts(SourceExtent extent, IReadOnlyList<ColumnPredicate> filter) =>
            [];

        public ValueTask WaitForDataAsync(long offset, CancellationToken cancellationToken) =>
            inner.WaitForDataAsync(offset, cancellationToken);

        public IReadOnlyList<SourceExtent> DescribeExtents(long startOffset = 0,
            long endOffsetExclusive = long.MaxValue) => inner.DescribeExtents(startOffset, endOffsetExclusive);

        public IReadOnlyList<SourceExtent> DescribeParts(SourceExtent extent) => [];
    }
}
