using Query.Engine.Errors;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// Two tables joined in a push or persistent query: the operator tails both tables' changelogs and, for each change,
/// recomputes the joined row of every result key the change touches from the tables' materialized states (brought up
/// to date before each batch): an upsert when the row exists (per the join type and the filter), else a delete of
/// the key (the sink writes a tombstone if its table holds the key). A primary-key join touches the changed key; a
/// foreign-key join, for a left change the left key, for a right change every left key whose foreign key is the
/// changed key (an index kept here, built from the left table's state when the operator starts). Recomputing from
/// the current states makes each output the result as of now, so the result table always converges to the join of
/// the two tables, also when a restarted query processes changes again.
/// <para>Output rows: the left columns, the right columns, ROWTIME (the change's), the result key, whether the row
/// exists. A push query sees only rows that exist.</para>
/// </summary>
public sealed partial class TableTableJoinOperator : RowOperator, IContinuousAggregate
{
    private readonly TableJoinInput _left;
    private readonly TableJoinInput _right;
    private readonly JoinType _type;
    private readonly bool _foreignKey;
    private readonly Func<CellRow, bool>? _filter;
    private readonly ContinuousQueryHooks? _hooks;
    private readonly bool _emitDeletes;
    private readonly bool _windowed;   // windowed tables: a result row is a key and a window
    private readonly int _outputWidth;
    private readonly RowBatch _output;
    private readonly List<Cell[]> _outRows = [];
    private readonly CellRow _joined = new([]);
    private readonly JoinKeyIndex? _foreignKeys;   // a foreign-key join: the left keys by foreign key
    private int _outCount;
    private int _pendingNext;
    private bool _started;

    /// <param name="left">The left table's changelog scan and how its rows are read.</param>
    /// <param name="right">The right table's.</param>
    /// <param name="type">Which rows exist when one side has none.</param>
    /// <param name="foreignKey">A foreign-key join (left expression = right key).</param>
    /// <param name="filter">The rest of ON and the WHERE clause, over the joined row (null: none).</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="hooks">A persistent query's hooks (null for a push query).</param>
    public TableTableJoinOperator(TableJoinInput left, TableJoinInput right, JoinType type, bool foreignKey,
        Func<CellRow, bool>? filter, BatchLimits limits, ContinuousQueryHooks? hooks)
    {
        _left = left;
        _right = right;
        _type = type;
        _foreignKey = foreignKey;
        _filter = filter;
        _hooks = hooks;
        _emitDeletes = hooks is not null;
        _windowed = left.WindowStartColumn >= 0;
        _outputWidth = left.Width + right.Width + (_windowed ? 5 : 3);
        _output = new RowBatch(Math.Max(1, limits.Rows));
        if (foreignKey)
            _foreignKeys = new JoinKeyIndex(left.JoinKeyType.Kind, left.KeyType.Kind);
        hooks?.AddState(this);
    }

    public bool HasChanges => false;

    public bool HasPendingOutput => _pendingNext < _outCount || _left.HasNext || _right.HasNext;

    public long LateRecordsDropped => 0;

    // The join keeps no state of its own: the tables' states are what it reads, the index is rebuilt from them.
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
            if (_left.HasNext || _right.HasNext)
            {
                Process(cancellationToken);
                continue;
            }
            _left.Read();
            _right.Read();
            if (_left.Ended && _right.Ended)
                return null;
            if (_left.HasNext || _right.HasNext)
            {
                _left.State.CatchUp(cancellationToken);
                _right.State.CatchUp(cancellationToken);
                continue;
            }
            if (_hooks?.BeforeWait is { } beforeWait)
                await beforeWait(cancellationToken);
            await WaitForEitherAsync(cancellationToken);
        }
    }

    /// <summary>Turns the changes read into output rows until a batch of output is ready.</summary>
    private void Process(CancellationToken cancellationToken)
    {
        while (_outCount < _output.Capacity && (_left.HasNext || _right.HasNext))
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            var fromLeft = _left.HasNext;
            var side = fromLeft ? _left : _right;
            var record = side.NextRecord();
            try
            {
                side.Project(record, side.Scratch);
            }
            catch (Exception e) when (_hooks?.RowError is { } rowError && ContinuousQueryHooks.IsRowError(e))
            {
                rowError(record, e);
                continue;
            }
            var key = side.Scratch[side.KeyColumn];
            if (key.IsNull)
                continue;
            if (_windowed)
                EmitKey(key, side.Scratch[side.WindowStartColumn], side.Scratch[side.WindowEndColumn],
                    record.TimestampMs);
            else if (fromLeft || !_foreignKey)
                EmitKey(key, Cell.Null, Cell.Null, record.TimestampMs);
            else if (_foreignKeys!.KeysOf(key) is { } leftKeys)
                EmitEach(leftKeys, record.TimestampMs);
        }
    }

    private void EmitEach(Cell[] leftKeys, long timestampMs)
    {
        foreach (var leftKey in leftKeys)
            EmitKey(leftKey, Cell.Null, Cell.Null, timestampMs);
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

    private ValueTask WaitForEitherAsync(CancellationToken cancellationToken) =>
        JoinInputWait.WaitForEitherAsync(_left.Scan.WaitForDataAsync, _left.Ended, _right.Scan.WaitForDataAsync,
            _right.Ended, cancellationToken);

    public override void Dispose()
    {
        _left.Scan.Dispose();
        _right.Scan.Dispose();
        base.Dispose();
    }
}
