namespace Query.Engine.State;

/// <summary>
/// A state store would pass its memory budget: nothing was changed. The engine reports it as 53200 naming the
/// setting (<see cref="EngineOptions.StateMemoryBytes"/>).
/// </summary>
public sealed class StateStoreFullException(long requestedBytes, long usedBytes, long limitBytes)
    : Exception($"state memory limit reached: {requestedBytes} more bytes needed, {usedBytes} of {limitBytes} "
        + "bytes in use (setting state_memory_bytes, --state-memory-bytes)")
{
    public long RequestedBytes { get; } = requestedBytes;

    public long UsedBytes { get; } = usedBytes;

    public long LimitBytes { get; } = limitBytes;
}
