using Query.Engine.Errors;
using Query.Engine.Limits;
using Query.Engine.Planning.Joins;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// Two streams joined WITHIN a window (a push or persistent query), as Kafka Streams joins them for ksqlDB.
/// <para><b>Reading.</b> The operator tails both streams itself: it takes what each holds now and merges the two
/// batches by record time (left first on ties), so inputs already in the logs are joined in time order; when both
/// are at their live end it lets a persistent query commit, then waits for either.</para>
/// <para><b>Matching.</b> Stream time is the largest ROWTIME seen on either side. Each row is kept in its side's
/// state under its join key; a left row at time t joins the right rows held at [t - before, t + after] (a right
/// row, the left rows at [t - after, t + before]) for which the rest of ON holds, and the joined row's ROWTIME is
/// the later of the two. A NULL key matches nothing and the row is dropped (Kafka Streams drops it). A row whose
/// window has closed (its time plus the window on its side plus the grace is below stream time) is late: dropped
/// and counted. A row leaves the state once stream time passes its time plus before + after + grace: no row that
/// is not late could match it any more, so the state is bounded by the window, not by the stream.</para>
/// <para><b>Outer joins.</b> The rows of an outer side (LEFT: left, RIGHT: right, FULL: both) that found no match
/// are emitted padded with NULLs (their own ROWTIME): with a GRACE PERIOD, when their window closes, and only if no
/// match arrived meanwhile; without one, at once (ksqlDB's behaviour before 0.23: see
/// <see cref="StreamJoinWindow"/>).</para>
/// <para><b>Exactly-once.</b> The held rows, stream time and the late count are the query's state: the changes
/// since the last commit go to its state log (<see cref="WriteChanges"/>) in the same transaction as the output
/// and both streams' offsets. While a merged batch is not fully joined and emitted, <see cref="HasPendingOutput"/>
/// keeps the query from committing, so the offsets never run ahead of the output.</para>
/// </summary>
public sealed partial class StreamStreamJoinOperator : RowOperator, IContinuousAggregate
{
    private readonly StreamJoinSide _left;
    private readonly StreamJoinSide _right;
    private readonly StreamJoinWindow _window;
    private readonly Func<CellRow, bool>? _condition;
    private readonly QueryMemoryBudget _budget;
    private readonly ContinuousQueryHooks? _hooks;
    private readonly Action<RecordCursor, Exception>? _rowError;
    private readonly int _outputWidth;
    private readonly RowBatch _output;
    private readonly List<Cell[]> _outRows = [];
    private readonly CellRow _joined = new([]);
    private readonly PriorityQueue<BufferedJoinRow, long> _closes = new();
    private int _outCount;
    private int _pendingNext;
    private long _streamTimeMs = long.MinValue;
    private long _lateRecords;
    private long _nextId;

    /// <param name="left">The left stream's scan, how its records become its columns plus the key, and the types of
    /// those (columns, then key).</param>
    /// <param name="right">The same for the right stream.</param>
    /// <param name="type">Which unmatched rows are kept.</param>
    /// <param name="window">The WITHIN window and grace.</param>
    /// <param name="condition">The rest of ON, over the joined row (null: none).</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="budget">The query's memory budget (charged per held row).</param>
    /// <param name="hooks">A persistent query's commit and bad-row handling (null for a push query).</param>
    public StreamStreamJoinOperator(
        (TailScanOperator Scan, Action<RecordCursor, Cell[]> Project, SqlType[] Types) left,
        (TailScanOperator Scan, Action<RecordCursor, Cell[]> Project, SqlType[] Types) right,
        JoinType type, StreamJoinWindow window, Func<CellRow, bool>? condition, BatchLimits limits,
        QueryMemoryBudget budget, ContinuousQueryHooks? hooks)
    {
        var keys = new JoinKeyComparer(left.Types[^1].Kind);
        _left = new StreamJoinSide(left.Scan, left.Project, left.Types, isLeft: true,
            type is JoinType.Left or JoinType.Full, keys);
        _right = new StreamJoinSide(right.Scan, right.Project, right.Types, isLeft: false,
            type is JoinType.Right or JoinType.Full, keys);
        _window = window;
        _condition = condition;
        _budget = budget;
        _hooks = hooks;
        _rowError = hooks?.RowError;
        _outputWidth = _left.Width + _right.Width + 1;
        _output = new RowBatch(Math.Max(1, limits.Rows));
        if (hooks is not null)
            hooks.Aggregate = this;
    }

    /// <summary>Rows dropped because their window had closed when they arrived.</summary>
    public long LateRecordsDropped => _lateRecords;

    /// <summary>Rows held in the state (both sides).</summary>
    public int RowsHeld => _left.Expiries.Count + _right.Expiries.Count;

    /// <summary>Stream time: the largest ROWTIME seen (long.MinValue before the first row).</summary>
    public long StreamTimeMs => _streamTimeMs;

    /// <summary>Output rows are waiting, or a merged batch is not fully joined yet: the query must not commit.
    /// </summary>
    public bool HasPendingOutput => _pendingNext < _outCount || _left.HasNext || _right.HasNext;

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (_restored is not null)
            ApplyRestoredRows();
        while (true)
        {
            if (_pendingNext < _outCount)
                return EmitPending();
            _outCount = _pendingNext = 0;
            if (_left.HasNext || _right.HasNext)
            {
                Merge(cancellationToken);
                continue;
            }
            if (ReadBoth() is not { } count)
                return null;
            if (count > 0)
                continue;
            if (_hooks?.BeforeWait is { } beforeWait)
                await beforeWait(cancellationToken);
            await WaitForEitherAsync(cancellationToken);
        }
    }

    /// <summary>Takes what each stream holds now; null when both have ended, else the records to merge.</summary>
    private int? ReadBoth()
    {
        Read(_left);
        Read(_right);
        if (_left.Ended && _right.Ended)
            return null;
        return (_left.Batch?.Count ?? 0) + (_right.Batch?.Count ?? 0);
    }

    private static void Read(StreamJoinSide side)
    {
        side.Next = 0;
        side.Batch = side.Ended ? null : side.Scan.ReadAvailable();
        side.Ended = side.Batch is null;
        side.CaughtUp = side.Batch?.Count is null or 0;
    }

    /// <summary>
    /// Joins the merged batches' records in time order until a batch of output is ready. A side whose batch runs
    /// out while the other's has records left reads on (until it is caught up), so that a backlog in both streams
    /// (after a restart) is joined in time order rather than one batch of one stream racing ahead of the other.
    /// </summary>
    private void Merge(CancellationToken cancellationToken)
    {
        while (_outCount < _output.Capacity && (_left.HasNext || _right.HasNext))
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            if (!_left.HasNext && !_left.CaughtUp)
                Read(_left);
            else if (!_right.HasNext && !_right.CaughtUp)
                Read(_right);
            var fromLeft = !_right.HasNext || (_left.HasNext && _left.NextTimestampMs <= _right.NextTimestampMs);
            var (side, other) = fromLeft ? (_left, _right) : (_right, _left);
            var record = side.Batch!.Select(side.Next++);
            try
            {
                side.Project(record, side.Scratch);
            }
            catch (Exception e) when (_rowError is not null && ContinuousQueryHooks.IsRowError(e))
            {
                _rowError(record, e);
                continue;
            }
            Process(side, other, record.TimestampMs);
        }
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
        JoinInputWait.WaitForEitherAsync(_left.Scan, _left.Ended, _right.Scan, _right.Ended, cancellationToken);

    public override void Dispose()
    {
        _left.Scan.Dispose();
        _right.Scan.Dispose();
        base.Dispose();
    }
}
