using Query.Engine.Functions;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>ORDER BY's order over rows: each key's direction, NULLs by each key's NULLS FIRST / LAST.</summary>
public sealed class RowComparer(SortKey[] keys, SqlTypeKind[] kinds) : IComparer<Cell[]>
{
    public int Compare(Cell[]? x, Cell[]? y)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            ref readonly var a = ref x![key.Column];
            ref readonly var b = ref y![key.Column];
            int order;
            if (a.IsNull || b.IsNull)
                order = a.IsNull == b.IsNull ? 0 : (a.IsNull == key.NullsFirst ? -1 : 1);
            else
                order = key.Descending ? -CellComparer.Compare(a, b, kinds[i]) : CellComparer.Compare(a, b, kinds[i]);
            if (order != 0)
                return order;
        }
        return 0;
    }
}
