using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Tiering;
using Query.Tiering.Archival;
using Query.Tiering.Compaction;

namespace Query.Engine.Tiering;

/// <summary>
/// Runs archival, cold retention and compaction for the engine: <see cref="RunPassAsync"/> is the background
/// job's pass (the host schedules it), <see cref="ArchiveNowAsync"/> is ARCHIVE STREAM and
/// <see cref="CompactNowAsync"/> COMPACT STREAM. Every run of a partition is listed
/// with its progress while it runs and after (a bounded history, newest kept). A failed partition records its
/// error, keeps its hot data (the archiver's guarantee) and is retried by the next pass; it never stops the
/// pass, ingestion or queries.
/// </summary>
internal sealed class ArchivalJobs(QueryEngine engine)
{
    private readonly SegmentArchiver _archiver = new(engine.Options.Tiering.ColdFiles, engine.TimeProvider);
    private readonly ColdCompactor _compactor = new(engine.Options.Tiering.Compaction,
        engine.Options.Tiering.ColdFiles);
    private readonly LinkedList<ArchivalRun> _runs = new();

    public IReadOnlyList<ArchivalRun> Runs
    {
        get
        {
            lock (_runs)
                return [.. _runs];
        }
    }

    /// <summary>Archives every sealed segment of <paramref name="stream"/> now, whatever its hot limits.</summary>
    public Task<ArchiveResult> ArchiveNowAsync(StreamRuntime stream, CancellationToken cancellationToken)
    {
        var cold = RequireCold();
        Layout(stream);             // 0A000 for a reserved column name before any partition starts
        return EveryPartitionNowAsync(stream, ArchivalRun.Archival, ArchiveResult.None, (p, progress) =>
            _archiver.ArchiveAsync(stream.Log.GetPartition(p), cold.GetTier(stream.Definition.Name, p),
                Layout(stream), _ => true, progress, cancellationToken), (sum, one) => sum.Add(one));
    }

    /// <summary>Merges every run of two or more small cold files of <paramref name="stream"/> now.</summary>
    public Task<CompactionResult> CompactNowAsync(StreamRuntime stream, CancellationToken cancellationToken)
    {
        var cold = RequireCold();
        Layout(stream);
        return EveryPartitionNowAsync(stream, ArchivalRun.Compaction, CompactionResult.None, (p, progress) =>
            _compactor.CompactAsync(cold.GetTier(stream.Definition.Name, p), Layout(stream), force: true, progress,
                cancellationToken), (sum, one) => sum.Add(one));
    }

    // A statement's run: ArchivalParallelism partitions at once (each with its own layout: layouts keep scratch
    // rows), each visible as a run of its own; the first failure (by partition) is the answer.
    private async Task<TResult> EveryPartitionNowAsync<TResult>(StreamRuntime stream, string kind, TResult none,
        Func<int, ArchiveProgress, Task<TResult>> runAsync, Func<TResult, TResult, TResult> add)
    {
        var partitions = stream.Log.PartitionCount;
        var results = new TResult[partitions];
        try
        {
            await PartitionParallelism.ForEachAsync(partitions, engine.Options.Tiering.ArchivalParallelism,
                async p =>
                {
                    var progress = Start("statement", stream, p, kind);
                    try
                    {
                        results[p] = await runAsync(p, progress).ConfigureAwait(false);
                        progress.Finish(Now, null);
                    }
                    catch (Exception e)
                    {
                        progress.Finish(Now, e.Message);
                        throw;
                    }
                }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Translate(e);
        }
        var result = none;
        foreach (var one in results)
            result = add(result, one);
        return result;
    }

    /// <summary>
    /// One pass over every tiered stream: archive sealed segments past the hot limits (oldest first), expire
    /// cold files past the total retention, then merge runs of small cold files that can no longer grow. Failures
    /// are recorded per partition and counted, never thrown.
    /// </summary>
    public async Task<ArchivalPassResult> RunPassAsync(CancellationToken cancellationToken)
    {
        var cold = engine.Options.ColdStore;
        if (cold is null)
            return new ArchivalPassResult(0, ArchiveResult.None, 0, 0, CompactionResult.None);
        int streams = 0, expired = 0, failures = 0;
        var archived = ArchiveResult.None;
        var compacted = CompactionResult.None;
        var sums = new object();
        foreach (var definition in engine.ListStreams())
        {
            var settings = EffectiveTiering.Of(definition, engine.Options.Tiering);
            if (!settings.Enabled || !engine.TryGetStream(definition.Name, out var stream))
                continue;
            streams++;
            await PartitionParallelism.ForEachAsync(stream.Log.PartitionCount,
                engine.Options.Tiering.ArchivalParallelism, async p =>
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var progress = Start("job", stream, p);
                    try
                    {
                        var (one, files) = await PassPartitionAsync(cold, stream, p, settings, progress,
                            cancellationToken).ConfigureAwait(false);
                        progress.Finish(Now, null);
                        var merged = await CompactPartitionAsync(cold, stream, p, cancellationToken)
                            .ConfigureAwait(false);
                        lock (sums)
                        {
                            archived = archived.Add(one);
                            expired += files;
                            if (merged is null)
                                failures++;
                            else
                                compacted = compacted.Add(merged);
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        progress.Finish(Now, "canceled: the server is stopping");
                        throw;
                    }
                    catch (Exception e)
                    {
                        progress.Finish(Now, e.Message);
                        lock (sums)
                            failures++;
                    }
                }).ConfigureAwait(false);
        }
        return new ArchivalPassResult(streams, archived, expired, failures, compacted);
    }

    private async Task<(ArchiveResult, int)> PassPartitionAsync(ColdStore cold, StreamRuntime stream, int partition,
        EffectiveTiering settings, ArchiveProgress progress, CancellationToken cancellationToken)
    {
        var log = stream.Log.GetPartition(partition);
        var tier = cold.GetTier(stream.Definition.Name, partition);
        var nowMs = engine.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var result = await _archiver.ArchiveAsync(log, tier, Layout(stream),
            settings.PastHotLimits(nowMs, HotBytes(log)), progress, cancellationToken).ConfigureAwait(false);
        var expiry = await ColdExpiry.ExpireAsync(tier, nowMs, settings.RetentionMs, settings.RetentionBytes,
            HotBytes(log), cancellationToken).ConfigureAwait(false);
        progress.AddExpiredFiles(expiry.Files);
        return (result, expiry.Files);
    }

    // A run is recorded only when there is something to merge, so quiet passes do not fill the history. Null:
    // it failed (recorded in the history).
    private async Task<CompactionResult?> CompactPartitionAsync(ColdStore cold, StreamRuntime stream, int partition,
        CancellationToken cancellationToken)
    {
        var tier = cold.GetTier(stream.Definition.Name, partition);
        var layout = Layout(stream);
        if (CompactionPlan.Choose(tier.Manifest, layout.SchemaVersion, engine.Options.Tiering.Compaction, false)
            .Count == 0)
            return CompactionResult.None;
        var progress = Start("job", stream, partition, ArchivalRun.Compaction);
        try
        {
            var result = await _compactor.CompactAsync(tier, layout, force: false, progress, cancellationToken)
                .ConfigureAwait(false);
            progress.Finish(Now, null);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress.Finish(Now, "canceled: the server is stopping");
            throw;
        }
        catch (Exception e)
        {
            progress.Finish(Now, e.Message);
            return null;
        }
    }

    private static long HotBytes(Query.Storage.PartitionLog log)
    {
        long bytes = 0;
        foreach (var segment in log.GetSegments())
            bytes += segment.SizeBytes;
        return bytes;
    }

    private ArchiveProgress Start(string trigger, StreamRuntime stream, int partition,
        string kind = ArchivalRun.Archival)
    {
        var progress = new ArchiveProgress(stream.Definition.Name, partition, Now);
        lock (_runs)
        {
            _runs.AddLast(new ArchivalRun(trigger, progress, kind));
            while (_runs.Count > engine.Options.Tiering.HistoryRuns)
                _runs.RemoveFirst();
        }
        return progress;
    }

    private DateTimeOffset Now => engine.TimeProvider.GetUtcNow();

    private ColdStore RequireCold() => engine.Options.ColdStore
        ?? throw SqlException.FeatureNotSupported("archiving without a cold tier (set the cold root folder)");

    /// <summary>The stream's layout, refused (0A000) when a column name is one the cold files reserve.</summary>
    public static StreamColumnLayout Layout(StreamRuntime stream)
    {
        var definition = stream.Definition;
        var layout = new StreamColumnLayout(definition, definition.Columns.Count);
        try
        {
            Query.Tiering.Parquet.ColdFileSchemaCheck.Validate(layout.Columns);
        }
        catch (TieringSchemaException e)
        {
            throw new SqlException(SqlState.FeatureNotSupported, e.Message);
        }
        return layout;
    }

    private static Exception Translate(Exception e) => e switch
    {
        SqlException or OperationCanceledException => e,
        Query.Storage.StorageFullException => new SqlException(SqlState.DiskFull, e.Message, innerException: e),
        Query.Storage.LogDeletedException => new SqlException(SqlState.UndefinedTable, e.Message, innerException: e),
        Query.Tiering.Manifest.TierManifestCorruptException or Query.Storage.CorruptSegmentException =>
            new SqlException(SqlState.DataCorrupted, e.Message, innerException: e),
        ColdArchiveException or IOException or UnauthorizedAccessException =>
            new SqlException(SqlState.IoError, "archival failed, the hot data is kept: " + e.Message,
                innerException: e),
        _ => e,
    };
}
