using Query.Engine.Catalog;
using Query.Engine.Format;
using Query.Engine.Windows;

namespace Query.Engine.State;

/// <summary>
/// The windows of a windowed table's materialized state, by key, and their retention, as Kafka Streams' window
/// store keeps them for ksqlDB. Each record key of the table is a key followed by a window
/// (<see cref="WindowedKey"/>); this index maps the key to its windows in start order, so a pull query by key reads
/// that key's windows only (never a scan of the state).
/// <para><b>Retention.</b> Like the window store, the index keeps an observed stream time: the largest window start
/// (a session: its end; the store's "segment time") of every record applied. A window whose segment time is at or
/// below observed stream time minus RETENTION is gone: it is deleted from the state when stream time passes it, and a
/// record for it is not applied. The store is per task in Kafka Streams, a task being a partition of the aggregate's
/// key, so the index keeps one stream time per partition of the key (Kafka's partitioner over the key alone, as
/// ksqlDB's windowed partitioner does) among the table's partitions.</para>
/// <para><b>Across restarts.</b> The state is rebuilt from the changelog, and what it holds at the end does not depend
/// on the order partitions are read in: stream time only grows, a record for an expired window is dropped and a live
/// one expires once stream time passes it, so a window ends up held exactly when its latest record is an upsert and
/// its segment time is above its key's final stream time minus RETENTION. A restart therefore never brings an
/// expired window back. Not thread-safe: <see cref="TableState"/> holds its lock.</para>
/// </summary>
public sealed class WindowedTableIndex
{
    /// <summary>Charged per window besides the store's entry: its start and end here and an expiry entry.</summary>
    public const int WindowOverheadBytes = 48;

    /// <summary>Charged per key: the dictionary entry and the window arrays' headers.</summary>
    public const int KeyOverheadBytes = 112;

    private readonly TableWindow _window;
    private readonly long _retentionMs;
    private readonly StateMemoryBudget _budget;
    private readonly Dictionary<byte[], KeyWindows> _keys = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], KeyWindows>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly long[] _observedMs;
    private readonly PriorityQueue<KeyWindows, long>[] _expiries;
    private byte[] _fullKey = new byte[64];

    /// <param name="window">The table's window.</param>
    /// <param name="retentionMs">How long a window is held (null: for ever, as for a windowed source).</param>
    /// <param name="partitions">The table's partitions: one stream time per partition of the key.</param>
    /// <param name="budget">What the index's own memory is charged to.</param>
    public WindowedTableIndex(TableWindow window, long? retentionMs, int partitions, StateMemoryBudget budget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        _window = window;
        _retentionMs = retentionMs is { } r && r >= 0 ? r : long.MaxValue;
        _budget = budget;
        _lookup = _keys.GetAlternateLookup<ReadOnlySpan<byte>>();
        _observedMs = new long[partitions];
        _observedMs.AsSpan().Fill(long.MinValue);
        _expiries = new PriorityQueue<KeyWindows, long>[partitions];
        for (var p = 0; p < partitions; p++)
            _expiries[p] = new PriorityQueue<KeyWindows, long>();
    }

    /// <summary>Whether windows expire (a RETENTION is known).</summary>
    public bool Expires => _retentionMs != long.MaxValue;

    /// <summary>Windows held.</summary>
    public long WindowCount { get; private set; }

    /// <summary>What the index itself is charged for.</summary>
    public long MemoryBytes { get; private set; }

    /// <summary>Stream time of the keys of <paramref name="partition"/> (long.MinValue: none yet).</summary>
    public long ObservedStreamTimeMs(int partition) => _observedMs[partition];

    /// <summary>A window held for a key, in start order.</summary>
    public readonly record struct HeldWindow(long StartMs, long EndMs);

    /// <summary>Splits a record key; false when it holds no window (it is then kept as a plain entry).</summary>
    public bool TrySplit(ReadOnlySpan<byte> recordKey, out ReadOnlySpan<byte> key, out long startMs, out long endMs) =>
        WindowedKey.TrySplit(recordKey, _window, out key, out startMs, out endMs);

    /// <summary>The store's segment time of a window: its start (a session: its end).</summary>
    private long SegmentTime(long startMs, long endMs) => _window.Kind == WindowKind.Session ? endMs : startMs;

    /// <summary>The partition whose stream time governs <paramref name="key"/>'s windows.</summary>
    public int PartitionOf(ReadOnlySpan<byte> key) =>
        _observedMs.Length == 1 ? 0 : KafkaPartitioner.Partition(key, _observedMs.Length);

    /// <summary>Segment times at or below this have expired in <paramref name="partition"/>.</summary>
    private long ExpiredThrough(int partition)
    {
        var observed = _observedMs[partition];
        if (_retentionMs == long.MaxValue || observed == long.MinValue)
            return long.MinValue;
        return observed < long.MinValue + _retentionMs ? long.MinValue : observed - _retentionMs;
    }

    /// <summary>
    /// Advances the stream time of the key's partition past a record for this window (as the window store's put
    /// does) and says whether the window is live; a record for an expired window must not be applied.
    /// </summary>
    public bool Observe(ReadOnlySpan<byte> key, long startMs, long endMs, out int partition)
    {
        partition = PartitionOf(key);
        var segment = SegmentTime(startMs, endMs);
        if (segment > _observedMs[partition])
            _observedMs[partition] = segment;
        return segment > ExpiredThrough(partition);
    }

    /// <summary>Charges what a new window of <paramref name="key"/> costs the index (before the store's put, so a
    /// full budget changes nothing); returns the bytes charged.</summary>
    public long ChargeNewWindow(ReadOnlySpan<byte> key)
    {
        long bytes = WindowOverheadBytes;
        if (!_lookup.ContainsKey(key))
            bytes += KeyOverheadBytes + key.Length;
        _budget.Charge(bytes);
        MemoryBytes += bytes;
        return bytes;
    }

    /// <summary>Gives back a charge whose window was not added (the store's put failed).</summary>
    public void ReleaseCharge(long bytes)
    {
        MemoryBytes -= bytes;
        _budget.Release(bytes);
    }

    /// <summary>Records a window the store now holds (charged by <see cref="ChargeNewWindow"/>).</summary>
    public void Add(ReadOnlySpan<byte> key, long startMs, long endMs, int partition)
    {
        if (!_lookup.TryGetValue(key, out var windows))
        {
            windows = new KeyWindows(key.ToArray());
            _keys.Add(windows.Key, windows);
        }
        windows.Insert(startMs, endMs);
        WindowCount++;
        if (Expires)
            _expiries[partition].Enqueue(windows, SegmentTime(startMs, endMs));
    }

    /// <summary>Forgets a window the store no longer holds (a tombstone deleted it).</summary>
    public void Remove(ReadOnlySpan<byte> key, long startMs, long endMs)
    {
        if (!_lookup.TryGetValue(key, out var windows) || !windows.Remove(startMs, endMs))
            return;
        WindowCount--;
        Release(WindowOverheadBytes);
        if (windows.Count == 0)
            Forget(windows);
    }

    private void Forget(KeyWindows windows)
    {
        _keys.Remove(windows.Key);
        windows.Dead = true;
        Release(KeyOverheadBytes + windows.Key.Length);
    }

    private void Release(long bytes)
    {
        MemoryBytes -= bytes;
        _budget.Release(bytes);
    }

    /// <summary>Deletes from <paramref name="store"/> every window of <paramref name="partition"/> whose retention
    /// has passed (expiry entries of windows already gone are skipped).</summary>
    public void Expire(int partition, IStateStore store)
    {
        var through = ExpiredThrough(partition);
        var queue = _expiries[partition];
        while (queue.TryPeek(out var windows, out var segment) && segment <= through)
        {
            queue.Dequeue();
            if (windows.Dead)
                continue;
            // A session's segment time is its end, and sessions of a key are in start order: look at all of them.
            if (_window.Kind == WindowKind.Session)
            {
                ExpireSessions(windows, store, through);
            }
            else
            {
                while (windows.Count > 0 && windows.Starts[0] <= through)
                    ExpireFirst(windows, store);
            }
            if (windows.Count == 0)
                Forget(windows);
        }
    }

    private void ExpireFirst(KeyWindows windows, IStateStore store)
    {
        store.Delete(FullKey(windows.Key, windows.Starts[0], windows.Ends[0]));
        windows.RemoveAt(0);
        WindowCount--;
        Release(WindowOverheadBytes);
    }

    private void ExpireSessions(KeyWindows windows, IStateStore store, long through)
    {
        for (var i = windows.Count - 1; i >= 0; i--)
        {
            if (windows.Ends[i] > through)
                continue;
            store.Delete(FullKey(windows.Key, windows.Starts[i], windows.Ends[i]));
            windows.RemoveAt(i);
            WindowCount--;
            Release(WindowOverheadBytes);
        }
    }

    /// <summary>The record key of a window of <paramref name="key"/>, for the writer (a view of a reused buffer).
    /// </summary>
    private ReadOnlySpan<byte> FullKey(ReadOnlySpan<byte> key, long startMs, long endMs)
    {
        var length = RecordKeyBytes(key);
        if (_fullKey.Length < length)
            _fullKey = new byte[Math.Max(length, _fullKey.Length * 2)];
        return WriteRecordKey(_fullKey, key, startMs, endMs);
    }

    /// <summary>The length of the record key of a window of <paramref name="key"/>.</summary>
    public int RecordKeyBytes(ReadOnlySpan<byte> key) => key.Length + WindowedKey.SuffixBytes(_window.Kind);

    /// <summary>Writes the record key of a window of <paramref name="key"/> into <paramref name="target"/> (at least
    /// <see cref="RecordKeyBytes"/> long; readers bring their own, so they can run side by side).</summary>
    public ReadOnlySpan<byte> WriteRecordKey(Span<byte> target, ReadOnlySpan<byte> key, long startMs, long endMs)
    {
        var length = RecordKeyBytes(key);
        WindowedKey.Write(target[..length], key, _window.Kind, startMs, endMs);
        return target[..length];
    }

    /// <summary>
    /// The next window of <paramref name="key"/> after (<paramref name="afterStartMs"/>, <paramref name="afterEndMs"/>)
    /// in (start, end) order whose start is at least <paramref name="startMinMs"/> and at most
    /// <paramref name="startMaxMs"/>; false when there is none. Resuming by the last window returned (not by a
    /// position) sees every window that lives throughout a walk exactly once, whatever changes in between.
    /// </summary>
    public bool TryNext(ReadOnlySpan<byte> key, long afterStartMs, long afterEndMs, long startMinMs, long startMaxMs,
        out HeldWindow window)
    {
        window = default;
        if (!_lookup.TryGetValue(key, out var windows))
            return false;
        var i = windows.FirstAfter(afterStartMs, afterEndMs, startMinMs);
        if (i >= windows.Count || windows.Starts[i] > startMaxMs)
            return false;
        window = new HeldWindow(windows.Starts[i], windows.Ends[i]);
        return true;
    }

    /// <summary>Forgets everything (the store was cleared).</summary>
    public void Clear()
    {
        foreach (var windows in _keys.Values)
            windows.Dead = true;
        _keys.Clear();
        foreach (var queue in _expiries)
            queue.Clear();
        Release(MemoryBytes);
        WindowCount = 0;
    }

    /// <summary>One key's windows, sorted by (start, end); new windows are usually the latest, so they append.
    /// </summary>
    private sealed class KeyWindows(byte[] key)
    {
        public byte[] Key { get; } = key;

        public long[] Starts = new long[2];
        public long[] Ends = new long[2];
        public int Count;
        public bool Dead;

        public void Insert(long start, long end)
        {
            var at = Count;
            while (at > 0 && Compare(Starts[at - 1], Ends[at - 1], start, end) > 0)
                at--;
            if (Count == Starts.Length)
            {
                Array.Resize(ref Starts, Count * 2);
                Array.Resize(ref Ends, Count * 2);
            }
            Array.Copy(Starts, at, Starts, at + 1, Count - at);
            Array.Copy(Ends, at, Ends, at + 1, Count - at);
            Starts[at] = start;
            Ends[at] = end;
            Count++;
        }

        public bool Remove(long start, long end)
        {
            var at = FirstAfter(long.MinValue, long.MinValue, start);
            while (at < Count && Starts[at] == start)
            {
                if (Ends[at] == end)
                {
                    RemoveAt(at);
                    return true;
                }
                at++;
            }
            return false;
        }

        public void RemoveAt(int at)
        {
            Array.Copy(Starts, at + 1, Starts, at, Count - at - 1);
            Array.Copy(Ends, at + 1, Ends, at, Count - at - 1);
            Count--;
        }

        /// <summary>The first window after (start, end) in order with a start of at least
        /// <paramref name="startMin"/> (binary search).</summary>
        public int FirstAfter(long afterStart, long afterEnd, long startMin)
        {
            int low = 0, high = Count;
            while (low < high)
            {
                var mid = (low + high) >>> 1;
                var beforeBound = Starts[mid] < startMin
                    || Compare(Starts[mid], Ends[mid], afterStart, afterEnd) <= 0;
                if (beforeBound)
                    low = mid + 1;
                else
                    high = mid;
            }
            return low;
        }

        private static int Compare(long startA, long endA, long startB, long endB) =>
            startA != startB ? startA.CompareTo(startB) : endA.CompareTo(endB);
    }
}
