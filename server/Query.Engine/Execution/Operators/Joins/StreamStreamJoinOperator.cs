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
public sealed partial class StreamStreamJoinOperator : RowOperator, IContinuousAggregate, IStreamingJoinInput
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

    /// <param name="left">The left input: a stream's scan and how its records become its columns plus the key, or
    /// (a multi-way join) the join before this one and how its rows' key is computed.</param>
    /// <param name="right">The right stream.</param>
    /// <param name="keyKind">The join key's type.</param>
    /// <param name="type">Which unmatched rows are kept.</param>
    /// <param name="window">The WITHIN window and grace.</param>
    /// <param name="condition">The rest of ON, over the joined row (null: none).</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="budget">The query's memory budget (charged per held row).</param>
    /// <param name="hooks">A persistent query's commit and bad-row handling (null for a push query).</param>
    internal StreamStreamJoinOperator(Func<bool, IEqualityComparer<Cell>, StreamJoinSide> left,
        Func<bool, IEqualityComparer<Cell>, StreamJoinSide> right, SqlTypeKind keyKind,
        JoinType type, StreamJoinWindow window, Func<CellRow, bool>? condition, BatchLimits limits,
        QueryMemoryBudget budget, ContinuousQueryHooks? hooks)
    {
        var keys = new JoinKeyComparer(keyKind);
        _left = left(type is JoinType.Left or JoinType.Full, keys);
        _right = right(type is JoinType.Right or JoinType.Full, keys);
        _window = window;
        _condition = condition;
        _budget = budget;
        _hooks = hooks;
        _rowError = hooks?.RowError;
        _outputWidth = _left.Width + _right.Width + 1;
        _output = new RowBatch(Math.Max(1, limits.Rows));
        hooks?.AddState(this);
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
        while (true)
        {
            if (ReadAvailable(cancellationToken) is not { } batch)
                return null;
            // A round that ended with more input to read hands its (possibly empty) batch on: a persistent query
            // may commit there (its offsets then match its output), so a sustained backlog still commits.
            if (batch.Count > 0 || _roundEnded)
                return batch;
            if (_hooks?.BeforeWait is { } beforeWait)
                await beforeWait(cancellationToken);
            await WaitForDataAsync(cancellationToken);
        }
    }

    /// <summary>Joins what both inputs hold now, without waiting: a batch of joined rows, an empty batch when both
    /// are caught up, null when both have ended. (A join after this one in a multi-way join reads it so.)</summary>
    public RowBatch? ReadAvailable(CancellationToken cancellationToken)
    {
        if (_restored is not null)
            ApplyRestoredRows();
        var merged = false;
        _roundEnded = false;
        while (true)
        {
            if (_pendingNext < _outCount)
                return EmitPending();
            _outCount = _pendingNext = 0;
            if (_left.HasNext || _right.HasNext)
            {
                Merge(cancellationToken);
                merged = true;
                continue;
            }
            if (merged && _hooks is not null)
            {
                // The end of a round that joined nothing more: a commit point for a persistent query.
                _roundEnded = true;
                _output.Count = 0;
                return _output;
            }
            _readOns = 0;
            _left.Read(cancellationToken);
            _right.Read(cancellationToken);
            if (_left.Ended && _right.Ended)
                return null;
            if (_left.HasNext || _right.HasNext)
                continue;
            _output.Count = 0;
            return _output;
        }
    }

    /// <summary>How many times a round of the merge reads on (see <see cref="Merge"/>): a persistent query commits
    /// only between rounds, so this bounds how long joined rows wait for a commit while the join works through a
    /// backlog (a round joins at most about this many batches of each side).</summary>
    internal const int MaxReadOnsPerRound = 4;

    private int _readOns;
    private bool _roundEnded;   // the last batch ReadAvailable returned ended a round (more input may be waiting)

    /// <summary>
    /// Joins the merged batches' records in time order until a batch of output is ready. A side whose batch runs
    /// out while the other's has records left reads on (until it is caught up), so that a backlog in both streams
    /// (after a restart) is joined in time order rather than one batch of one stream racing ahead of the other. A
    /// round reads on at most <see cref="MaxReadOnsPerRound"/> times: the query commits only between rounds, so
    /// streams that are written faster than they are joined still reach a commit (and their rows become readable);
    /// past that the other side's batch is joined to its end, up to one batch ahead of the side that ran out.
    /// </summary>
    private void Merge(CancellationToken cancellationToken)
    {
        while (_outCount < _output.Capacity && (_left.HasNext || _right.HasNext))
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            var readOn = _readOns < MaxReadOnsPerRound;
            if (readOn && !_left.HasNext && !_left.CaughtUp)
            {
                _left.Read(cancellationToken);
                _readOns++;
            }
            else if (readOn && !_right.HasNext && !_right.CaughtUp)
            {
                _right.Read(cancellationToken);
                _readOns++;
            }
            var fromLeft = !_right.HasNext || (_left.HasNext && _left.NextTimestampMs <= _right.NextTimestampMs);
            var (side, other) = fromLeft ? (_left, _right) : (_right, _left);
            if (!side.HasNext)
                continue;
            long timestampMs;
            try
            {
                timestampMs = side.ProjectNext();
            }
            catch (Exception e) when (_rowError is not null && ContinuousQueryHooks.IsRowError(e))
            {
                // A row of the join before this one has no record of its own to report: it is dropped.
                if (side.LastRecord is { } record)
                    _rowError(record, e);
                continue;
            }
            Process(side, other, timestampMs);
        }
    }

    private RowBatch EmitPending()
    {
        _pendingNext += _output.FillFrom(_outRows, _pendingNext, _outCount);
        return _output;
    }

    /// <summary>Returns when either input may have data.</summary>
    public ValueTask WaitForDataAsync(CancellationToken cancellationToken) =>
        JoinInputWait.WaitForEitherAsync(_left.WaitForDataAsync, _left.Ended, _right.WaitForDataAsync,
            _right.Ended, cancellationToken);

    public override void Dispose()
    {
        _left.Dispose();
        _right.Dispose();
        base.Dispose();
    }
}
