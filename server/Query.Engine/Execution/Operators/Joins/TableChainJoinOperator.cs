using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// Three or more tables joined left to right in a push or persistent query (<c>a JOIN b ON ... JOIN c ON ...</c>),
/// each step on the step's table's PRIMARY KEY compared with an expression of the tables before it (INNER or LEFT),
/// or with the first table's key (any join type: a chain with a RIGHT or FULL step has only such steps, so every
/// table's row of the result key belongs to its row, as ksqlDB joins tables on one key). The result is keyed by the
/// first table's key (by the key value shared by all, when a RIGHT or FULL step keeps rows the first table lacks).
/// As <see cref="TableTableJoinOperator"/> does for two tables, the operator tails every table's changelog and, for
/// each change, recomputes the joined row of every result key the change touches from the tables' materialized
/// states (brought up to date before each batch): an upsert when the row exists, else a delete of the key. A change
/// of the first table touches its key; a change of a later table the result keys whose step looks that key up: the
/// same key for a primary-key step (the first table's key), else those a reverse index of that step holds
/// (<see cref="JoinKeyIndex"/>, built from the states when the operator starts and kept as rows are recomputed). No
/// state of its own: a restarted query recomputes from the states. Windowed tables (every step on the first table's
/// key) join window by window: a change touches its key's row of its window.
/// </summary>
public sealed class TableChainJoinOperator : TableChangelogJoinOperator
{
    private readonly TableJoinInput[] _tables;
    private readonly TableChainStep[] _steps;   // _steps[k] joins _tables[k]; _steps[0] is unused
    private readonly JoinKeyIndex?[] _indexes;
    private readonly int[] _starts;
    private readonly Cell[] _lookupValue = new Cell[1];

    /// <param name="tables">The tables, left to right; each projects its columns, then its key.</param>
    /// <param name="steps">Per table after the first, how it is joined.</param>
    /// <param name="filter">Every step's rest of ON and the WHERE clause, over the joined row (null: none).</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="hooks">A persistent query's hooks (null for a push query).</param>
    public TableChainJoinOperator(TableJoinInput[] tables, TableChainStep[] steps, Func<CellRow, bool>? filter,
        BatchLimits limits, ContinuousQueryHooks? hooks)
        : base(tables, filter, limits, hooks)
    {
        _tables = tables;
        _steps = steps;
        _starts = new int[tables.Length];
        _indexes = new JoinKeyIndex?[tables.Length];
        var width = 0;
        for (var t = 0; t < tables.Length; t++)
        {
            _starts[t] = width;
            width += tables[t].Width;
            if (t > 0 && steps[t].LookupKey is not null)
                _indexes[t] = new JoinKeyIndex(tables[t].KeyType.Kind, tables[0].KeyType.Kind);
        }
    }

    /// <summary>Fills the reverse indexes from the first table's rows.</summary>
    protected override void Start()
    {
        var any = false;
        foreach (var index in _indexes)
            any |= index is not null;
        if (!any)
            return;
        var first = _tables[0];
        var keys = new List<Cell>();
        first.ForEachRow(new BatchLimits(1024, 1 << 20), row => keys.Add(row[first.KeyColumn]));
        foreach (var key in keys)
        {
            Join(key, Cell.Null, Cell.Null, 0);
            DiscardOutput();   // only the indexes are wanted here
        }
    }

    protected override void OnChange(int t, TableJoinInput table, long timestampMs)
    {
        var key = table.Scratch[table.KeyColumn];
        if (Windowed)
            Join(key, table.Scratch[table.WindowStartColumn], table.Scratch[table.WindowEndColumn], timestampMs);
        else if (t == 0 || _indexes[t] is null)
            Join(key, Cell.Null, Cell.Null, timestampMs);
        else if (_indexes[t]!.KeysOf(key) is { } resultKeys)
        {
            foreach (var resultKey in resultKeys)
                Join(resultKey, Cell.Null, Cell.Null, timestampMs);
        }
    }

    /// <summary>The joined row of result key <paramref name="key"/> (the first table's key; of windowed tables, and
    /// of the window with these bounds) as the tables stand now, or its delete; keeps the reverse indexes up to date
    /// with the values it looked up.</summary>
    private void Join(Cell key, Cell windowStart, Cell windowEnd, long timestampMs)
    {
        var output = NextOutputRow();
        var exists = Place(0, key, windowStart, windowEnd, output);
        for (var t = 1; t < _tables.Length; t++)
        {
            var type = _steps[t].Type;
            var keepsRight = type is JoinType.Right or JoinType.Full;
            var value = exists || keepsRight ? LookupValue(t, key) : Cell.Null;
            _indexes[t]?.Set(key, value);
            var found = Place(t, value, windowStart, windowEnd, output);
            // A RIGHT or FULL step keeps its table's row when the tables before it have none for the key: their
            // columns are NULL in the result row (only primary-key chains have such steps: the key is the same).
            if (!exists && found && keepsRight)
                Array.Fill(output, Cell.Null, 0, _starts[t]);
            exists = type switch
            {
                JoinType.Inner => exists && found,
                JoinType.Left => exists,
                JoinType.Right => found,
                _ => exists || found,
            };
        }
        Complete(output, key, windowStart, windowEnd, timestampMs, exists);
    }

    /// <summary>The key that step <paramref name="t"/> looks its table up by: the result key (a primary-key step)
    /// or its expression over the tables before it (NULL when that fails on the row: nothing matches).</summary>
    private Cell LookupValue(int t, Cell key)
    {
        if (_steps[t].LookupKey is not { } lookupKey)
            return key;
        try
        {
            lookupKey(Joined, _lookupValue);
            return _lookupValue[0];
        }
        catch (Exception e) when (ContinuousQueryHooks.IsRowError(e))
        {
            return Cell.Null;
        }
    }

    /// <summary>Copies table <paramref name="t"/>'s row of <paramref name="key"/> (and window) into its place in the
    /// output (NULLs when it has none); whether it has one.</summary>
    private bool Place(int t, Cell key, Cell windowStart, Cell windowEnd, Cell[] output)
    {
        var table = _tables[t];
        var found = table.Lookup(key, windowStart, windowEnd);
        CopyOrNull(found ? table.Row : null, output, _starts[t], table.Width);
        return found;
    }
}

/// <summary>How a table after the first of a multi-way table join is joined: its join type, on its key equal to
/// <see cref="LookupKey"/> over the joined row so far (writing one cell), or null: equal to the first table's key.
/// </summary>
public sealed record TableChainStep(JoinType Type, Action<CellRow, Cell[]>? LookupKey);
