using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// Which result keys of a table-table join currently look a table up by which value (a foreign key): the reverse
/// index a change of the looked-up table needs to find the result rows it touches. Kept as each result key's row is
/// recomputed, so it always holds the values the current rows were joined with.
/// </summary>
internal sealed class JoinKeyIndex(SqlTypeKind valueKind, SqlTypeKind resultKeyKind)
{
    private readonly Dictionary<Cell, HashSet<Cell>> _keysByValue = new(new JoinKeyComparer(valueKind));
    private readonly Dictionary<Cell, Cell> _valueOfKey = new(new JoinKeyComparer(resultKeyKind));

    /// <summary>Records that result key <paramref name="key"/> now looks up <paramref name="value"/> (NULL: none).
    /// </summary>
    public void Set(Cell key, Cell value)
    {
        if (_valueOfKey.TryGetValue(key, out var old))
        {
            if (!value.IsNull && old.ValueEquals(value, valueKind))
                return;
            if (_keysByValue.TryGetValue(old, out var keys))
            {
                keys.Remove(key);
                if (keys.Count == 0)
                    _keysByValue.Remove(old);
            }
            _valueOfKey.Remove(key);
        }
        if (value.IsNull)
            return;
        _valueOfKey[key] = value;
        if (!_keysByValue.TryGetValue(value, out var set))
        {
            set = new HashSet<Cell>(new JoinKeyComparer(resultKeyKind));
            _keysByValue.Add(value, set);
        }
        set.Add(key);
    }

    /// <summary>The result keys that look up <paramref name="value"/>, copied (recomputing them changes the index),
    /// or null.</summary>
    public Cell[]? KeysOf(Cell value) => _keysByValue.TryGetValue(value, out var keys) ? [.. keys] : null;
}
