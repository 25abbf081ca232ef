using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Planning;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// Pull queries that must see every row before the first is returned: aggregations (hash aggregation keyed by
/// the GROUP BY values) and ORDER BY (sort of the projected rows), then OFFSET / LIMIT.
/// </summary>
public static class MaterializedQuery
{
    public static BufferedRowReader Run(CompiledSelect compiled, ScanPlan? scan, ScanStatistics statistics,
        CancellationToken cancellationToken, Limits.QueryMemoryBudget? budget = null)
    {
        var plan = compiled.Plan;
        budget ??= Limits.QueryMemoryBudget.Unlimited;
        List<Cell[]> rows;
        if (plan.Aggregation is not null)
            rows = Aggregate(compiled, scan!, statistics, cancellationToken, budget);
        else if (scan is not null)
            rows = ProjectAll(compiled, scan, statistics, cancellationToken, budget);
        else
            rows = ProjectConstant(compiled);
        if (plan.OrderBy.Count > 0)
            Sort(rows, plan, cancellationToken);
        var start = (int)Math.Min(rows.Count, plan.Offset);
        var count = (int)Math.Min(rows.Count - start, plan.Limit ?? long.MaxValue);
        var result = rows.GetRange(start, count);
        var reader = new BufferedRowReader(plan.Columns, result);
        CopyStatistics(statistics, reader.Statistics);
        return reader;
    }

    private static void CopyStatistics(ScanStatistics from, ScanStatistics to)
    {
        to.SegmentsOpened = from.SegmentsOpened;
        to.BatchesRead = from.BatchesRead;
        to.BatchesSkipped = from.BatchesSkipped;
        to.BytesRead = from.BytesRead;
        to.OffsetsSkippedByRetention = from.OffsetsSkippedByRetention;
        to.RecordsScanned = from.RecordsScanned;
        to.PartitionsScanned = from.PartitionsScanned;
    }

    private static List<Cell[]> ProjectConstant(CompiledSelect compiled)
    {
        var row = new CellRow([]);
        var rows = new List<Cell[]>();
        if (compiled.ConstantFilter is null || compiled.ConstantFilter(row))
        {
            var cells = new Cell[compiled.Plan.Projection.Count];
            compiled.RowProjection!(row, cells);
            rows.Add(cells);
        }
        return rows;
    }

    private static List<Cell[]> ProjectAll(CompiledSelect compiled, ScanPlan scan, ScanStatistics statistics,
        CancellationToken cancellationToken, Limits.QueryMemoryBudget budget)
    {
        var rows = new List<Cell[]>();
        using var source = new ScanSource(scan, compiled.Filter, statistics)
        {
            CancellationToken = cancellationToken,
        };
        while (source.MoveNext())
        {
            if ((rows.Count & 4095) == 0 && cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            var cells = new Cell[compiled.Plan.Projection.Count];
            compiled.Projection!(source.Cursor, cells);
            budget.Charge(Limits.QueryMemoryBudget.EstimateRow(cells) + RowSlotBytes);
            rows.Add(cells);
        }
        return rows;
    }

    private static List<Cell[]> Aggregate(CompiledSelect compiled, ScanPlan scan, ScanStatistics statistics,
        CancellationToken cancellationToken, Limits.QueryMemoryBudget budget)
    {
        var aggregation = compiled.Plan.Aggregation!;
        var keyCount = aggregation.GroupKeys.Count;
        var aggregates = aggregation.Aggregates;
        var keyKinds = new SqlTypeKind[keyCount];
        for (var i = 0; i < keyCount; i++)
            keyKinds[i] = aggregation.GroupKeys[i].Type.Kind;
        var groups = new Dictionary<Cell[], Accumulator[]>(new GroupKeyComparer(keyKinds));
        var order = new List<Cell[]>();
        var scratch = new Cell[keyCount + aggregates.Count];
        var collects = KeepsValues(aggregates);
        long scanned = 0;
        using (var source = new ScanSource(scan, compiled.Filter, statistics) { CancellationToken = cancellationToken })
        {
            while (source.MoveNext())
            {
                if ((++scanned & 4095) == 0 && cancellationToken.IsCancellationRequested)
                    throw SqlException.Canceled();
                compiled.AggregateInputs!(source.Cursor, scratch);
                if (!groups.TryGetValue(scratch, out var accumulators))
                {
                    var key = scratch[..keyCount];
                    budget.Charge(Limits.QueryMemoryBudget.EstimateRow(key) + GroupBytes(aggregates.Count));
                    accumulators = NewAccumulators(aggregates);
                    groups.Add(key, accumulators);
                    order.Add(key);
                }
                for (var i = 0; i < accumulators.Length; i++)
                {
                    accumulators[i].Add(scratch[keyCount + i]);
                    if (collects[i])
                        budget.Charge(Limits.QueryMemoryBudget.EstimateCell(scratch[keyCount + i]));
                }
            }
        }
        if (keyCount == 0 && groups.Count == 0)
        {
            groups.Add([], NewAccumulators(aggregates));
            order.Add([]);
        }
        return Finish(compiled, groups, order, keyCount);
    }

    // A list slot, a dictionary entry, an order slot: what holding one more row or group costs besides itself.
    private const int RowSlotBytes = 8;

    private static long GroupBytes(int aggregateCount) => 48 + (aggregateCount * 48L);

    /// <summary>
    /// Aggregates that keep their inputs (COLLECT_LIST / COLLECT_SET / COUNT(DISTINCT)) grow per row.
    /// </summary>
    private static bool[] KeepsValues(List<Binding.BoundAggregate> aggregates)
    {
        var keeps = new bool[aggregates.Count];
        for (var i = 0; i < keeps.Length; i++)
            keeps[i] = aggregates[i].Kind is AggregateKind.CollectList or AggregateKind.CollectSet
                or AggregateKind.CountDistinct;
        return keeps;
    }

    private static Accumulator[] NewAccumulators(List<Binding.BoundAggregate> aggregates)
    {
        var accumulators = new Accumulator[aggregates.Count];
        for (var i = 0; i < accumulators.Length; i++)
            accumulators[i] = AggregateFunctions.Create(aggregates[i].Kind, aggregates[i].InputType);
        return accumulators;
    }

    private static List<Cell[]> Finish(CompiledSelect compiled, Dictionary<Cell[], Accumulator[]> groups,
        List<Cell[]> order, int keyCount)
    {
        var rows = new List<Cell[]>(groups.Count);
        var row = new CellRow([]);
        foreach (var key in order)
        {
            var accumulators = groups[key];
            var cells = new Cell[keyCount + accumulators.Length];
            key.AsSpan().CopyTo(cells);
            for (var i = 0; i < accumulators.Length; i++)
                cells[keyCount + i] = accumulators[i].Result();
            row.Cells = cells;
            if (compiled.Having is not null && !compiled.Having(row))
                continue;
            var output = new Cell[compiled.Plan.Projection.Count];
            compiled.RowProjection!(row, output);
            rows.Add(output);
        }
        return rows;
    }

    private static void Sort(List<Cell[]> rows, SelectPlan plan, CancellationToken cancellationToken)
    {
        // A sort of millions of rows runs for seconds inside List.Sort; the comparison is where it can stop.
        var comparisons = 0;
        var keys = plan.OrderBy;
        var kinds = new SqlTypeKind[keys.Count];
        for (var i = 0; i < kinds.Length; i++)
            kinds[i] = plan.Projection[keys[i].Column].Type.Kind;
        try
        {
            rows.Sort(Compare);
        }
        catch (InvalidOperationException e) when (e.InnerException is SqlException canceled)
        {
            throw canceled;   // List.Sort wraps what a comparison throws
        }

        int Compare(Cell[] x, Cell[] y)
        {
            if ((++comparisons & 4095) == 0 && cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            for (var i = 0; i < keys.Count; i++)
            {
                var key = keys[i];
                ref readonly var a = ref x[key.Column];
                ref readonly var b = ref y[key.Column];
                int order;
                if (a.IsNull || b.IsNull)
                    order = a.IsNull == b.IsNull ? 0 : (a.IsNull == key.NullsFirst ? -1 : 1);
                else
                    order = key.Descending ? -CellComparer.Compare(a, b, kinds[i]) : CellComparer.Compare(a, b,
                        kinds[i]);
                if (order != 0)
                    return order;
            }
            return 0;
        }
    }

    /// <summary>Compares the first N cells (the GROUP BY keys) of a row, so lookups need no key copy.</summary>
    private sealed class GroupKeyComparer(SqlTypeKind[] kinds) : IEqualityComparer<Cell[]>
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
