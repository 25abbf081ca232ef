namespace Query.Engine.State;

/// <summary>
/// A key-value store of operator state: a table's latest value per key, or an aggregate's accumulators per group.
/// Keys and values are bytes (the caller's encoding); a value read is a view valid until the next write to the
/// store. Every write is charged to a <see cref="StateMemoryBudget"/> before anything is allocated, so a store that
/// would pass the budget throws <see cref="StateStoreFullException"/> and leaves its content unchanged. Not
/// thread-safe: one writer, and readers only while nothing writes (the owner holds the lock).
/// </summary>
public interface IStateStore : IDisposable
{
    /// <summary>Live entries.</summary>
    long Count { get; }

    /// <summary>What the entries are charged to the budget (keys, values and a fixed overhead per entry).</summary>
    long MemoryBytes { get; }

    /// <summary>The value of <paramref name="key"/>; false when the key has none.</summary>
    bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value);

    /// <summary>Sets the value of <paramref name="key"/>; throws <see cref="StateStoreFullException"/> past the
    /// budget (the old value, if any, is then kept).</summary>
    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Removes <paramref name="key"/>; false when it had no value.</summary>
    bool Delete(ReadOnlySpan<byte> key);

    /// <summary>
    /// The first live entry at or after <paramref name="position"/> (start at 0), advancing it past the entry; false
    /// at the end. Positions stay valid across writes: an entry that is neither deleted nor added meanwhile is seen
    /// exactly once by a walk that runs while other writes happen between its calls.
    /// </summary>
    bool TryGetNext(ref long position, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value);

    /// <summary>Removes every entry (and releases their memory).</summary>
    void Clear();
}
