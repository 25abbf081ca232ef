using Query.Engine.Planning.Logical;
using Query.Engine.State;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// The rows of a windowed table for a list of encoded keys (without a window, distinct): each key's windows whose
/// start lies in the lookup's range, read from the state's index of windows by key, so the cost is the windows of
/// those keys, not the table's size. The first call applies what the changelog committed before (read-your-writes).
/// The WHERE above still applies in full; the range only skips windows it would reject.
/// </summary>
public sealed class WindowedKeyLookupOperator : TableStateOperator
{
    private const int MaxBatchRows = 256;   // a key may have many windows; a point lookup needs few

    private readonly byte[][] _keys;
    private readonly (long Min, long Max) _startRange;
    private WindowedTableIndex.HeldWindow _after = new(long.MinValue, long.MinValue);
    private int _next;

    public WindowedKeyLookupOperator(StreamRuntime source, byte[][] keys, (long Min, long Max) startRange,
        ScanStatistics statistics, BatchLimits limits)
        : base(source.Table is { Windows: not null } table ? table
                : throw new ArgumentException($"\"{source.Definition.Name}\" is not a windowed table"),
            new RecordBatch(Math.Max(1, Math.Min(limits.Rows, MaxBatchRows)), limits.Bytes, source.CreateCursor(),
                initialBytes: 1024),
            statistics)
    {
        _keys = keys;
        _startRange = startRange;
    }

    protected override bool Fill(RecordBatch batch)
    {
        while (_next < _keys.Length && !batch.IsFull)
        {
            if (!Table.FillWindows(_keys[_next], ref _after, _startRange.Min, _startRange.Max, batch))
            {
                _next++;
                _after = new(long.MinValue, long.MinValue);
            }
        }
        return _next < _keys.Length;
    }

    /// <summary>
    /// The WINDOWSTART range the bounds allow (inclusive; empty when Min is above Max). A time window's end is its
    /// start plus the size; a session's end is at least its start, so an upper bound on its end bounds its start.
    /// </summary>
    public static (long Min, long Max) StartRange(IReadOnlyList<WindowBound> bounds, Catalog.TableWindow window,
        TimeProvider clock, IReadOnlyList<object?> parameters)
    {
        var (min, max) = (long.MinValue, long.MaxValue);
        foreach (var bound in bounds)
        {
            if (TableKeys.Evaluate(bound.Value, clock, parameters) is not long value)
                return (0, -1);   // compared with NULL: no row passes
            var shift = bound.End ? window.SizeMs : 0;
            var session = bound.End && window.Kind == Catalog.WindowKind.Session;
            switch (bound.Op)
            {
                case Binding.BinaryOp.Equal when session:
                case Binding.BinaryOp.LessOrEqual:
                    max = Math.Min(max, Saturating(value, -shift));
                    break;
                case Binding.BinaryOp.Less:
                    max = Math.Min(max, Saturating(value, -shift - 1));
                    break;
                case Binding.BinaryOp.Equal:
                    min = Math.Max(min, Saturating(value, -shift));
                    max = Math.Min(max, Saturating(value, -shift));
                    break;
                case Binding.BinaryOp.GreaterOrEqual when !session:
                    min = Math.Max(min, Saturating(value, -shift));
                    break;
                case Binding.BinaryOp.Greater when !session:
                    min = Math.Max(min, Saturating(value, -shift + 1));
                    break;
            }
        }
        return (min, max);
    }

    private static long Saturating(long value, long add)
    {
        var sum = value + add;
        return add > 0 && sum < value ? long.MaxValue : add < 0 && sum > value ? long.MinValue : sum;
    }
}
