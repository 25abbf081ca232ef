using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Sets;

/// <summary>Rows as keys of a hash set (set operations, recursive UNION): equal when every column holds the same
/// SQL value, NULLs equal to each other (SQL's "not distinct").</summary>
internal sealed class RowKeyComparer(SqlTypeKind[] kinds) : IEqualityComparer<Cell[]>
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

    public int GetHashCode(Cell[] row)
    {
        var hash = new HashCode();
        for (var i = 0; i < kinds.Length; i++)
            hash.Add(row[i].ValueHash(kinds[i]));
        return hash.ToHashCode();
    }

    public static SqlTypeKind[] KindsOf(IReadOnlyList<Binding.ColumnInfo> columns)
    {
        var kinds = new SqlTypeKind[columns.Count];
        for (var i = 0; i < kinds.Length; i++)
            kinds[i] = columns[i].Type.Kind;
        return kinds;
    }
}
