using Query.Engine.Types;

namespace Query.Engine.Windows;

/// <summary>
/// Maps (GROUP BY key, window start) to a slot number the caller chose, with removal: a windowed aggregate's
/// windows come and go (closed windows leave the state), so unlike <see cref="Execution.Operators.GroupKeyTable"/>
/// entries are removed. Specialised by key shape because the lookup runs once per input row and window.
/// </summary>
internal abstract class WindowKeyTable
{
    public abstract int Count { get; }

    /// <summary>The slot of the key in the leading cells of <paramref name="row"/> and <paramref name="startMs"/>,
    /// or -1.</summary>
    public abstract int Find(Cell[] row, long startMs);

    /// <summary>Adds the key (copied) with <paramref name="slot"/>; the pair must not be present.</summary>
    public abstract void Add(Cell[] row, long startMs, int slot);

    /// <summary>Removes the entry of <paramref name="slot"/>.</summary>
    public abstract void Remove(int slot);

    /// <summary>Copies the key cells of <paramref name="slot"/> to the start of <paramref name="row"/>.</summary>
    public abstract void CopyKey(int slot, Cell[] row);

    public static WindowKeyTable For(SqlType[] keyTypes) =>
        keyTypes.Length == 1 && IsIntegral(keyTypes[0].Kind) ? new Int64WindowKeyTable()
            : new CellWindowKeyTable(keyTypes);

    private static bool IsIntegral(SqlTypeKind kind) => kind is SqlTypeKind.Boolean or SqlTypeKind.Int
        or SqlTypeKind.BigInt or SqlTypeKind.Date or SqlTypeKind.Time or SqlTypeKind.Timestamp;
}

/// <summary>Any other key: the key cells are copied once per entry and compared by SQL value equality.</summary>
internal sealed class CellWindowKeyTable : WindowKeyTable
{
    private readonly Dictionary<Entry, int> _slots;
    private readonly int _width;
    private Entry[] _keys = new Entry[16];

    public CellWindowKeyTable(SqlType[] keyTypes)
    {
        _width = keyTypes.Length;
        var kinds = new SqlTypeKind[keyTypes.Length];
        for (var i = 0; i < kinds.Length; i++)
            kinds[i] = keyTypes[i].Kind;
        _slots = new Dictionary<Entry, int>(new EntryComparer(kinds));
    }

    public override int Count => _slots.Count;

    public override int Find(Cell[] row, long startMs) =>
        _slots.TryGetValue(new Entry(row, startMs), out var slot) ? slot : -1;

    public override void Add(Cell[] row, long startMs, int slot)
    {
        if (slot >= _keys.Length)
            Array.Resize(ref _keys, Math.Max(_keys.Length * 2, slot + 1));
        _keys[slot] = new Entry(row[.._width], startMs);
        _slots.Add(_keys[slot], slot);
    }

    public override void Remove(int slot)
    {
        _slots.Remove(_keys[slot]);
        _keys[slot] = default;
    }

    public override void CopyKey(int slot, Cell[] row) => _keys[slot].Cells.AsSpan(0, _width).CopyTo(row);

    /// <summary>A lookup wraps the caller's row (no copy); a stored entry owns a copy of the key cells.</summary>
    private readonly record struct Entry(Cell[] Cells, long StartMs);

    private sealed class EntryComparer(SqlTypeKind[] kinds) : IEqualityComparer<Entry>
    {
        public bool Equals(Entry x, Entry y)
        {
            if (x.StartMs != y.StartMs)
                return false;
            for (var i = 0; i < kinds.Length; i++)
            {
                if (!x.Cells[i].ValueEquals(y.Cells[i], kinds[i]))
                    return false;
            }
            return true;
        }

        public int GetHashCode(Entry obj)
        {
            var hash = new HashCode();
            hash.Add(obj.StartMs);
            for (var i = 0; i < kinds.Length; i++)
                hash.Add(obj.Cells[i].ValueHash(kinds[i]));
            return hash.ToHashCode();
        }
    }
}
