using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Query.Engine.Types;

namespace Query.Engine.Windows;

/// <summary>
/// One integer-like key: (key bits, window start) in an open-addressing table with linear probing, at most half
/// full, entries removed by backward shift (no tombstones, so probes stay short however many windows come and go).
/// A lookup reads one entry (key, start and slot side by side) where a <c>Dictionary</c> read a bucket and then an
/// entry elsewhere: with 100 k keys both miss the cache, so this halves the misses of the once-per-row lookup.
/// </summary>
internal sealed class Int64WindowKeyTable : WindowKeyTable
{
    private const int InitialEntries = 1024;

    [StructLayout(LayoutKind.Sequential)]
    private struct Entry
    {
        public long Key;
        public long Start;
        public int SlotPlusOne;   // 0: empty
    }

    private Entry[] _entries = new Entry[InitialEntries];
    private int _mask = InitialEntries - 1;
    private int _shift = 64 - 10;
    private (long Key, long Start)[] _bySlot = new (long, long)[64];
    private int _count;

    public override int Count => _count;

    public override int Find(Cell[] row, long startMs) => Find(row[0].Bits, startMs);

    public int Find(long key, long startMs)
    {
        var index = Home(key, startMs);
        while (true)
        {
            ref readonly var entry = ref _entries[index];
            if (entry.SlotPlusOne == 0)
                return -1;
            if (entry.Key == key && entry.Start == startMs)
                return entry.SlotPlusOne - 1;
            index = (index + 1) & _mask;
        }
    }

    /// <summary>Asks the processor to bring the home entry of (key, start) into the cache, ahead of its lookup
    /// some records later.</summary>
    public unsafe void Prefetch(long key, long startMs)
    {
        if (!Sse.IsSupported)
            return;
        fixed (Entry* entry = &_entries[Home(key, startMs)])
            Sse.Prefetch0(entry);
    }

    public override void Add(Cell[] row, long startMs, int slot) => Add(row[0].Bits, startMs, slot);

    public void Add(long key, long startMs, int slot)
    {
        if (slot >= _bySlot.Length)
            Array.Resize(ref _bySlot, Math.Max(_bySlot.Length * 2, slot + 1));
        _bySlot[slot] = (key, startMs);
        if ((long)(_count + 1) * 2 > _entries.Length)
            Grow();
        Place(new Entry { Key = key, Start = startMs, SlotPlusOne = slot + 1 });
        _count++;
    }

    public override void Remove(int slot)
    {
        var (key, start) = _bySlot[slot];
        var index = Home(key, start);
        while (_entries[index].SlotPlusOne != slot + 1)
        {
            if (_entries[index].SlotPlusOne == 0)
                return;
            index = (index + 1) & _mask;
        }
        RemoveAt(index);
        _count--;
    }

    public override void CopyKey(int slot, Cell[] row) => row[0] = Cell.FromInt64(_bySlot[slot].Key);

    /// <summary>Empties entry <paramref name="hole"/> and moves later entries of its probe run back into holes, so
    /// every remaining entry stays reachable from its home without tombstones.</summary>
    private void RemoveAt(int hole)
    {
        var next = hole;
        while (true)
        {
            next = (next + 1) & _mask;
            ref var entry = ref _entries[next];
            if (entry.SlotPlusOne == 0)
                break;
            var home = Home(entry.Key, entry.Start);
            // The entry may move to the hole unless its home lies cyclically in (hole, next].
            var stays = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (stays)
                continue;
            _entries[hole] = entry;
            hole = next;
        }
        _entries[hole] = default;
    }

    private void Place(Entry entry)
    {
        var index = Home(entry.Key, entry.Start);
        while (_entries[index].SlotPlusOne != 0)
            index = (index + 1) & _mask;
        _entries[index] = entry;
    }

    /// <summary>Fibonacci hashing of the key mixed with the start: the top bits spread sequential keys and starts.
    /// </summary>
    private int Home(long key, long startMs)
    {
        var mixed = ((ulong)key * 0x9E3779B97F4A7C15UL) ^ ((ulong)startMs * 0xC2B2AE3D27D4EB4FUL);
        return (int)((mixed * 0x9E3779B97F4A7C15UL) >> _shift);
    }

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        _mask = _entries.Length - 1;
        _shift--;
        foreach (var entry in old)
        {
            if (entry.SlotPlusOne != 0)
                Place(entry);
        }
    }
}
