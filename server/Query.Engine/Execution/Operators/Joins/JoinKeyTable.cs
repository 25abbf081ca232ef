using System.Runtime.InteropServices;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// The build side of a hash join: its rows, chained by join key in order of arrival. A key is the leading cells of
/// a scratch row; NULL keys are never added (SQL equality never holds for them). Specialised for one integer-like
/// key, which is hashed as a long without a key copy; other keys are copied once per distinct key.
/// </summary>
internal abstract class JoinKeyTable
{
    private readonly List<Cell[]> _rows = [];
    private readonly List<int> _next = [];
    private readonly List<int> _tails = [];

    /// <summary>Rows added.</summary>
    public int Count => _rows.Count;

    public Cell[] Row(int index) => _rows[index];

    /// <summary>The row after <paramref name="index"/> with the same key, or -1.</summary>
    public int Next(int index) => _next[index];

    public static JoinKeyTable For(SqlTypeKind[] kinds) => kinds.Length switch
    {
        0 => new AllRowsTable(),
        1 when kinds[0] is SqlTypeKind.Boolean or SqlTypeKind.Int or SqlTypeKind.BigInt or SqlTypeKind.Date
            or SqlTypeKind.Time or SqlTypeKind.Timestamp => new Int64JoinKeyTable(),
        _ => new CellJoinKeyTable(kinds),
    };

    /// <summary>Adds <paramref name="row"/> (kept by reference) under the key in <paramref name="key"/>.</summary>
    public void Add(Cell[] key, Cell[] row)
    {
        var index = _rows.Count;
        _rows.Add(row);
        _next.Add(-1);
        var chain = FindOrAddChain(key, _tails.Count);
        if (chain == _tails.Count)
        {
            _tails.Add(index);
            return;
        }
        _next[_tails[chain]] = index;
        _tails[chain] = index;
    }

    /// <summary>The first row whose key equals <paramref name="key"/>, or -1.</summary>
    public abstract int First(Cell[] key);

    /// <summary>The chain of the key (its first row's index is stored by the table), added as
    /// <paramref name="newChain"/> when the key is new.</summary>
    protected abstract int FindOrAddChain(Cell[] key, int newChain);

    /// <summary>A table without keys: every row matches every probe (a cross or nested-loop join).</summary>
    private sealed class AllRowsTable : JoinKeyTable
    {
        public override int First(Cell[] key) => Count > 0 ? 0 : -1;

        protected override int FindOrAddChain(Cell[] key, int newChain) => 0;
    }

    private sealed class Int64JoinKeyTable : JoinKeyTable
    {
        private readonly Dictionary<long, (int Chain, int First)> _chains = [];

        public override int First(Cell[] key) => _chains.TryGetValue(key[0].Bits, out var entry) ? entry.First : -1;

        protected override int FindOrAddChain(Cell[] key, int newChain)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_chains, key[0].Bits, out var exists);
            if (!exists)
                entry = (newChain, Count - 1);
            return entry.Chain;
        }
    }

    private sealed class CellJoinKeyTable(SqlTypeKind[] kinds) : JoinKeyTable
    {
        private readonly Dictionary<Cell[], (int Chain, int First)> _chains = new(new KeyComparer(kinds));

        public override int First(Cell[] key) => _chains.TryGetValue(key, out var entry) ? entry.First : -1;

        protected override int FindOrAddChain(Cell[] key, int newChain)
        {
            if (_chains.TryGetValue(key, out var entry))
                return entry.Chain;
            _chains.Add(key[..kinds.Length], (newChain, Count - 1));
            return newChain;
        }
    }

    /// <summary>Compares the first N cells; DOUBLE hashes by value, so 0.0 and -0.0 (equal) meet.</summary>
    private sealed class KeyComparer(SqlTypeKind[] kinds) : IEqualityComparer<Cell[]>
    {
        public bool Equals(Cell[]? x, Cell[]? y)
        {
            for (var i = 0; i < kinds.Length; i++)
            {
                if (!x![i].ValueEquals(y![i], kinds[i]))
                    return false;
            }
            return true;
        }

        public int GetHashCode(Cell[] obj)
        {
            var hash = new HashCode();
            for (var i = 0; i < kinds.Length; i++)
                hash.Add(kinds[i] == SqlTypeKind.Double ? obj[i].AsDouble.GetHashCode() : obj[i].ValueHash(kinds[i]));
            return hash.ToHashCode();
        }
    }
}
