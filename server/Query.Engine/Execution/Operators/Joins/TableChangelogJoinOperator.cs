using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// What every join of tables in a push or persistent query shares (<see cref="TableTableJoinOperator"/> for two
/// tables, <see cref="TableChainJoinOperator"/> for more): it tails every table's changelog and, for each change,
/// recomputes the joined row of every result key the change touches from the tables' materialized states (brought up
/// to date whenever changes were read), an upsert when the row exists, else a delete of the key. It keeps no state of
/// its own (the states are what it reads, any index is rebuilt from them when it starts), so a restarted query
/// resumes from its committed offsets and recomputes what it processes again.
/// <para>Output rows: the tables' columns, then ROWTIME (the change's), the result key, whether the row exists and,
/// for windowed tables, the result row's WINDOWSTART and WINDOWEND. A push query sees only rows that exist.</para>
/// </summary>
public abstract class TableChangelogJoinOperator : RowOperator, IContinuousAggregate
{
    private readonly TableJoinInput[] _tables;
    private readonly Func<CellRow, bool>? _filter;
    private readonly bool _emitDeletes;
    private readonly RowBatch _output;
    private readonly List<Cell[]> _outRows = [];
    private readonly (Func<CancellationToken, ValueTask> Wait, bool Ended)[] _waits;
    private int _outCount;
    private int _pendingNext;
    private bool _started;

    /// <param name="tables">The tables, left to right; each projects its columns, then its join expression.</param>
    /// <param name="filter">The rest of ON and the WHERE clause, over the joined row (null: none).</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="hooks">A persistent query's hooks (null for a push query).</param>
    protected TableChangelogJoinOperator(TableJoinInput[] tables, Func<CellRow, bool>? filter, BatchLimits limits,
        ContinuousQueryHooks? hooks)
    {
        _tables = tables;
        _filter = filter;
        Hooks = hooks;
        _emitDeletes = hooks is not null;
        Windowed = tables[0].WindowStartColumn >= 0;
        var width = 0;
        foreach (var table in tables)
            width += table.Width;
        TailStart = width;
        OutputWidth = width + (Windowed ? 5 : 3);
        _output = new RowBatch(Math.Max(1, limits.Rows));
        _waits = new (Func<CancellationToken, ValueTask>, bool)[tables.Length];
        hooks?.AddState(this);
    }

    protected ContinuousQueryHooks? Hooks { get; }

    /// <summary>Windowed tables: a result row is one key and one window.</summary>
    protected bool Windowed { get; }

    /// <summary>Where the output row's ROWTIME is (after every table's columns).</summary>
    protected int TailStart { get; }

    protected int OutputWidth { get; }

    /// <summary>The joined row being built, for the filter and expressions over it.</summary>
    protected CellRow Joined { get; } = new([]);

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

    public void WriteChanges(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
    }

    public void Restore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> state) =>
        throw new SqlException(SqlState.DataCorrupted, "a join of tables keeps no state log entries");

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            CatchUp(cancellationToken);
            Start();
        }
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
            if (Hooks?.BeforeWait is { } beforeWait)
                await beforeWait(cancellationToken);
            for (var t = 0; t < _tables.Length; t++)
                _waits[t] = (_tables[t].Scan.WaitForDataAsync, _tables[t].Ended);
            await JoinInputWait.WaitForAnyAsync(_waits, cancellationToken);
        }
    }

    /// <summary>Runs once the states are up to date, before the first change is read (an index is built here).
    /// </summary>
    protected abstract void Start();

    /// <summary>Recomputes the result rows a change of table <paramref name="t"/> touches (its columns and join
    /// expression are in its <see cref="TableJoinInput.Scratch"/>; its key is not NULL).</summary>
    protected abstract void OnChange(int t, TableJoinInput table, long timestampMs);

    private void CatchUp(CancellationToken cancellationToken)
    {
        foreach (var table in _tables)
            table.State.CatchUp(cancellationToken);
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
            catch (Exception e) when (Hooks?.RowError is { } rowError && ContinuousQueryHooks.IsRowError(e))
            {
                rowError(record, e);
                continue;
            }
            if (!table.Scratch[table.KeyColumn].IsNull)
                OnChange(t, table, record.TimestampMs);
        }
    }

    /// <summary>The next output row to fill; <see cref="Complete"/> adds it to the output.</summary>
    protected Cell[] NextOutputRow()
    {
        if (_outCount == _outRows.Count)
            _outRows.Add(new Cell[OutputWidth]);
        var row = _outRows[_outCount];
        Joined.Cells = row;
        return row;
    }

    /// <summary>Ends the row <see cref="NextOutputRow"/> gave (its tables' columns placed): its time, result key and
    /// window, and whether it exists (after the filter); a row that does not exist is output only as a persistent
    /// query's delete.</summary>
    protected void Complete(Cell[] output, Cell key, Cell windowStart, Cell windowEnd, long timestampMs, bool exists)
    {
        output[TailStart] = Cell.FromInt64(timestampMs);
        output[TailStart + 1] = key;
        if (exists && _filter is not null)
            exists = _filter(Joined);
        if (!exists && !_emitDeletes)
            return;
        output[TailStart + 2] = Cell.FromInt64(exists ? 1 : 0);
        if (Windowed)
            (output[TailStart + 3], output[TailStart + 4]) = (windowStart, windowEnd);
        _outCount++;
    }

    /// <summary>Drops the rows built so far (an index is being filled, not output).</summary>
    protected void DiscardOutput() => _outCount = 0;

    /// <summary>Copies <paramref name="source"/> (NULLs when null) to <paramref name="width"/> cells of the output
    /// row from <paramref name="at"/>.</summary>
    protected static void CopyOrNull(Cell[]? source, Cell[] target, int at, int width)
    {
        if (source is null)
            Array.Fill(target, Cell.Null, at, width);
        else
            Array.Copy(source, 0, target, at, width);
    }

    private RowBatch EmitPending()
    {
        _pendingNext += _output.FillFrom(_outRows, _pendingNext, _outCount);
        return _output;
    }

    public override void Dispose()
    {
        foreach (var table in _tables)
            table.Scan.Dispose();
        base.Dispose();
    }
}
