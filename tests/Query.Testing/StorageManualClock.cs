namespace Query.Testing;

/// <summary>A TimeProvider whose wall clock moves only when told, for retention and segment-age tests.</summary>
public sealed class StorageManualClock : TimeProvider
{
    private long _utcNowTicks;

    public StorageManualClock(DateTimeOffset start) => _utcNowTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcNowTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcNowTicks, by.Ticks);
}
