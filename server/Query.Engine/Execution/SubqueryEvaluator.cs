using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution.Operators;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// Runs a subquery of an expression: its operators are built and drained each time the enclosing expression needs
/// it, after the enclosing row's values are put where the subquery's outer columns read them (a nested loop). An
/// uncorrelated subquery runs once per query and its values are kept. Runs are counted against
/// <see cref="SubquerySettings.MaxRuns"/> and each run holds at most <see cref="SubquerySettings.QueryMemoryBytes"/>.
/// One evaluator belongs to one compiled query, which is never cached across statements; the workers of a
/// parallel aggregation share it, so a run holds a lock.
/// </summary>
internal sealed class SubqueryEvaluator
{
    private readonly SubqueryKind _kind;
    private readonly Func<OperatorContext, RowOperator> _plan;
    private readonly OuterRow _outer;
    private readonly bool _correlated;
    private readonly SubquerySettings _settings;
    private readonly Action<CellRow, Cell[]>? _comparison;
    private readonly SqlType _columnType;
    private readonly int _operandIndex;
    private readonly object _gate = new();
    private long _runs;
    private List<Cell>? _kept;

    public SubqueryEvaluator(BoundSubquery subquery, bool interpret, TimeProvider clock)
    {
        _kind = subquery.Kind;
        _plan = PhysicalPlanner.Plan(subquery.Query, clock);
        _outer = subquery.Outer;
        _correlated = subquery.Correlations.Count > 0;
        _settings = subquery.Settings;
        _columnType = subquery.Query.Columns.Count > 0 ? subquery.Query.Columns[0].Type : SqlType.Null;
        _operandIndex = subquery.Correlations.Count;
        if (subquery.Comparison is { } comparison)
            _comparison = ExpressionCompiler<CellRow>.CompileProjection([comparison], interpret, clock);
    }

    /// <summary>A scalar subquery's value or an ARRAY subquery's array, as column 0 of a row.</summary>
    public CellRow Value(Cell[] outer)
    {
        lock (_gate)
        {
            var values = Run(outer, _kind == SubqueryKind.Scalar ? 2 : int.MaxValue);
            if (_kind == SubqueryKind.Scalar)
            {
                if (values.Count > 1)
                    throw new SqlException("21000", "more than one row returned by a subquery used as an expression");
                return new CellRow([values.Count == 0 ? Cell.Null : values[0]]);
            }
            var items = new object?[values.Count];
            for (var i = 0; i < items.Length; i++)
                items[i] = values[i].ToObject(_columnType);
            return new CellRow([Cell.FromRef(new SqlArray(items))]);
        }
    }

    /// <summary>EXISTS, ANY or ALL: 1 true, 0 false, 2 NULL.</summary>
    public int Test(Cell[] outer)
    {
        lock (_gate)
        {
            if (_kind == SubqueryKind.Exists)
                return Run(outer, 1).Count > 0 ? 1 : 0;
            var values = Run(outer, int.MaxValue);
            return Quantifier.Evaluate(outer[_operandIndex], values, _kind == SubqueryKind.All, _comparison!);
        }
    }

    /// <summary>The first column of up to <paramref name="most"/> rows of one run.</summary>
    private List<Cell> Run(Cell[] outer, int most)
    {
        if (!_correlated && _kept is not null)
            return _kept;
        if (++_runs > _settings.MaxRuns)
            throw new SqlException(SqlState.ProgramLimitExceeded,
                $"a correlated subquery ran more than {_settings.MaxRuns} times in one query",
                hint: "Raise the SubqueryMaxRuns setting, or narrow the outer query.");
        _outer.Row.Cells = outer;
        var budget = new Limits.QueryMemoryBudget(_settings.QueryMemoryBytes);
        var context = new OperatorContext(new ScanStatistics(), false, BatchLimits.Default, budget)
        {
            JoinBuildMaxBytes = _settings.JoinBuildMaxBytes,
            MaxRecursion = _settings.MaxRecursion,
        };
        var values = new List<Cell>();
        using (var root = _plan(context))
        {
            while (values.Count < most && Drain(root) is { } batch)
            {
                for (var i = 0; i < batch.Count && values.Count < most; i++)
                {
                    var cell = batch.Rows[i][0];
                    budget.Charge(Limits.QueryMemoryBudget.EstimateCell(cell));
                    values.Add(cell);
                }
            }
        }
        if (!_correlated)
            _kept = values;
        return values;
    }

    // A bounded input completes synchronously; the wait is only a fallback.
    internal static RowBatch? Drain(RowOperator root)
    {
        var next = root.NextAsync(CancellationToken.None);
        return next.IsCompletedSuccessfully ? next.Result : next.AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>ANY / ALL over a list of values with SQL's three-valued logic.</summary>
internal static class Quantifier
{
    /// <summary>1 true, 0 false, 2 NULL. <paramref name="comparison"/> compares column 0 with column 1.</summary>
    public static int Evaluate(in Cell operand, IReadOnlyList<Cell> values, bool all,
        Action<CellRow, Cell[]> comparison)
    {
        var pair = new CellRow(new Cell[2]);
        pair.Cells[0] = operand;
        var result = new Cell[1];
        var sawNull = false;
        for (var i = 0; i < values.Count; i++)
        {
            pair.Cells[1] = values[i];
            comparison(pair, result);
            if (result[0].IsNull)
            {
                sawNull = true;
                continue;
            }
            var matched = result[0].Bits != 0;
            if (all && !matched)
                return 0;
            if (!all && matched)
                return 1;
        }
        return sawNull ? 2 : all ? 1 : 0;
    }

    /// <summary><c>x op ANY / ALL (array)</c>; a NULL array is NULL.</summary>
    public static int EvaluateArray(Cell[] operand, SqlArray? array, SqlType element, bool all,
        Action<CellRow, Cell[]> comparison)
    {
        if (array is null)
            return 2;
        var values = new Cell[array.Count];
        for (var i = 0; i < values.Length; i++)
            values[i] = Cell.FromObject(array.Items[i], element);
        return Evaluate(operand[0], values, all, comparison);
    }
}
