namespace Query.Tiering.Manifest;

/// <summary>
/// One cold file in a partition's manifest: it covers offsets [BaseOffset, EndOffset) (every record of the
/// partition in that range is in it), holds <see cref="RowCount"/> rows with ROWTIME in
/// [MinTimestampMs, MaxTimestampMs], and lives at <see cref="RelativePath"/> under the partition folder.
/// </summary>
public sealed record ColdFileEntry(string RelativePath, long BaseOffset, long EndOffset, long RowCount,
    long MinTimestampMs, long MaxTimestampMs, long SizeBytes, int RowGroupCount, int SchemaVersion)
{
    public bool OverlapsTime(long minTimestampMs, long maxTimestampMs) =>
        MaxTimestampMs >= minTimestampMs && MinTimestampMs <= maxTimestampMs;
}
