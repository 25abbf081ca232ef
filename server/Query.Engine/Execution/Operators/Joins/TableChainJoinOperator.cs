using Query.Engine.Errors;
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
/// states (brought up to date before each batch): an upsert when the row exists, else a delete of the key. A
/// change of the first table touches its key; a change of a later table the result keys whose step looks that key
/// up: the same key for a primary-key step (the first table's key), else
/// those a reverse index of that step holds (<see cref="JoinKeyIndex"/>, built from the states when the operator
/// starts and kept as rows are recomputed). No state of its own: a restarted query recomputes from the states.
/// <para>Output rows: every table's columns, ROWTIME (the change's), the result key, whether the row exists.</para>
/// </summary>
public sealed class TableChainJoinOperator : RowOperator, IContinuousAggregate
{
    private readonly TableJoinInput[] _tables;
    private readonly TableChainStep[] _steps;   // _steps[k] joins _tables[k]; _steps[0] is unused
    private readonly JoinKeyIndex?[] _indexes;
    private readonly int[] _starts;
    private readonly Func<CellRow, bool>? _filter;
    private readonly ContinuousQueryHooks? _hooks;
    private readonly bool _emitDeletes;
    private readonly int _outputWidth;
    private readonly RowBatch _output;
    private readonly List<Cell[]> _outRows = [];
    private readonly CellRow _joined = new([]);
    private readonly Cell[] _lookupValue = new Cell[1];
    private int _outCount;
    private int _pendingNext;
    private bool _started;

    /// <param name="tables">The tables, left to right; each projects its columns, then its key.</param>
    /// <param name="steps">Per table after the first, how it is joined.</param>
    /// <param name="filter">Every step's rest of ON and the WHERE clause, over the joined row (null: none).</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="hooks">A persistent query's hooks (null for a push query).</param>
    public TableChainJoinOperator(TableJoinInput[] tables, TableChainStep[] steps, Func<CellRow, bool>? filter,
        BatchLimits limits, ContinuousQueryHooks? hooks)
    {
        _tables = tables;
        _steps = steps;
        _filter = filter;
        _hooks = hooks;
        _emitDeletes = hooks is not null;
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
        _outputWidth = width + 3;
        _output = new RowBatch(Math.Max(1, limits.Rows));
        hooks?.AddState(this);
    }

    public bool HasChanges => false;

    public bool HasPendingOutput
    {
        get
        {
            if (_pendingNext < _outCount)
                return true;
            foreach (var table in _tables)
            {
                if (table.HasNext)
                    return true;
            }
            return false;
        }
    }

    public long LateRecordsDropped => 0;

    // The join keeps no state of its own: the tables' states are what it reads, the indexes are rebuilt from them.
    public void WriteChanges(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
    }

    public void Restore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> state) =>
        throw new SqlException(SqlState.DataCorrupted, "a table-table join keeps no state log entries");

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (!_started)
            Start(cancellationToken);
        while (true)
        {
            if (_pendingNext < _outCount)
                return EmitPending();
            _outCount = _pendingNext = 0;
            if (HasPendingOutput)
            {
                Process(cancellationToken);
                continue;
            }
            var allEnded = true;
            foreach (var table in _tables)
            {
                table.Read();
                allEnded &= table.Ended;
            }
            if (allEnded)
                return null;
            if (HasPendingOutput)
            {
                CatchUp(cancellationToken);
                continue;
            }
            if (_hooks?.BeforeWait is { } beforeWait)
                await beforeWait(cancellationToken);
            var waits = new (Func<CancellationToken, ValueTask>, bool)[_tables.Length];
            for (var t = 0; t < _tables.Length; t++)
                waits[t] = (_tables[t].Scan.WaitForDataAsync, _tables[t].Ended);
            await JoinInputWait.WaitForAnyAsync(waits, cancellationToken);
        }
    }

    private void CatchUp(CancellationToken cancellationToken)
    {
        foreach (var table in _tables)
            table.State.CatchUp(cancellationToken);
    }

    /// <summary>Brings the states up to date and fills the reverse indexes from the first table's rows.</summary>
    private void Start(CancellationToken cancellationToken)
    {
        _started = true;
        CatchUp(cancellationToken);
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
            Join(key, 0);
            _outCount = 0;   // only the indexes are wanted here
        }
    }

    /// <summary>Turns the changes read into output rows until a batch of output is ready.</summary>
    private void Process(CancellationToken cancellationToken)
    {
        while (_outCount < _output.Capacity)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            var t = 0;
            while (t < _tables.Length && !_tables[t].HasNext)
                t++;
            if (t == _tables.Length)
                return;
            var table = _tables[t];
            var record = table.NextRecord();
            try
            {
                table.Project(record, table.Scratch);
            }
            catch (Exception e) when (_hooks?.RowError is { } rowError && ContinuousQueryHooks.IsRowError(e))
            {
                rowError(record, e);
                continue;
            }
            var key = table.Scratch[table.KeyColumn];
            if (key.IsNull)
                continue;
            if (t == 0 || _indexes[t] is null)
                Join(key, record.TimestampMs);
            else if (_indexes[t]!.KeysOf(key) is { } resultKeys)
            {
                foreach (var resultKey in resultKeys)
                    Join(resultKey, record.TimestampMs);
            }
        }
    }

    /// <summary>The joined row of result key <paramref name="key"/> (the first table's key) as the tables stand
    /// now, or its delete; keeps the reverse indexes up to date with the values it looked up.</summary>
    private void Join(Cell key, long timestampMs)
    {
        var output = NextOutputRow();
        _joined.Cells = output;
        var exists = Place(0, key, output);
        for (var t = 1; t < _tables.Length; t++)
        {
            var type = _steps[t].Type;
            var keepsRight = type is JoinType.Right or JoinType.Full;
            var value = exists || keepsRight ? LookupValue(t, key) : Cell.Null;
            _indexes[t]?.Set(key, value);
            var found = Place(t, value, output);
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
        var at = _outputWidth - 3;
        output[at] = Cell.FromInt64(timestampMs);
        output[at + 1] = key;
        if (exists && _filter is not null)
            exists = _filter(_joined);
        if (!exists && !_emitDeletes)
            return;
        output[at + 2] = Cell.FromInt64(exists ? 1 : 0);
        _outCount++;
    }

    /// <summary>The key that step <paramref name="t"/> looks its table up by: the result key (a primary-key step)
    /// or its expression over the tables before it (NULL when that fails on the row: nothing matches).</summary>
    private Cell LookupValue(int t, Cell key)
    {
        if (_steps[t].LookupKey is not { } lookupKey)
            return key;
        try
        {
            lookupKey(_joined, _lookupValue);
            return _lookupValue[0];
        }
        catch (Exception e) when (ContinuousQueryHooks.IsRowError(e))
        {
            return Cell.Null;
        }
    }

    /// <summary>Copies table <paramref name="t"/>'s row of <paramref name="key"/> into its place in the output (NULLs
    /// when it has none); whether it has one.</summary>
    private bool Place(int t, Cell key, Cell[] output)
    {
        var table = _tables[t];
        if (table.Lookup(key))
        {
            Array.Copy(table.Row, 0, output, _starts[t], table.Width);
            return true;
        }
        Array.Fill(output, Cell.Null, _starts[t], table.Width);
        return false;
    }

    private Cell[] NextOutputRow()
    {
        if (_outCount == _outRows.Count)
            _outRows.Add(new Cell[_outputWidth]);
        return _outRows[_outCount];
    }

    private RowBatch EmitPending()
    {
        var count = Math.Min(_output.Capacity, _outCount - _pendingNext);
        for (var i = 0; i < count; i++)
            _output.Rows[i] = _outRows[_pendingNext + i];
        _pendingNext += count;
        _output.Count = count;
        return _output;
    }

    public override void Dispose()
    {
        foreach (var table in _tables)
            table.Scan.Dispose();
        base.Dispose();
    }
}

/// <summary>How a table after the first of a multi-way table join is joined: its join type, on its key equal to
/// <see cref="LookupKey"/> over the joined row so far (writing one cell), or null: equal to the first table's key.
/// </summary>
public sealed record TableChainStep(JoinType Type, Action<CellRow, Cell[]>? LookupKey);
