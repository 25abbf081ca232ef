using Query.Tiering.Archival;

namespace Query.Engine.Tiering;

/// <summary>
/// One archival run of one partition, as SHOW ARCHIVALS lists it: what started it ("job" for the background
/// job, "statement" for ARCHIVE STREAM) and its live <see cref="ArchiveProgress"/>.
/// </summary>
public sealed record ArchivalRun(string Trigger, ArchiveProgress Progress);

/// <summary>What one pass of the background job did over every tiered stream.</summary>
public sealed record ArchivalPassResult(int Streams, ArchiveResult Archived, int FilesExpired, int Failures);
