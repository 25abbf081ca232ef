using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Tiering;
using Query.Tiering.Archival;

namespace Query.Engine.Tiering;

/// <summary>Archives a stream's sealed segments, partition by partition (for ARCHIVE STREAM and jobs).</summary>
internal static class StreamArchival
{
    public static async Task<ArchiveResult> ArchiveAsync(ColdStore? cold, StreamRuntime stream,
        SegmentArchiver archiver, Func<Query.Storage.SegmentInfo, bool> shouldArchive,
        CancellationToken cancellationToken)
    {
        if (cold is null)
            throw SqlException.FeatureNotSupported("archiving without a cold tier (set the cold root folder)");
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
        var result = ArchiveResult.None;
        for (var p = 0; p < stream.Log.PartitionCount; p++)
        {
            var partition = await archiver.ArchiveAsync(stream.Log.GetPartition(p), cold.GetTier(definition.Name, p),
                layout, shouldArchive, null, cancellationToken).ConfigureAwait(false);
            result = result.Add(partition);
        }
        return result;
    }
}
