namespace Query.Engine.State;

/// <summary>
/// The memory every state store of an engine may hold together (tables' materialized state, aggregates): stores
/// charge before they allocate and release when they free, so the total never passes <see cref="LimitBytes"/>.
/// Thread-safe (stores of different tables charge concurrently).
/// </summary>
public sealed class StateMemoryBudget
{
    private long _usedBytes;

    public StateMemoryBudget(long limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limitBytes, 1);
        LimitBytes = limitBytes;
    }

    public long LimitBytes { get; }

    public long UsedBytes => Interlocked.Read(ref _usedBytes);

    /// <summary>Counts <paramref name="bytes"/> more as held, or throws <see cref="StateStoreFullException"/>
    /// (charging nothing) when that would pass the limit.</summary>
    public void Charge(long bytes)
    {
        if (bytes <= 0)
        {
            Release(-bytes);
            return;
        }
        while (true)
        {
            var used = Interlocked.Read(ref _usedBytes);
            if (used + bytes > LimitBytes)
                throw new StateStoreFullException(bytes, used, LimitBytes);
            if (Interlocked.CompareExchange(ref _usedBytes, used + bytes, used) == used)
                return;
        }
    }

    public void Release(long bytes)
    {
        if (bytes > 0)
            Interlocked.Add(ref _usedBytes, -bytes);
    }
}
