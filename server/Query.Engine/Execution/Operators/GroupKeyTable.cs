using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// Maps a row's GROUP BY key (the first cells of the aggregation's input row) to a dense group number, in order of
/// first appearance. Specialised by key shape, because the lookup runs once per input row.
/// </summary>
public abstract class GroupKeyTable
{
    public abstract int Count { get; }

    /// <summary>The group of the key in the leading cells of <paramref name="row"/>, added when new.</summary>
    public abstract int FindOrAdd(Cell[] row);

    /// <summary>Copies group <paramref name="group"/>'s key cells to the start of <paramref name="row"/>.</summary>
    public abstract void CopyKey(int group, Cell[] row);

    public static GroupKeyTable For(SqlTypeKind[] keyKinds) => keyKinds.Length switch
    {
        0 => new SingleGroupTable(),
        1 when IsIntegral(keyKinds[0]) => new Int64GroupKeyTable(),
        _ => new CellGroupKeyTable(keyKinds),
    };

    private static bool IsIntegral(SqlTypeKind kind) => kind is SqlTypeKind.Boolean or SqlTypeKind.Int
        or SqlTypeKind.BigInt or SqlTypeKind.Date or SqlTypeKind.Time or SqlTypeKind.Timestamp;
}

/// <summary>No GROUP BY: every row is group 0.</summary>
internal sealed class SingleGroupTable : GroupKeyTable
{
    private int _count;

    public override int Count => _count;

    public override int FindOrAdd(Cell[] row)
    {
        _count = 1;
        return 0;
    }

    public override void CopyKey(int group, Cell[] row)
    {
    }
}

/// <summary>Any other key: the key cells are copied once per group and compared by SQL value equality.</summary>
internal sealed class CellGroupKeyTable(SqlTypeKind[] kinds) : GroupKeyTable
{
    private readonly Dictionary<Cell[], int> _groups = new(new KeyComparer(kinds));
    private readonly List<Cell[]> _keys = [];

    public override int Count => _keys.Count;

    public override int FindOrAdd(Cell[] row)
    {
        if (_groups.TryGetValue(row, out var group))
            return group;
        var key = row[..kinds.Length];
        group = _keys.Count;
        _groups.Add(key, group);
        _keys.Add(key);
        return group;
    }

    public override void CopyKey(int group, Cell[] row) => _keys[group].AsSpan().CopyTo(row);

    /// <summary>Compares the first N cells of a row, so a lookup needs no key copy.</summary>
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
                hash.Add(obj[i].ValueHash(kinds[i]));
            return hash.ToHashCode();
        }
    }
}
