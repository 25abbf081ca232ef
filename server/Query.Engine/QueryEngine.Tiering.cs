using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Tiering;
using Query.Storage;
using Query.Tiering.Archival;

namespace Query.Engine;

/// <summary>The engine's side of tiered storage: archival now, the background job's pass, their history.</summary>
public sealed partial class QueryEngine
{
    internal ArchivalJobs Archival { get; }

    /// <summary>
    /// Archives every sealed segment of stream <paramref name="name"/> into the cold tier now (ARCHIVE STREAM):
    /// 42P01 for an unknown stream, 0A000 without a cold tier or for a column name the files reserve.
    /// </summary>
    public Task<ArchiveResult> ArchiveStreamAsync(string name, CancellationToken cancellationToken = default) =>
        Archival.ArchiveNowAsync(GetStream(name, null), cancellationToken);

    /// <summary>
    /// Merges every run of two or more adjacent small cold files of stream <paramref name="name"/> now (COMPACT
    /// STREAM); the background job merges only runs that can no longer grow.
    /// </summary>
    public Task<Query.Tiering.Compaction.CompactionResult> CompactStreamAsync(string name,
        CancellationToken cancellationToken = default) =>
        Archival.CompactNowAsync(GetStream(name, null), cancellationToken);

    /// <summary>
    /// One pass of the archival job over every tiered stream (sealed segments past the hot limits, oldest first;
    /// then cold files past the total retention). The host calls it on a timer; it never throws for a failed
    /// partition (see <see cref="ArchivalRuns"/>), only for cancellation.
    /// </summary>
    public Task<ArchivalPassResult> RunArchivalPassAsync(CancellationToken cancellationToken = default) =>
        Archival.RunPassAsync(cancellationToken);

    /// <summary>Archival runs, running and recent, oldest first (SHOW ARCHIVALS).</summary>
    public IReadOnlyList<ArchivalRun> ArchivalRuns => Archival.Runs;

    /// <summary>Stream <paramref name="name"/>'s rows as tiering sees them (for archival jobs and tools).</summary>
    public Query.Tiering.Layout.IColumnLayout GetColumnLayout(string name)
    {
        var definition = GetStream(name, null).Definition;
        return new StreamColumnLayout(definition, definition.Columns.Count);
    }

    /// <summary>The stream's tiering settings with the server's defaults filled in.</summary>
    internal EffectiveTiering TieringOf(StreamDefinition definition) => EffectiveTiering.Of(definition,
        Options.Tiering);

    /// <summary>
    /// A tiered stream's hot log keeps every segment not yet archived (its retention floor sits at the
    /// archived-through offset), so hot retention can never delete un-archived data; an untiered one lets go.
    /// 0A000 when a stream is tiered but there is no cold tier.
    /// </summary>
    internal void ApplyTiering(StreamDefinition definition, PartitionedLog log)
    {
        var tiered = TieringOf(definition).Enabled;
        var cold = Options.ColdStore;
        if (tiered && cold is null)
            throw SqlException.FeatureNotSupported("TIERED streams without a cold tier (set the cold root folder)");
        if (tiered)
            ColdTypes.CheckTierable(definition);
        for (var p = 0; p < log.PartitionCount; p++)
        {
            var partition = log.GetPartition(p);
            if (tiered)
                SegmentArchiver.ProtectUnarchived(partition, cold!.GetTier(definition.Name, p));
            else
                partition.ReleaseRetentionFloor(SegmentArchiver.RetentionFloorHolder);
        }
    }
}
