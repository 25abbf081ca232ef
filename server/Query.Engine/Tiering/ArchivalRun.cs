using Query.Tiering.Archival;

namespace Query.Engine.Tiering;

/// <summary>
/// One archival or compaction run of one partition, as SHOW ARCHIVALS lists it: what started it ("job" for the
/// background job, "statement" for ARCHIVE STREAM and COMPACT STREAM), what it does ("archival" or "compaction")
/// and its live <see cref="ArchiveProgress"/> (for compaction, its "segments" are the files merged).
/// </summary>
public sealed record ArchivalRun(string Trigger, ArchiveProgress Progress, string Kind = ArchivalRun.Archival)
{
    public const string Archival = "archival";
    public const string Compaction = "compaction";
}

/// <summary>What one pass of the background job did over every tiered stream.</summary>
public sealed record ArchivalPassResult(int Streams, ArchiveResult Archived, int FilesExpired, int Failures,
    Query.Tiering.Compaction.CompactionResult Compacted);
