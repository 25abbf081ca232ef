using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Execution.Operators;
using Query.Storage;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Persistent;

/// <summary>The lifecycle state of a persistent query, as SHOW QUERIES reports it.</summary>
public enum PersistentQueryState
{
    Running,
    Error,
    /// <summary>Its source ended (a ROWOFFSET upper bound was reached) and everything is committed.</summary>
    Done,
    Stopped,
}

/// <summary>
/// One persistent query running in the background: the ordinary operator tree of its SELECT (a tail scan of the
/// source, filter, project or continuous aggregate), driven by a loop that writes each output batch to the sink
/// and commits.
/// <para><b>Exactly-once.</b> A commit is one <see cref="LogTransaction"/> holding the output rows since the last
/// commit, the aggregate state changes (CREATE TABLE AS SELECT: one record per changed group in the query's
/// state log) and a checkpoint record with the offset of the next record to read in every source partition (the
/// query's checkpoint log). Storage makes all of it visible together or none of it, whatever the crash. On
/// restart the query restores its aggregate state from the state log, reads the last checkpoint and resumes each
/// partition there: every input record is reflected exactly once in the sink and the state. The scan's
/// positions match the output exactly because every operator between the scan and this loop (filter, project,
/// continuous aggregate) turns each input batch fully into output before it asks for the next one.</para>
/// <para><b>When it commits.</b> After <see cref="EngineOptions.PersistentCommitIntervalMs"/> or
/// <see cref="EngineOptions.PersistentCommitMaxRecords"/> input records (an aggregate: the
/// <c>PersistentAggregateCommit</c> settings, as it writes each changed group once per commit), and whenever the
/// scan is about to wait (caught up), so a quiet source's rows are visible at once.</para>
/// <para><b>Errors.</b> A row whose expression fails is skipped, counted and reported (processing log); any other
/// failure (the state memory limit, storage) stops the query with state ERROR and its message; nothing reaches
/// the server.</para>
/// </summary>
internal sealed partial class PersistentQuery : IAsyncDisposable
{
    private const int RecentErrorsKept = 20;
    private readonly QueryEngine _engine;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<string> _recentErrors = new();
    private readonly ScanStatistics _statistics = new();
    private readonly RecordBatchBuilder _checkpointBatch = new(256);
    private readonly List<RecordBatchBuilder> _stateBatches = [];
    private Task _run = Task.CompletedTask;
    private QueryCheckpoint? _committed;
    private ContinuousQueryHooks? _hooks;
    private HavingTombstones? _having;
    private LogTransaction? _transaction;
    private RowAppender? _appender;
    private StreamRuntime? _sink;
    private long _pendingOut;
    private long _pendingSkipped;
    private long _lastCommitTicks;
    private volatile string? _error;
    private volatile PersistentQueryState _state = PersistentQueryState.Running;

    public PersistentQuery(QueryEngine engine, PersistentQueryDefinition definition)
    {
        _engine = engine;
        Definition = definition;
    }

    public PersistentQueryDefinition Definition { get; }

    public PersistentQueryState State => _state;

    /// <summary>Why the query stopped, when <see cref="State"/> is ERROR.</summary>
    public string? Error => _error;

    /// <summary>The SQLSTATE of <see cref="Error"/>: XX000 when the failure had no SQL meaning (a bug).</summary>
    public string? ErrorSqlState { get; private set; }

    /// <summary>The running plan (null until the query has been planned).</summary>
    public PersistentQueryPlan? Plan { get; private set; }

    /// <summary>Input records read (committed ones across restarts, plus those read since).</summary>
    public long RowsIn => (Committed()?.RowsIn ?? 0) + _statistics.RecordsScanned - _scannedAtCommit;

    private long _scannedAtCommit;

    /// <summary>Output rows committed.</summary>
    public long RowsOut => Committed()?.RowsOut ?? 0;

    /// <summary>Rows skipped because an expression failed on them (committed count plus pending).</summary>
    public long RowsSkipped => (Committed()?.RowsSkipped ?? 0) + Interlocked.Read(ref _pendingSkipped);

    /// <summary>Records a windowed aggregate dropped because their windows had closed (kept across restarts).
    /// </summary>
    public long LateRecordsDropped => _hooks?.Aggregate?.LateRecordsDropped ?? 0;

    /// <summary>The last skipped rows' descriptions, newest last.</summary>
    public IReadOnlyList<string> RecentErrors
    {
        get
        {
            lock (_recentErrors)
                return [.. _recentErrors];
        }
    }

    /// <summary>
    /// The last commit: the one this run made or loaded, or, before the run has loaded it (just after a restart),
    /// the one in the checkpoint log. Without the fallback a restarted query would report no lag (and zero rows)
    /// until its task starts, and a client waiting for lag 0 would read the sink before the query caught up.
    /// </summary>
    private QueryCheckpoint? Committed()
    {
        if (Volatile.Read(ref _committed) is { } committed)
            return committed;
        return _engine.Logs.TryGetLog(Definition.CheckpointLogName, out var log) ? QueryCheckpoint.ReadLast(log) : null;
    }

    /// <summary>Per source partition: the committed next offset and the source's end (lag = end - next).</summary>
    public IReadOnlyList<(int Partition, long Committed, long End)> Lag()
    {
        var result = new List<(int, long, long)>();
        if (Committed() is not { } committed || TailedLogs() is not { } tailed)
            return result;
        foreach (var (partition, next) in committed.Offsets)
        {
            if (StreamJoinSources.End(tailed, partition) is { } end)
                result.Add((partition, next, end));
        }
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    /// <summary>Whether the last commit covers everything the source holds now (false before the first read).</summary>
    public bool CaughtUp
    {
        get
        {
            if (Committed() is not { } committed || TailedLogs() is not { } tailed)
                return false;
            foreach (var (partition, next) in committed.Offsets)
            {
                if (StreamJoinSources.End(tailed, partition) is { } end && next < end)
                    return false;
            }
            return true;
        }
    }

    /// <summary>The logs the query tails with their checkpoint numbering: its source, and the other streams (or
    /// tables) a join tails; null when the source is gone.</summary>
    private List<(Execution.StreamRuntime Source, int PartitionBase)>? TailedLogs()
    {
        if (!_engine.TryGetStream(Definition.Source, out var source))
            return null;
        try
        {
            var tailed = StreamJoinSources.Tailed(CurrentPlan());
            return tailed.Count > 0 ? tailed : [(source, 0)];
        }
        catch (SqlException)
        {
            return [(source, 0)];
        }
    }

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(cancellationToken);
            _state = PersistentQueryState.Done;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            _state = PersistentQueryState.Stopped;
        }
        catch (Exception e)
        {
            var translated = EngineSession.TranslateException(e) ?? e;
            _error = translated.Message;
            ErrorSqlState = translated is SqlException sql ? sql.SqlState : SqlState.InternalError;
            _state = PersistentQueryState.Error;
            _engine.Options.ProcessingLog?.Invoke($"persistent query {Definition.Id} failed: {_error}");
        }
        finally
        {
            AbortPending();
        }
    }

    private async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var statement = Grammar.SqlParser.ParseStatement(Definition.Sql);
        var plan = PersistentQueryPlan.Build(_engine, SelectOf(statement));
        Plan = plan;
        _sink = _engine.GetStream(Definition.Sink, null);
        var writer = Definition.Kind == PersistentQueryKind.InsertInto
            ? SinkWriter.ForExisting(plan, _sink.Definition) : SinkWriter.ForNewStream(plan, _sink);
        _having = writer.Having;
        _committed = QueryCheckpoint.ReadLast(CheckpointLog());
        _hooks = new ContinuousQueryHooks
        {
            ResumeOffsets = _committed?.Offsets,
            BeforeWait = CommitAsync,
            RowError = OnRowError,
            // An aggregate over a join emits per batch: the join hands no caught-up signal through to coalesce on.
            EmitDue = plan.IsAggregate && !StreamJoinSources.AggregatesJoin(plan) ? CommitDue : null,
            NullValueRows = plan.PassesNullValues,
        };
        var context = new OperatorContext(_statistics, Definition.ReplayFromEarliest, _engine.BatchLimits,
            new Limits.QueryMemoryBudget(_engine.Options.PersistentStateBytes), _hooks);
        using var root = plan.Compiled.StartOperators(context);
        RestoreState();
        _lastCommitTicks = Environment.TickCount64;
        while (true)
        {
            var batch = await root.NextAsync(cancellationToken);
            if (batch is null)
                break;
            if (batch.Count > 0)
            {
                var appender = Appender();
                for (var i = 0; i < batch.Count; i++)
                {
                    if (batch.IsNullValue(i))
                    {
                        writer.WriteNullValue(appender, batch.Rows[i], plan.PartitionKeyIndex >= 0);
                        _pendingOut++;
                    }
                    else if (!writer.HasRowTime(batch.Rows[i]))
                    {
                        OnSinkRowTimeMissing();
                    }
                    else if (writer.Write(appender, batch.Rows[i]))
                    {
                        _pendingOut++;
                    }
                }
            }
            if (CommitDue() && _hooks.Aggregate?.HasPendingOutput != true)
                await CommitAsync(cancellationToken);
        }
        await CommitAsync(cancellationToken);
    }

    /// <summary>The running plan, or (before the query has started) the plan it will run.</summary>
    public PersistentQueryPlan CurrentPlan() =>
        Plan ?? PersistentQueryPlan.Build(_engine, SelectOf(Grammar.SqlParser.ParseStatement(Definition.Sql)));

    private static Ast.SelectQuery SelectOf(Ast.Statement statement) => statement switch
    {
        Ast.CreateStreamAsSelect csas => csas.Query,
        Ast.CreateTableAsSelect ctas => ctas.Query,
        Ast.InsertInto insert => insert.Query,
        _ => throw new SqlException(SqlState.DataCorrupted, "a persistent query's text is not a query statement"),
    };

    private bool CommitDue()
    {
        var options = _engine.Options;
        var aggregate = Plan?.IsAggregate == true;
        return _statistics.RecordsScanned - _scannedAtCommit
            >= (aggregate ? options.PersistentAggregateCommitMaxRecords : options.PersistentCommitMaxRecords)
            || Environment.TickCount64 - _lastCommitTicks
            >= (aggregate ? options.PersistentAggregateCommitIntervalMs : options.PersistentCommitIntervalMs);
    }

    private RowAppender Appender()
    {
        _transaction ??= _engine.Logs.BeginTransaction();
        return _appender ??= new RowAppender(_sink!, _transaction, ownsTransaction: false);
    }

    private PartitionedLog CheckpointLog() => _engine.Logs.TryGetLog(Definition.CheckpointLogName, out var log)
        ? log
        : throw new SqlException(SqlState.DataCorrupted, $"checkpoint log of query {Definition.Id} is missing");

    private void OnRowError(RecordCursor row, Exception error)
    {
        Interlocked.Increment(ref _pendingSkipped);
        var message = $"query {Definition.Id} skipped the record at partition {row.Partition} offset {row.Offset} "
            + $"of {Definition.Source}: {(EngineSession.TranslateException(error) ?? error).Message}";
        lock (_recentErrors)
        {
            if (_recentErrors.Count == RecentErrorsKept)
                _recentErrors.Dequeue();
            _recentErrors.Enqueue(message);
        }
        _engine.Options.ProcessingLog?.Invoke(message);
    }

    /// <summary>An output row whose sink TIMESTAMP column gives no row time: skipped and counted, as ksqlDB drops
    /// it.</summary>
    private void OnSinkRowTimeMissing()
    {
        Interlocked.Increment(ref _pendingSkipped);
        var message = $"query {Definition.Id} skipped an output row: its TIMESTAMP column in {Definition.Sink} "
            + "is NULL, negative or does not parse";
        lock (_recentErrors)
        {
            if (_recentErrors.Count == RecentErrorsKept)
                _recentErrors.Dequeue();
            _recentErrors.Enqueue(message);
        }
        _engine.Options.ProcessingLog?.Invoke(message);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _checkpointBatch.Dispose();
        foreach (var batch in _stateBatches)
            batch.Dispose();
    }
}
