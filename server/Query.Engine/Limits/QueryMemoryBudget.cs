using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Limits;

/// <summary>
/// The memory one query may hold in what it accumulates: groups and their accumulators, rows kept for ORDER BY,
/// distinct values (PostgreSQL's work_mem, per query). Operators charge what they keep as they keep it and
/// release what they drop; past the limit the charge throws 53200 and only that query fails. Estimates are
/// deliberately simple upper bounds of the managed size (object headers, array slots, UTF-16 text), computed from
/// the cells without walking object graphs. Thread-safe: the workers of a parallel aggregation share one budget.
/// </summary>
public sealed class QueryMemoryBudget
{
    // Object header and method table (16) plus the array length (8).
    private const int ArrayOverheadBytes = 24;
    private const int StringOverheadBytes = 22;
    private static readonly int CellBytes = System.Runtime.CompilerServices.Unsafe.SizeOf<Cell>();

    public QueryMemoryBudget(long limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limitBytes, 1);
        LimitBytes = limitBytes;
    }

    /// <summary>A budget that never refuses (for internal evaluation of constants).</summary>
    public static QueryMemoryBudget Unlimited => new(long.MaxValue);

    public long LimitBytes { get; }

    private long _usedBytes;
    private long _peakBytes;

    public long UsedBytes => Volatile.Read(ref _usedBytes);

    /// <summary>The most this budget has held at once (for EXPLAIN ANALYZE-style reporting and tests).</summary>
    public long PeakBytes => Volatile.Read(ref _peakBytes);

    /// <summary>Counts <paramref name="bytes"/> more as held; throws 53200 when that passes the limit.</summary>
    public void Charge(long bytes)
    {
        var used = Interlocked.Add(ref _usedBytes, bytes);
        var peak = Volatile.Read(ref _peakBytes);
        while (used > peak && Interlocked.CompareExchange(ref _peakBytes, used, peak) is var seen && seen != peak)
            peak = seen;
        if (used > LimitBytes)
            throw Exceeded();
    }

    public void Release(long bytes)
    {
        var used = Volatile.Read(ref _usedBytes);
        while (Interlocked.CompareExchange(ref _usedBytes, Math.Max(0, used - bytes), used) is var seen
            && seen != used)
            used = seen;
    }

    /// <summary>Estimated bytes of a row array of <paramref name="cells"/> held on its own.</summary>
    public static long EstimateRow(ReadOnlySpan<Cell> cells)
    {
        long bytes = ArrayOverheadBytes + ((long)CellBytes * cells.Length);
        foreach (ref readonly var cell in cells)
            bytes += EstimateReference(cell.Ref);
        return bytes;
    }

    /// <summary>Estimated bytes of one value kept alone (a collected or distinct value).</summary>
    public static long EstimateCell(in Cell cell) => CellBytes + EstimateReference(cell.Ref);

    private static long EstimateReference(object? value) => value switch
    {
        null => 0,
        string text => StringOverheadBytes + (2L * text.Length),
        byte[] bytes => ArrayOverheadBytes + bytes.Length,
        SqlArray array => ArrayOverheadBytes + (32L * array.Count),
        SqlMap map => (2 * ArrayOverheadBytes) + (64L * map.Count),
        _ => 64,
    };

    private SqlException Exceeded() =>
        new(SqlState.OutOfMemory, "out of memory: query exceeded its memory budget",
            $"the query needed more than {LimitBytes:N0} bytes for its groups, sorted rows or distinct values",
            "raise QueryMemoryBytes, or add a WHERE, a LIMIT or fewer GROUP BY keys");
}
