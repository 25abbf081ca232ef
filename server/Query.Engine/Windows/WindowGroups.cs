using Query.Engine.Functions;

namespace Query.Engine.Windows;

/// <summary>
/// The windows a windowed aggregate holds, as parallel arrays indexed by slot: bounds, accumulators (one run of
/// <c>width</c> per slot), bookkeeping for emission and commit. A removed window's slot is reused, and its
/// generation changes so that stale entries of the expiry and close queues are recognised.
/// </summary>
internal sealed class WindowGroups(int width)
{
    private readonly Stack<int> _free = new();
    private int _high;

    public Accumulator[] Accumulators = new Accumulator[16 * Math.Max(1, width)];
    public long[] Start = new long[16];
    public long[] End = new long[16];
    public int[] KeyEntry = new int[16];

    /// <summary>The stream clock that closes and expires the slot's window (see <see cref="StreamClocks"/>).</summary>
    public int[] Clock = new int[16];
    public int[] Generation = new int[16];
    public long[] BatchStamp = new long[16];
    public bool[] Alive = new bool[16];
    public bool[] Dirty = new bool[16];

    /// <summary>Bytes charged to the memory budget for the slot's window (released when it goes).</summary>
    public long[] Charged = new long[16];

    /// <summary>Whether the state log holds this slot's window (so removing it must write a removal).</summary>
    public bool[] Written = new bool[16];

    /// <summary>Windows held.</summary>
    public int Live { get; private set; }

    /// <summary>Slots ever used (live or free): the range to walk over every window.</summary>
    public int HighWater => _high;

    public bool IsLive(int slot) => Alive[slot];

    public int Allocate(long start, long end, int keyEntry, int clock)
    {
        var slot = _free.Count > 0 ? _free.Pop() : _high++;
        if (slot >= Start.Length)
            Grow(Math.Max(Start.Length * 2, slot + 1));
        Start[slot] = start;
        End[slot] = end;
        KeyEntry[slot] = keyEntry;
        Clock[slot] = clock;
        Alive[slot] = true;
        Dirty[slot] = false;
        Written[slot] = false;
        BatchStamp[slot] = 0;
        Generation[slot]++;
        Live++;
        return slot;
    }

    public void Free(int slot)
    {
        Alive[slot] = false;
        Dirty[slot] = false;
        Written[slot] = false;
        Generation[slot]++;
        var w = Math.Max(1, width);
        Array.Clear(Accumulators, slot * w, w);
        Live--;
        _free.Push(slot);
    }

    private void Grow(int slots)
    {
        Array.Resize(ref Accumulators, slots * Math.Max(1, width));
        Array.Resize(ref Start, slots);
        Array.Resize(ref End, slots);
        Array.Resize(ref KeyEntry, slots);
        Array.Resize(ref Clock, slots);
        Array.Resize(ref Generation, slots);
        Array.Resize(ref BatchStamp, slots);
        Array.Resize(ref Alive, slots);
        Array.Resize(ref Dirty, slots);
        Array.Resize(ref Written, slots);
        Array.Resize(ref Charged, slots);
    }
}
