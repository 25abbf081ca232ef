using Query.Tiering.Manifest;

namespace Query.Tiering.Archival;

/// <summary>What one expiry run removed from a partition's cold tier.</summary>
public sealed record ExpiryResult(int Files, long Rows, long Bytes)
{
    public static ExpiryResult None { get; } = new(0, 0, 0);
}

/// <summary>
/// Total retention of the cold tier: removes a partition's oldest cold files while they are past the stream's
/// RETENTION_MS or the partition (both tiers) is larger than its RETENTION_BYTES. Oldest first and whole files
/// only, so the tier stays contiguous. The manifest without the files is committed first, then the files are
/// deleted: a crash in between leaves files no manifest names, which <see cref="PartitionTier.Open"/> removes,
/// and a reader that took the old manifest finds a file missing, looks at the new manifest and steps over the
/// expired offsets (<see cref="Reading.ColdPartitionReader"/>).
/// </summary>
public static class ColdExpiry
{
    /// <param name="tier">The partition's cold tier.</param>
    /// <param name="nowMs">The clock, Unix epoch milliseconds.</param>
    /// <param name="retentionMs">Files whose newest row is older than this expire; -1: never by age.</param>
    /// <param name="retentionBytes">Oldest files expire while hot plus cold bytes exceed this; -1: no limit.</param>
    /// <param name="hotBytes">Bytes of the partition's hot log, counted against <paramref name="retentionBytes"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait for the tier's lock only.</param>
    public static async Task<ExpiryResult> ExpireAsync(PartitionTier tier, long nowMs, long retentionMs,
        long retentionBytes, long hotBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tier);
        await tier.MutationLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var manifest = tier.Manifest;
            var count = CountExpired(manifest, nowMs, retentionMs, retentionBytes, hotBytes);
            if (count == 0)
                return ExpiryResult.None;
            var expired = manifest.Files[..count];
            tier.Commit(manifest.RemoveOldest(count));
            long rows = 0, bytes = 0;
            foreach (var file in expired)
            {
                rows += file.RowCount;
                bytes += file.SizeBytes;
                tier.FileCache?.Evict(tier.FullPath(file));
                TryDelete(tier.FullPath(file));
            }
            return new ExpiryResult(count, rows, bytes);
        }
        finally
        {
            tier.MutationLock.Release();
        }
    }

    private static int CountExpired(TierManifest manifest, long nowMs, long retentionMs, long retentionBytes,
        long hotBytes)
    {
        var total = manifest.SizeBytes + hotBytes;
        var count = 0;
        foreach (var file in manifest.Files)
        {
            var tooOld = retentionMs >= 0 && file.MaxTimestampMs < nowMs - retentionMs;
            var tooBig = retentionBytes >= 0 && total > retentionBytes;
            if (!tooOld && !tooBig)
                break;
            total -= file.SizeBytes;
            count++;
        }
        return count;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Named by no manifest any more: PartitionTier.Open removes it at the next start.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
