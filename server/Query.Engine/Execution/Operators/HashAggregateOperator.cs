using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// GROUP BY over a bounded input: for each record, one compiled call computes the keys and the aggregate
/// arguments into a scratch row, a <see cref="GroupKeyTable"/> specialised by key type finds the group, and the
/// group's accumulators fold the arguments in. After the input ends, the groups are emitted in order of first
/// appearance as rows of keys then results, through reused row arrays.
/// </summary>
public sealed partial class HashAggregateOperator : RowOperator
{
    private readonly RecordOperator? _input;
    private readonly RowOperator? _rowInput;
    private readonly Action<CellRow, Cell[]>? _rowInputs;
    private readonly Action<RecordCursor, Cell[]> _inputs;
    private readonly BoundAggregate[] _aggregates;
    private readonly int _keyCount;
    private readonly GroupKeyTable _groups;
    private readonly RowBatch _output;
    private readonly Limits.QueryMemoryBudget _budget;
    private readonly bool[] _keepsValues;
    private readonly FlatAggregates? _flat;
    private readonly bool _countsRowsOnly;
    private Accumulator[] _accumulators = new Accumulator[16];
    private bool _consumed;
    private int _nextGroup;

    /// <summary>GROUP BY over computed rows (a join's): the same grouping, fed from rows instead of records.
    /// </summary>
    public HashAggregateOperator(RowOperator input, Action<CellRow, Cell[]> inputs, SqlTypeKind[] keyKinds,
        BoundAggregate[] aggregates, BatchLimits limits, Limits.QueryMemoryBudget budget)
        : this((RecordOperator?)null, (_, _) => { }, keyKinds, aggregates, limits, budget)
    {
        _rowInput = input;
        _rowInputs = inputs;
    }

    public HashAggregateOperator(RecordOperator? input, Action<RecordCursor, Cell[]> inputs, SqlTypeKind[] keyKinds,
        BoundAggregate[] aggregates, BatchLimits limits, Limits.QueryMemoryBudget budget)
    {
        _budget = budget;
        _keepsValues = new bool[aggregates.Length];
        for (var i = 0; i < aggregates.Length; i++)
            _keepsValues[i] = aggregates[i].Kind is AggregateKind.CollectList or AggregateKind.CollectSet
                or AggregateKind.CountDistinct;
        _input = input;
        _inputs = inputs;
        _aggregates = aggregates;
        _keyCount = keyKinds.Length;
        _groups = GroupKeyTable.For(keyKinds);
        _output = RowBatch.Lazy(limits.Rows, _keyCount + aggregates.Length);
        _flat = FlatAggregates.TryCreate(aggregates);
        _countsRowsOnly = _keyCount == 0 && _flat is { CountsRowsOnly: true };
    }

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (!_consumed)
        {
            await ConsumeAsync(cancellationToken);
            _consumed = true;
        }
        return Emit();
    }

    private async ValueTask ConsumeAsync(CancellationToken cancellationToken)
    {
        var scratch = new Cell[_keyCount + _aggregates.Length];
        if (_rowInput is not null)
            await ConsumeRowsAsync(scratch, cancellationToken);
        while (_input is not null && await _input.NextAsync(cancellationToken) is { } batch)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            Accumulate(batch, scratch, cancellationToken);
        }
        // An aggregate without GROUP BY has one row even over no input (COUNT(*) = 0).
        if (_keyCount == 0 && _groups.Count == 0)
            GroupOf(scratch);
    }

    private async ValueTask ConsumeRowsAsync(Cell[] scratch, CancellationToken cancellationToken)
    {
        var row = new CellRow([]);
        while (await _rowInput!.NextAsync(cancellationToken) is { } batch)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                    throw SqlException.Canceled();
                row.Cells = batch.Rows[i];
                _rowInputs!(row, scratch);
                Fold(scratch);
            }
        }
    }

    private void Accumulate(RecordBatch batch, Cell[] scratch, CancellationToken cancellationToken)
    {
        if (_flat is not null)
        {
            AccumulateFlat(_flat, batch, cancellationToken);
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            _inputs(batch.Select(i), scratch);
            Fold(scratch);
        }
    }

    private void Fold(Cell[] scratch)
    {
        if (_flat is not null)
        {
            _flat.Add(GroupOf(scratch), scratch.AsSpan(_keyCount));
            return;
        }
        var width = _aggregates.Length;
        var first = GroupOf(scratch) * width;
        for (var a = 0; a < width; a++)
        {
            _accumulators[first + a].Add(scratch[_keyCount + a]);
            // Aggregates that keep their inputs grow with every row, not only with every group.
            if (_keepsValues[a])
                _budget.Charge(Limits.QueryMemoryBudget.EstimateCell(scratch[_keyCount + a]));
        }
    }


    private int GroupOf(Cell[] scratch)
    {
        var before = _groups.Count;
        var group = _groups.FindOrAdd(scratch);
        if (_groups.Count == before)
            return group;
        if (_flat is not null)
        {
            _budget.Charge(Limits.QueryMemoryBudget.EstimateRow(scratch.AsSpan(0, _keyCount)) + 48 + _flat.GroupBytes);
            _flat.AddGroup(group);
            return group;
        }
        var width = _aggregates.Length;
        // The key, a table entry and an accumulator object per aggregate.
        _budget.Charge(Limits.QueryMemoryBudget.EstimateRow(scratch.AsSpan(0, _keyCount)) + 48 + (width * 48L));
        if ((group + 1) * width > _accumulators.Length)
            Array.Resize(ref _accumulators, Math.Max(_accumulators.Length * 2, (group + 1) * width));
        for (var a = 0; a < width; a++)
            _accumulators[(group * width) + a] = AggregateFunctions.Create(_aggregates[a]);
        return group;
    }

    private RowBatch? Emit()
    {
        var count = Math.Min(_output.Capacity, _groups.Count - _nextGroup);
        if (count <= 0)
            return null;
        var width = _aggregates.Length;
        _output.EnsureRows(count);
        for (var i = 0; i < count; i++)
        {
            var group = _nextGroup + i;
            var row = _output.Rows[i];
            _groups.CopyKey(group, row);
            for (var a = 0; a < width; a++)
            {
                row[_keyCount + a] = _flat is not null ? _flat.Result(group, a)
                    : _accumulators[(group * width) + a].Result();
            }
        }
        _nextGroup += count;
        _output.Count = count;
        return _output;
    }

    public override void Dispose()
    {
        _input?.Dispose();
        _rowInput?.Dispose();
        base.Dispose();
    }
}
