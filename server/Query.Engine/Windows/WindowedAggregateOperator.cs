using Query.Engine.Binding;
using Query.Engine.Catalog;
using Query.Engine.Execution;
using Query.Engine.Execution.Operators;
using Query.Engine.Functions;
using Query.Engine.Limits;
using Query.Engine.Types;

namespace Query.Engine.Windows;

/// <summary>
/// GROUP BY with WINDOW over an unbounded input (a push query's or a persistent query's windowed aggregate). Event
/// time is ROWTIME; stream time is the largest ROWTIME seen so far (see <see cref="StreamClocks"/>: per source
/// partition when the GROUP BY holds the source's key, as Kafka Streams keeps one per task).
/// <para><b>Windows.</b> A record joins every tumbling or hopping window that contains its time (Kafka Streams'
/// alignment: starts are multiples of ADVANCE BY from the epoch), or the session of its key that it falls within a
/// gap of; a record that bridges several sessions merges them (<see cref="Accumulator.Merge"/>) into one, and the
/// merged-away sessions are retracted. Each window is a group of its own, keyed by (GROUP BY key, window).</para>
/// <para><b>Late records.</b> A window accepts records until stream time reaches its end plus the grace period
/// (a session: its end plus the gap plus the grace); a record that reaches no open window is dropped and counted
/// (<see cref="LateRecordsDropped"/>).</para>
/// <para><b>Output.</b> Rows are the keys, WINDOWSTART, WINDOWEND, a retraction flag (true on the rows that
/// delete a merged-away session, emitted only when the query selects the flag), then the aggregates. EMIT CHANGES
/// emits each window an input batch changed, with its new result; EMIT FINAL emits each window once, in the batch in
/// which stream time passes its close. The rows of one input batch leave before the next input is read, and a
/// persistent query does not commit in between, so its committed offsets always match what it wrote.</para>
/// <para><b>State.</b> A window leaves the state once stream time reaches its start plus RETENTION (a session: its
/// end plus RETENTION), never before it has closed: the state is bounded by retention, not by the stream. For a
/// persistent query the changes since the last commit go to its state log (<see cref="WriteChanges"/>): one record
/// per changed window, a record with an empty value per removed one, and one for stream time and the late count.
/// </para>
/// </summary>
public sealed partial class WindowedAggregateOperator : RowOperator, IContinuousAggregate
{
    private readonly RecordOperator _input;
    private readonly Action<RecordCursor, Cell[]> _inputs;
    private readonly BoundAggregate[] _aggregates;
    private readonly bool[] _zeroWhenEmpty;
    private readonly SqlType[] _keyTypes;
    private readonly WindowSpec _window;
    private readonly bool _emitFinal;
    private readonly bool _emitRetractions;
    private readonly int _outputWidth;
    private readonly WindowKeyTable _keys;
    private readonly QueryMemoryBudget _budget;
    private readonly Action<RecordCursor, Exception>? _rowError;
    private readonly Cell[] _scratch;
    private readonly List<int> _changedInBatch = [];
    private readonly List<Cell[]> _retractions = [];
    private readonly List<int> _closedInBatch = [];
    private readonly RowBatch _output;
    private readonly List<(int Slot, Cell[]? Row)> _pending = [];
    private int _pendingNext;
    private long _batchNumber = 1;   // above the stamp a new window starts with (0)
    private bool _inputEnded;

    // Set (a persistent query's tumbling or hopping EMIT CHANGES): changed windows are emitted once per commit, not
    // once per input batch, as the plain aggregate does (ContinuousAggregateOperator.Coalescing.cs). Sessions emit
    // per batch: a merged-away session's retraction must follow the rows it retracts in order.
    private readonly Func<bool>? _emitDue;
    private readonly StreamClocks _clocks;
    private long _lateRecords;

    /// <param name="input">The records (of one source when <paramref name="partitionClocks"/> is above 0).</param>
    /// <param name="inputs">Evaluates a record's keys, then the aggregates' arguments.</param>
    /// <param name="keyTypes">The GROUP BY keys' types.</param>
    /// <param name="aggregates">The aggregates.</param>
    /// <param name="window">The WINDOW.</param>
    /// <param name="emitFinal">EMIT FINAL.</param>
    /// <param name="emitRetractions">Emit the rows that retract merged-away sessions.</param>
    /// <param name="limits">Batch sizes.</param>
    /// <param name="budget">The query's memory.</param>
    /// <param name="hooks">A persistent query's hooks (null for a push query).</param>
    /// <param name="partitionClocks">The source's partitions when each keeps its own stream time (the GROUP BY
    /// holds the source's key, so all of a window's records come from one partition); 0: one stream time.</param>
    public WindowedAggregateOperator(RecordOperator input, Action<RecordCursor, Cell[]> inputs, SqlType[] keyTypes,
        BoundAggregate[] aggregates, WindowSpec window, bool emitFinal, bool emitRetractions, BatchLimits limits,
        QueryMemoryBudget budget, ContinuousQueryHooks? hooks, int partitionClocks = 0)
    {
        _clocks = new StreamClocks(partitionClocks);
        _expiries = NewQueues(_clocks.Count);
        _closes = NewQueues(_clocks.Count);
        _input = input;
        _inputs = inputs;
        _keyTypes = keyTypes;
        _aggregates = aggregates;
        _zeroWhenEmpty = StreamingAggregateResults.ZeroWhenEmpty(aggregates);
        _window = window;
        _emitFinal = emitFinal;
        _emitRetractions = emitRetractions && window.Kind == WindowKind.Session && !emitFinal;
        _outputWidth = keyTypes.Length + 3 + aggregates.Length;
        _keys = WindowKeyTable.For(keyTypes);
        _budget = budget;
        _rowError = hooks?.RowError;
        _emitDue = emitFinal || window.Kind == WindowKind.Session ? null : hooks?.EmitDue;
        _scratch = new Cell[keyTypes.Length + aggregates.Length];
        _output = RowBatch.WithRows(Math.Max(1, limits.Rows), _outputWidth);
        _flat = FlatAggregates.TryCreate(aggregates);
        _groups = new WindowGroups(_flat is null ? aggregates.Length : 0);
        _keyRow = new Cell[Math.Max(1, keyTypes.Length)];
        if (hooks is not null)
            hooks.Aggregate = this;
    }

    /// <summary>Records dropped because every window they belong to had closed.</summary>
    public long LateRecordsDropped => _lateRecords;

    /// <summary>Windows held in the state.</summary>
    public int WindowCount => _groups.Live;

    /// <summary>Stream time: the largest ROWTIME seen over all partitions (long.MinValue before the first record).
    /// </summary>
    public long StreamTimeMs => _clocks.AllMs;

    /// <summary>The stream time of each source partition (empty: one stream time, <see cref="StreamTimeMs"/>).
    /// </summary>
    public ReadOnlySpan<long> PartitionStreamTimesMs => _clocks.PartitionsMs;

    public override async ValueTask<RowBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (HasQueuedOutput)
            return EmitPending();
        while (true)
        {
            if (_inputEnded)
                return null;
            if (_queuesStale)
                RebuildQueues();
            // Coalescing: held changes go out before windows expire (an expired window's change would be lost).
            if (_changedInBatch.Count > 0 && ExpiryDue)
            {
                QueueOutput();
                if (HasQueuedOutput)
                    return EmitPending();
            }
            ExpireWindows();
            var batch = await _input.NextAsync(cancellationToken);
            if (batch is null)
            {
                _inputEnded = true;
                QueueOutput();
                if (HasQueuedOutput)
                    return EmitPending();
                return null;
            }
            AccumulateBatch(batch, cancellationToken);
            if (_emitFinal)
                CloseWindows();
            // An empty batch is the scan saying it has caught up: the query commits next, so emit now.
            if (_emitDue is not null && batch.RecordCount > 0 && !_emitDue())
                continue;
            QueueOutput();
            if (HasQueuedOutput)
                return EmitPending();
        }
    }

    private void Accumulate(RecordCursor row)
    {
        if (!TryComputeInputs(row, _scratch))
            return;
        AccumulateComputed(_scratch, row.TimestampMs, _clocks.Of(row.Partition));
    }

    /// <summary>Folds a record whose keys and arguments are in <paramref name="values"/> into its windows, by the
    /// stream time of <paramref name="clock"/> (its partition's, or the one over all).</summary>
    private void AccumulateComputed(Cell[] values, long time, int clock)
    {
        if (_clocks.Advance(clock, time))
            _metaDirty = true;
        var accepted = _window.Kind == WindowKind.Session
            ? AccumulateSession(time, clock) : AccumulateTimeWindows(values, time, clock);
        if (!accepted)
        {
            _lateRecords++;
            _metaDirty = true;
        }
    }

    /// <summary>Evaluates the record's keys and aggregate arguments into <paramref name="target"/>; false when the
    /// record is left out: an expression failed on it (reported), or its key is NULL (ksqlDB leaves out a row whose
    /// GROUP BY key is NULL: a table cannot hold a NULL key).</summary>
    private bool TryComputeInputs(RecordCursor row, Cell[] target)
    {
        if (_rowError is null)
        {
            _inputs(row, target);
        }
        else
        {
            try
            {
                _inputs(row, target);
            }
            catch (Exception e) when (ContinuousQueryHooks.IsRowError(e))
            {
                _rowError(row, e);
                return false;
            }
        }
        for (var k = 0; k < _keyTypes.Length; k++)
        {
            if (target[k].IsNull)
                return false;
        }
        return true;
    }

    /// <summary>The first window (Kafka Streams' windowsFor) that may contain <paramref name="time"/>.</summary>
    private long FirstWindowStart(long time) =>
        Math.Max(0, time - _window.SizeMs + _window.AdvanceMs) / _window.AdvanceMs * _window.AdvanceMs;

    /// <summary>Folds the record into each tumbling or hopping window containing <paramref name="time"/> that is
    /// still open (Kafka Streams' windowsFor); false when none is.</summary>
    private bool AccumulateTimeWindows(Cell[] values, long time, int clock)
    {
        var size = _window.SizeMs;
        var advance = _window.AdvanceMs;
        var closedBefore = _clocks[clock] - _window.GraceMs;   // a window ending at or before this has closed
        var accepted = false;
        for (var start = FirstWindowStart(time); start <= time; start += advance)
        {
            var end = start + size;
            if (end <= closedBefore)
                continue;
            accepted = true;
            var slot = _keys.Find(values, start);
            if (slot < 0)
            {
                slot = NewGroup(values, start, end, keyEntry: -1, clock);
                _keys.Add(values, start, slot);
            }
            AddValues(values, slot);
        }
        return accepted;
    }

    private void AddValues(Cell[] values, int slot)
    {
        if (_flat is not null)
        {
            _flat.Add(slot, values.AsSpan(_keyTypes.Length));
        }
        else
        {
            var width = _aggregates.Length;
            var first = slot * width;
            var accumulators = _groups.Accumulators;
            for (var a = 0; a < width; a++)
                accumulators[first + a].Add(values[_keyTypes.Length + a]);
        }
        Touch(slot);
    }

    private void Touch(int slot)
    {
        if (_groups.BatchStamp[slot] != _batchNumber)
        {
            _groups.BatchStamp[slot] = _batchNumber;
            _changedInBatch.Add(slot);
        }
        MarkDirty(slot);
    }

    /// <summary>A new window group: its accumulators, its place in the expiry (and close) order, its memory.</summary>
    private int NewGroup(Cell[] keys, long start, long end, int keyEntry, int clock)
    {
        var slot = _groups.Allocate(start, end, keyEntry, clock);
        InitAggregates(slot);
        var bytes = QueryMemoryBudget.EstimateRow(keys.AsSpan(0, _keyTypes.Length)) + 96
            + (_flat?.GroupBytes ?? (_aggregates.Length * 64L));
        _budget.Charge(bytes);
        _groups.Charged[slot] = bytes;
        Schedule(slot);
        return slot;
    }

    /// <summary>
    /// Queues the rows of the batch just folded in: retractions, then changed windows (EMIT CHANGES) or closed ones
    /// (EMIT FINAL). They leave in batches of at most the batch size over the following calls, before any new
    /// input is read; a persistent query does not commit while rows are pending (<see cref="HasPendingOutput"/>).
    /// </summary>
    private void QueueOutput()
    {
        _pending.Clear();
        _pendingNext = 0;
        foreach (var retraction in _retractions)
            _pending.Add((-1, retraction));
        if (!_emitFinal)
        {
            foreach (var slot in _changedInBatch)
            {
                if (_groups.IsLive(slot))
                    _pending.Add((slot, null));
            }
        }
        foreach (var slot in _closedInBatch)
            _pending.Add((slot, null));
        _changedInBatch.Clear();
        _retractions.Clear();
        _closedInBatch.Clear();
        _batchNumber++;   // a new emission window: every window is unstamped again
    }

    /// <summary>Whether rows of the last emission are still to be returned.</summary>
    private bool HasQueuedOutput => _pendingNext < _pending.Count;

    /// <summary>Whether rows of input already read are still to be returned (queued, or held by coalescing).
    /// </summary>
    public bool HasPendingOutput => HasQueuedOutput || _changedInBatch.Count > 0;

    private RowBatch EmitPending()
    {
        var n = 0;
        while (n < _output.Capacity && _pendingNext < _pending.Count)
        {
            var (slot, row) = _pending[_pendingNext++];
            if (row is not null)
                row.AsSpan().CopyTo(_output.Rows[n++]);
            else
                Fill(_output.Rows[n++], slot);
        }
        _output.Count = n;
        return _output;
    }

    /// <summary>Writes a window's row: keys, WINDOWSTART, WINDOWEND, "not a retraction", results.</summary>
    private void Fill(Cell[] row, int slot)
    {
        CopyGroupKey(slot, row);
        var keys = _keyTypes.Length;
        row[keys] = Cell.FromInt64(_groups.Start[slot]);
        row[keys + 1] = Cell.FromInt64(_groups.End[slot]);
        row[keys + 2] = Cell.FromInt64(0);
        var width = _aggregates.Length;
        for (var a = 0; a < width; a++)
        {
            var result = _flat is not null ? _flat.Result(slot, a) : _groups.Accumulators[(slot * width) + a].Result();
            row[keys + 3 + a] = _zeroWhenEmpty[a]
                ? StreamingAggregateResults.OrZero(result, _aggregates[a].ResultType) : result;
        }
    }

    private void CopyGroupKey(int slot, Cell[] row)
    {
        if (_window.Kind == WindowKind.Session)
            _keys.CopyKey(_groups.KeyEntry[slot], row);
        else
            _keys.CopyKey(slot, row);
    }

    public override void Dispose()
    {
        _input.Dispose();
        base.Dispose();
    }
}
