using Query.Engine.Errors;
using Query.Engine.Planning;

namespace Query.Engine.Execution;

/// <summary>
/// A pull query without aggregation or ORDER BY, streamed: records are read, filtered and projected one at a
/// time into the reader's row, so memory stays flat however many rows match.
/// </summary>
public sealed class PullScanReader : RowReader
{
    private readonly CompiledSelect _compiled;
    private readonly ScanSource _source;
    private long _toSkip;

    public PullScanReader(CompiledSelect compiled, ScanPlan scan) : base(compiled.Plan.Columns)
    {
        _compiled = compiled;
        _source = new ScanSource(scan, compiled.Filter, Statistics);
        _toSkip = compiled.Plan.Offset;
        Current = new Types.Cell[Math.Max(1, compiled.Plan.Projection.Count)];
    }

    protected override ValueTask<bool> ReadCoreAsync(CancellationToken cancellationToken)
    {
        var limit = _compiled.Plan.Limit;
        _source.CancellationToken = cancellationToken;
        while (limit is null || RowCount < limit)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            if (!_source.MoveNext())
            {
                _source.Dispose();
                return ValueTask.FromResult(false);
            }
            if (_toSkip > 0)
            {
                _toSkip--;
                continue;
            }
            _compiled.Projection!(_source.Cursor, Current);
            RowCount++;
            return ValueTask.FromResult(true);
        }
        _source.Dispose();
        return ValueTask.FromResult(false);
    }

    public override ValueTask DisposeAsync()
    {
        _source.Dispose();
        return base.DisposeAsync();
    }
}
