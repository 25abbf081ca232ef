namespace Query.Engine.Execution.Operators;

/// <summary>
/// What a persistent query adds to a run of the ordinary operators: the same tree as a push query, with the
/// scan starting at the offsets the query last committed, a commit before the scan waits for data, and bad rows
/// skipped instead of failing the query. Operators that hold a persistent query's progress (the tail scan's
/// offsets, a continuous aggregate's groups) register here so that the query can commit them; a push query runs
/// without hooks.
/// </summary>
public sealed class ContinuousQueryHooks
{
    /// <summary>Offset to resume each partition at (the last commit), replacing the planned start.</summary>
    public IReadOnlyDictionary<int, long>? ResumeOffsets { get; init; }

    /// <summary>Called by the tail scan each time every partition is at its live end, before it waits.</summary>
    public Func<CancellationToken, ValueTask>? BeforeWait { get; init; }

    /// <summary>
    /// A row whose expression failed (division by zero, a bad cast, a value out of range): the operator skips the
    /// row and reports it here. Without a handler the error fails the query, as in a pull or push query.
    /// </summary>
    public Action<RecordCursor, Exception>? RowError { get; init; }

    /// <summary>
    /// Set by a persistent aggregate query: true when the query is about to commit. The continuous aggregate then
    /// holds its changed groups and emits each once per commit (ContinuousAggregateOperator.Coalescing.cs), and
    /// the tail scan hands out one empty batch when it has caught up, before it commits and waits, so that the
    /// aggregate emits what it holds first.
    /// </summary>
    public Func<bool>? EmitDue { get; init; }

    /// <summary>
    /// Set by a persistent query that filters and projects a stream in an external format: a record with a null
    /// value (a stream's tombstone) is not dropped by the scan but passed on, as ksqlDB does, with its key columns
    /// and NULL in the others. A filter drops it; a projection marks its row (<see cref="RowBatch.IsNullValue"/>)
    /// and the sink writes a record with the row's key and a null value.
    /// </summary>
    public bool NullValueRows { get; init; }

    private readonly List<TailScanOperator> _scans = [];

    /// <summary>The query's (first) tail scan, once built.</summary>
    public TailScanOperator? Scan => _scans.Count > 0 ? _scans[0] : null;

    /// <summary>Registers a tail scan; a stream-stream join has two, with distinct partition numbers.</summary>
    internal void AddScan(TailScanOperator scan) => _scans.Add(scan);

    /// <summary>Every scanned partition (of every scan) with the offset of the next record to read.</summary>
    public List<(int Partition, long NextOffset)> Positions()
    {
        if (_scans.Count == 1)
            return _scans[0].Positions();
        var positions = new List<(int, long)>();
        foreach (var scan in _scans)
            positions.AddRange(scan.Positions());
        return positions;
    }

    /// <summary>The current row per key of a table source that the query aggregates, once built.</summary>
    public TableChangeTracker? TableChanges { get; internal set; }

    /// <summary>The query's continuous aggregate, windowed or not, once built (CREATE TABLE AS SELECT ... GROUP BY).
    /// </summary>
    public IContinuousAggregate? Aggregate { get; internal set; }

    /// <summary>Registers a stateful operator: the query's <see cref="Aggregate"/>, or with several (a multi-way
    /// join) a <see cref="ContinuousStateChain"/> of them in the order they register.</summary>
    internal void AddState(IContinuousAggregate state)
    {
        if (Aggregate is null)
            Aggregate = state;
        else if (Aggregate is ContinuousStateChain chain)
            chain.Add(state);
        else
            Aggregate = new ContinuousStateChain(Aggregate, state);
    }

    /// <summary>
    /// Whether <paramref name="exception"/> comes from one row's data (22xxx, arithmetic), so that the row is
    /// skipped; anything else (storage, cancellation, memory limits) still ends the query.
    /// </summary>
    public static bool IsRowError(Exception exception) => exception switch
    {
        Errors.SqlException e => e.SqlState.StartsWith("22", StringComparison.Ordinal),
        DivideByZeroException or OverflowException or FormatException or InvalidCastException => true,
        _ => false,
    };
}
