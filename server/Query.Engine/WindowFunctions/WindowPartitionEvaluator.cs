using Query.Engine.Errors;
using Query.Engine.Execution.Operators;
using Query.Engine.Functions;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.WindowFunctions;

/// <summary>
/// Computes the functions of one window (one PARTITION BY / ORDER BY) over rows sorted by it: finds each partition
/// and each row's peers (rows equal under ORDER BY), then each row's result. Positions below are places in the
/// sorted order; results go to the row's slot of the shared result array.
/// </summary>
internal sealed class WindowPartitionEvaluator
{
    private readonly List<Cell[]> _rows;
    private readonly int[] _order;
    private readonly Cell[] _results;
    private readonly int _width;
    private readonly RowComparer _partition;
    private readonly RowComparer _peers;
    private readonly int[] _peerStart;
    private readonly int[] _peerEnd;
    private readonly int[] _partitionStart;
    private readonly int[] _partitionEnd;

    public WindowPartitionEvaluator(List<Cell[]> rows, int[] order, BoundWindowFunction window,
        SqlTypeKind[] inputKinds, Cell[] results, int width)
    {
        _rows = rows;
        _order = order;
        _results = results;
        _width = width;
        _partition = Comparer([.. window.PartitionBy.Select(c => new SortKey(c, false, false))], inputKinds);
        _peers = Comparer([.. window.OrderBy], inputKinds);
        var count = rows.Count;
        (_partitionStart, _partitionEnd, _peerStart, _peerEnd) = (new int[count], new int[count], new int[count],
            new int[count]);
        Boundaries();
    }

    private static RowComparer Comparer(SortKey[] keys, SqlTypeKind[] inputKinds)
    {
        var kinds = new SqlTypeKind[keys.Length];
        for (var i = 0; i < keys.Length; i++)
            kinds[i] = inputKinds[keys[i].Column];
        return new RowComparer(keys, kinds);
    }

    private Cell[] RowAt(int position) => _rows[_order[position]];

    /// <summary>Each position's partition and peer group, as [start, end) positions.</summary>
    private void Boundaries()
    {
        var count = _order.Length;
        var start = 0;
        while (start < count)
        {
            var end = start + 1;
            while (end < count && _partition.Compare(RowAt(start), RowAt(end)) == 0)
                end++;
            var peer = start;
            while (peer < end)
            {
                var peerEnd = peer + 1;
                while (peerEnd < end && _peers.Compare(RowAt(peer), RowAt(peerEnd)) == 0)
                    peerEnd++;
                for (var p = peer; p < peerEnd; p++)
                    (_partitionStart[p], _partitionEnd[p], _peerStart[p], _peerEnd[p]) = (start, end, peer, peerEnd);
                peer = peerEnd;
            }
            start = end;
        }
    }

    public void Compute(BoundWindowFunction function, int slot, CancellationToken cancellationToken)
    {
        var count = _order.Length;
        var partition = 0;
        while (partition < count)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            var end = _partitionEnd[partition];
            if (function.Kind == WindowFunctionKind.Aggregate)
                Aggregate(function, slot, partition, end);
            else
                Ranking(function, slot, partition, end);
            partition = end;
        }
    }

    private ref Cell Result(int position, int slot) => ref _results[((long)_order[position] * _width) + slot];

    private void Ranking(BoundWindowFunction function, int slot, int start, int end)
    {
        var size = end - start;
        var denseRank = 0L;
        for (var p = start; p < end; p++)
        {
            if (_peerStart[p] == p)
                denseRank++;
            Result(p, slot) = function.Kind switch
            {
                WindowFunctionKind.RowNumber => Cell.FromInt64(p - start + 1),
                WindowFunctionKind.Rank => Cell.FromInt64(_peerStart[p] - start + 1),
                WindowFunctionKind.DenseRank => Cell.FromInt64(denseRank),
                WindowFunctionKind.PercentRank => Cell.FromDouble(size == 1 ? 0
                    : (double)(_peerStart[p] - start) / (size - 1)),
                WindowFunctionKind.CumeDist => Cell.FromDouble((double)(_peerEnd[p] - start) / size),
                WindowFunctionKind.Ntile => Ntile(function, start, end, p),
                WindowFunctionKind.Lag or WindowFunctionKind.Lead => Shifted(function, start, end, p),
                _ => FrameValue(function, p),
            };
        }
    }

    /// <summary>PostgreSQL's buckets: sizes differ by at most one, the larger first.</summary>
    private Cell Ntile(BoundWindowFunction function, int start, int end, int position)
    {
        var buckets = RowAt(start)[function.Arguments[0]];
        if (buckets.IsNull)
            return Cell.Null;
        if (buckets.Bits <= 0)
            throw new SqlException("22014", "argument of ntile must be greater than zero");
        long size = end - start;
        var index = position - start;
        var perBucket = size / buckets.Bits;
        var larger = size % buckets.Bits;       // the first `larger` buckets hold perBucket + 1 rows
        var inLarger = larger * (perBucket + 1);
        var bucket = index < inLarger ? index / (perBucket + 1)
            : larger + ((index - inLarger) / Math.Max(1, perBucket));
        return Cell.FromInt64(bucket + 1);
    }

    private Cell Shifted(BoundWindowFunction function, int start, int end, int position)
    {
        var row = RowAt(position);
        long offset = 1;
        if (function.Arguments.Count > 1)
        {
            var written = row[function.Arguments[1]];
            if (written.IsNull)
                return Cell.Null;
            offset = written.Bits;
        }
        var target = function.Kind == WindowFunctionKind.Lag ? position - offset : position + offset;
        if (target >= start && target < end)
            return RowAt((int)target)[function.Arguments[0]];
        return function.Arguments.Count > 2 ? row[function.Arguments[2]] : Cell.Null;
    }

    private Cell FrameValue(BoundWindowFunction function, int position)
    {
        var (first, last) = Frame(function.Frame, position);
        if (first >= last)
            return Cell.Null;
        var value = function.Arguments[0];
        if (function.Kind == WindowFunctionKind.FirstValue)
            return RowAt(first)[value];
        if (function.Kind == WindowFunctionKind.LastValue)
            return RowAt(last - 1)[value];
        var nth = RowAt(position)[function.Arguments[1]];
        if (nth.IsNull)
            return Cell.Null;
        if (nth.Bits <= 0)
            throw new SqlException("22016", "argument of nth_value must be greater than zero");
        return nth.Bits <= last - first ? RowAt(first + (int)nth.Bits - 1)[value] : Cell.Null;
    }

    /// <summary>The frame of the row at <paramref name="position"/>: [first, last) positions within its
    /// partition.</summary>
    private (int First, int Last) Frame(WindowFrameSpec frame, int position)
    {
        var (start, end) = (_partitionStart[position], _partitionEnd[position]);
        var rows = frame.Unit == Ast.FrameUnit.Rows;
        var first = frame.StartKind switch
        {
            Ast.FrameBoundKind.UnboundedPreceding => start,
            Ast.FrameBoundKind.Preceding => (int)Math.Max(start, position - frame.StartOffset),
            Ast.FrameBoundKind.CurrentRow => rows ? position : _peerStart[position],
            _ => (int)Math.Min(end, position + frame.StartOffset),
        };
        var last = frame.EndKind switch
        {
            Ast.FrameBoundKind.UnboundedFollowing => end,
            Ast.FrameBoundKind.Preceding => (int)Math.Max(start, position - frame.EndOffset + 1),
            Ast.FrameBoundKind.CurrentRow => rows ? position + 1 : _peerEnd[position],
            _ => (int)Math.Min(end, position + frame.EndOffset + 1),
        };
        return (first, last);
    }

    /// <summary>
    /// An aggregate over each row's frame. Frames only move forward, so one accumulator slides along: rows entering
    /// at the end are added, rows leaving at the start retracted when the aggregate can (else the frame is folded
    /// anew), and a row whose frame equals the previous row's (its peers) reuses the result.
    /// </summary>
    private void Aggregate(BoundWindowFunction function, int slot, int start, int end)
    {
        var aggregate = function.Aggregate!;
        var argument = function.Arguments.Count > 0 ? function.Arguments[0] : -1;
        var accumulator = AggregateFunctions.Create(aggregate);
        var (heldFirst, heldLast) = (start, start);
        var previous = (First: -1, Last: -1);
        var result = Cell.Null;
        for (var p = start; p < end; p++)
        {
            var (first, last) = Frame(function.Frame, p);
            last = Math.Max(first, last);
            if ((first, last) != previous)
            {
                if (first < heldFirst || last < heldLast || (first > heldFirst && !accumulator.CanRetract))
                    (accumulator, heldFirst, heldLast) = (AggregateFunctions.Create(aggregate), first, first);
                for (; heldFirst < first && heldFirst < heldLast; heldFirst++)
                    accumulator.Retract(Value(argument, heldFirst));
                (heldFirst, heldLast) = (first, Math.Max(heldLast, first));
                for (; heldLast < last; heldLast++)
                    accumulator.Add(Value(argument, heldLast));
                result = accumulator.Result();
                previous = (first, last);
            }
            Result(p, slot) = result;
        }
    }

    private Cell Value(int argument, int position) => argument < 0 ? Cell.FromInt64(1) : RowAt(position)[argument];
}
