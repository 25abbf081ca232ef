namespace Query.Tiering.Manifest;

/// <summary>
/// A reader's hold on one committed manifest: while it is not disposed, no file that manifest names is deleted
/// by compaction (expiry of the total retention does not wait: its readers step over expired offsets).
/// </summary>
public sealed class ManifestLease : IDisposable
{
    private readonly ManifestPins _pins;
    private int _released;

    internal ManifestLease(ManifestPins pins, TierManifest manifest)
    {
        _pins = pins;
        Manifest = manifest;
    }

    public TierManifest Manifest { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
            _pins.Release(Manifest.Generation);
    }
}
