using Query.Engine.Catalog;

namespace Query.Engine.Tiering;

/// <summary>A stream's tiering settings with the server's defaults filled in.</summary>
public sealed record EffectiveTiering(bool Enabled, long LocalRetentionMs, long LocalRetentionBytes,
    long RetentionMs, long RetentionBytes)
{
    /// <summary>A local limit never exceeds the total one: data leaves the hot log before it expires.</summary>
    public static EffectiveTiering Of(StreamDefinition definition, TieringDefaults defaults) => new(
        definition.Tiering.Enabled ?? defaults.Enabled,
        AtMost(definition.Tiering.LocalRetentionMs ?? defaults.LocalRetentionMs, definition.RetentionMs),
        AtMost(definition.Tiering.LocalRetentionBytes ?? defaults.LocalRetentionBytes, definition.RetentionBytes),
        definition.RetentionMs,
        definition.RetentionBytes);

    private static long AtMost(long local, long total) => total >= 0 && (local < 0 || local > total) ? total : local;

    /// <summary>
    /// The job's rule for one partition's sealed segments, asked oldest first: archive while the segment's newest
    /// row is older than LOCAL_RETENTION_MS or the hot log is still above LOCAL_RETENTION_BYTES.
    /// </summary>
    public Func<Query.Storage.SegmentInfo, bool> PastHotLimits(long nowMs, long hotBytes)
    {
        var remaining = hotBytes;
        return segment =>
        {
            var old = LocalRetentionMs >= 0 && segment.MaxTimestampMs < nowMs - LocalRetentionMs;
            var big = LocalRetentionBytes >= 0 && remaining > LocalRetentionBytes;
            if (!old && !big)
                return false;
            remaining -= segment.SizeBytes;
            return true;
        };
    }
}
