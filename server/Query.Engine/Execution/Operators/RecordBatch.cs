using System.Runtime.CompilerServices;
using Query.Storage.Reading;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// Undecoded source records exchanged between a scan and the operators above it: the value bytes of up to
/// <see cref="Capacity"/> records packed in one reused buffer, their offsets, times and partitions, and a
/// selection vector of the rows still alive (a filter shrinks it in place, nothing is copied). Columns are decoded
/// only when an expression reads them, through <see cref="Cursor"/> positioned on a row. The batch belongs to
/// the operator that produced it and is overwritten by its next call. The per-record methods (Add, Select,
/// CopySelected) are compiled optimized at once (see ScanSource).
/// </summary>
public sealed partial class RecordBatch
{
    private readonly int _maxBytes;
    private byte[] _bytes;
    private int _bytesUsed;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private readonly int[] _keyLengths;
    private readonly bool[] _hasKeys;
    private readonly long[] _offsets;
    private readonly long[] _timestamps;
    private readonly int[] _partitions;
    private readonly int[] _headerLengths;
    private readonly int[] _headerCounts;
    private readonly bool[] _retractions;
    private readonly long[] _changeTimes;
    private readonly bool[] _nullValues;
    private bool _anyRetraction;
    private bool _anyNullValue;
    private ColumnBatch? _columns;      // rows of a column batch instead of records (RecordBatch.Columns.cs)
    private int _columnPartition;

    private readonly bool _shared;

    public RecordBatch(int capacity, int maxBytes, RecordCursor cursor, int initialBytes = 64 * 1024)
    {
        Capacity = capacity;
        _maxBytes = maxBytes;
        _bytes = new byte[Math.Min(maxBytes, initialBytes)];
        _starts = new int[capacity];
        _lengths = new int[capacity];
        _keyLengths = new int[capacity];
        _hasKeys = new bool[capacity];
        _offsets = new long[capacity];
        _timestamps = new long[capacity];
        _partitions = new int[capacity];
        _headerLengths = new int[capacity];
        _headerCounts = new int[capacity];
        _retractions = new bool[capacity];
        _changeTimes = new long[capacity];
        _nullValues = new bool[capacity];
        Selection = new int[capacity];
        Cursor = cursor;
    }

    // A compact copy (shared: false) or a read-only view (shared: true) of another batch's records.
    private RecordBatch(RecordBatch source, RecordCursor cursor, int[] selection, bool shared, bool compact)
    {
        var count = source.RecordCount;
        Capacity = compact ? count : source.Capacity;
        _maxBytes = source._maxBytes;
        _bytes = compact ? source._bytes.AsSpan(0, source._bytesUsed).ToArray() : source._bytes;
        _bytesUsed = source._bytesUsed;
        _starts = compact ? source._starts[..count] : source._starts;
        _lengths = compact ? source._lengths[..count] : source._lengths;
        _keyLengths = compact ? source._keyLengths[..count] : source._keyLengths;
        _hasKeys = compact ? source._hasKeys[..count] : source._hasKeys;
        _offsets = compact ? source._offsets[..count] : source._offsets;
        _timestamps = compact ? source._timestamps[..count] : source._timestamps;
        _partitions = compact ? source._partitions[..count] : source._partitions;
        _headerLengths = compact ? source._headerLengths[..count] : source._headerLengths;
        _headerCounts = compact ? source._headerCounts[..count] : source._headerCounts;
        _retractions = compact ? new bool[count] : source._retractions;
        _changeTimes = compact ? new long[count] : source._changeTimes;
        _nullValues = compact ? new bool[count] : source._nullValues;
        RecordCount = count;
        Selection = selection;
        Cursor = cursor;
        _shared = shared;
    }

    /// <summary>
    /// A copy of this batch's records that holds nothing more than they need (every array cut to
    /// <see cref="RecordCount"/>), for keeping (<see cref="ScanCache"/>); retractions and null values are not
    /// carried (a bounded scan's batches have none). Share it with <see cref="ViewOf"/>, never fill it.
    /// </summary>
    internal RecordBatch Compact() => new(this, Cursor, [], shared: true, compact: true);

    /// <summary>
    /// A read-only view of <paramref name="stored"/>'s records for one scan: its own cursor and selection vector
    /// (<paramref name="selection"/>, at least <see cref="RecordCount"/> long; <see cref="Count"/> starts at 0), the
    /// records' bytes and arrays shared, so that several scans on several threads read one copy.
    /// </summary>
    internal static RecordBatch ViewOf(RecordBatch stored, RecordCursor cursor, int[] selection) =>
        new(stored, cursor, selection, shared: true, compact: false);

    /// <summary>Bytes the records' buffer and per-record arrays take.</summary>
    internal long SizeBytes => _bytes.Length + (long)Capacity * ((4 * 6) + (8 * 3) + 3) + Selection.Length * 4L;

    /// <summary>The row time of every record held (selected or not), by record; valid up to
    /// <see cref="RecordCount"/>.</summary>
    internal long[] RecordTimestamps => _timestamps;

    /// <summary>The offset of every record held (selected or not), by record; valid up to
    /// <see cref="RecordCount"/>.</summary>
    internal long[] RecordOffsets => _offsets;

    /// <summary>The offset of the r-th record held (selected or not).</summary>
    internal long OffsetOfRecord(int r) => _offsets[r];

    public int Capacity { get; }

    /// <summary>Records held (selected or not).</summary>
    public int RecordCount { get; private set; }

    /// <summary>Indexes of the selected records, in order; the first <see cref="Count"/> are valid.</summary>
    public int[] Selection { get; }

    /// <summary>Selected records.</summary>
    public int Count { get; set; }

    public RecordCursor Cursor { get; }

    /// <summary>Full by count, or by bytes (a single record larger than the byte limit still fits alone).</summary>
    public bool IsFull => RecordCount == Capacity || _bytesUsed >= _maxBytes;

    public void Clear()
    {
        ThrowIfShared();
        _columns = null;
        RecordCount = 0;
        Count = 0;
        _bytesUsed = 0;
        if (_anyRetraction)
        {
            Array.Clear(_retractions);
            _anyRetraction = false;
        }
        if (_anyNullValue)
        {
            Array.Clear(_nullValues);
            _anyNullValue = false;
        }
    }

    /// <summary>
    /// Adds a stream record whose value is null (see ContinuousQueryHooks.NullValueRows): the cursor reads its key
    /// columns and NULL for the others; false when its key does not decode (counted).
    /// </summary>
    public bool AddNullValue(ReadOnlySpan<byte> key, bool hasKey, long offset, long timestampMs, int partition)
    {
        ThrowIfShared();
        if (_bytesUsed + key.Length > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytesUsed + key.Length, Math.Min(_maxBytes, _bytes.Length * 2)));
        key.CopyTo(_bytes.AsSpan(_bytesUsed));
        if (!Cursor.PositionNullValue(key, hasKey, offset, timestampMs, partition, admit: true))
            return false;
        var row = RecordCount;
        _starts[row] = _bytesUsed;
        _keyLengths[row] = key.Length;
        _hasKeys[row] = hasKey;
        _lengths[row] = 0;
        _offsets[row] = offset;
        _partitions[row] = partition;
        _headerLengths[row] = 0;
        _headerCounts[row] = 0;
        _timestamps[row] = Cursor.TimestampMs;
        _nullValues[row] = true;
        _anyNullValue = true;
        _bytesUsed += key.Length;
        RecordCount++;
        Selection[Count++] = row;
        return true;
    }

    /// <summary>
    /// Marks the i-th selected record as one whose value is null: a table's delete (its key and NULL values, added
    /// as a row), or a table row that no longer passes a persistent query's WHERE, which deletes its key downstream.
    /// </summary>
    public void MarkNullValue(int i)
    {
        ThrowIfShared();
        _nullValues[Selection[i]] = true;
        _anyNullValue = true;
    }

    /// <summary>Whether any record of the batch has a null value.</summary>
    public bool AnyNullValue => _anyNullValue;

    /// <summary>Whether the i-th selected record has a null value (see <see cref="AddNullValue"/>).</summary>
    public bool IsNullValue(int i) => _anyNullValue && _nullValues[Selection[i]];

    /// <summary>
    /// Adds the previous row of a table source's key, to be taken back out of an aggregate (the key changed or was
    /// deleted at <paramref name="changeTimeMs"/>): the record keeps the old row's own offset and time, so the
    /// aggregate's inputs evaluate exactly as when the row was added.
    /// </summary>
    public bool AddRetraction(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long offset, long timestampMs,
        int partition, long changeTimeMs)
    {
        var row = RecordCount;
        if (!Add(key, hasKey: true, value, offset, timestampMs, partition))
            return false;
        _retractions[row] = true;
        _changeTimes[row] = changeTimeMs;
        _anyRetraction = true;
        return true;
    }

    /// <summary>Whether any record of the batch retracts a table row.</summary>
    public bool AnyRetraction => _anyRetraction;

    /// <summary>Whether the i-th selected record retracts a table row (see <see cref="AddRetraction"/>).</summary>
    public bool IsRetraction(int i) => _anyRetraction && _retractions[Selection[i]];

    /// <summary>When the i-th selected record's change happened: the time of the table update that retracts it,
    /// else its own row time.</summary>
    public long ChangeTimeMs(int i)
    {
        var row = Selection[i];
        return _retractions[row] ? _changeTimes[row] : _timestamps[row];
    }

    /// <summary>
    /// Adds a record (key bytes, then value bytes, packed in the buffer) and admits it through the cursor: a record
    /// that does not decode, or whose timestamp column gives no row time, is counted by the cursor and dropped
    /// (false). The row time the cursor settles on is kept with the record.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value, long offset, long timestampMs,
        int partition, ReadOnlySpan<byte> rawHeaders = default, int headerCount = 0)
    {
        ThrowIfShared();
        // The headers (kept only when there are some) follow the value: header columns read them.
        if (headerCount == 0)
            rawHeaders = default;
        var bytes = key.Length + value.Length + rawHeaders.Length;
        if (_bytesUsed + bytes > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytesUsed + bytes, Math.Min(_maxBytes, _bytes.Length * 2)));
        key.CopyTo(_bytes.AsSpan(_bytesUsed));
        value.CopyTo(_bytes.AsSpan(_bytesUsed + key.Length));
        rawHeaders.CopyTo(_bytes.AsSpan(_bytesUsed + key.Length + value.Length));
        var row = RecordCount;
        _starts[row] = _bytesUsed;
        _keyLengths[row] = key.Length;
        _hasKeys[row] = hasKey;
        _lengths[row] = value.Length;
        _offsets[row] = offset;
        _partitions[row] = partition;
        _headerLengths[row] = rawHeaders.Length;
        _headerCounts[row] = headerCount;
        if (!Cursor.Position(_bytes, _bytesUsed + key.Length, value.Length, key, hasKey, offset, timestampMs,
                partition, admit: true, rawHeaders, headerCount))
            return false;
        _timestamps[row] = Cursor.TimestampMs;
        _bytesUsed += bytes;
        RecordCount++;
        Selection[Count++] = row;
        return true;
    }

    /// <summary>
    /// Replaces this batch's records with the selected records of <paramref name="source"/>: their bytes and admitted
    /// row times are copied as they are, nothing is decoded again. A parallel scan hands its workers' records over
    /// this way, since a batch belongs to the operator that produced it. Retractions are not carried (a bounded
    /// scan has none).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopySelected(RecordBatch source)
    {
        if (source._columns is not null)
        {
            CopySelectedColumns(source);
            return;
        }
        Clear();
        if (source._bytes.Length > _bytes.Length)
            _bytes = new byte[source._bytes.Length];
        for (var i = 0; i < source.Count; i++)
        {
            var from = source.Selection[i];
            var bytes = source._keyLengths[from] + source._lengths[from] + source._headerLengths[from];
            source._bytes.AsSpan(source._starts[from], bytes).CopyTo(_bytes.AsSpan(_bytesUsed));
            var row = RecordCount;
            _starts[row] = _bytesUsed;
            _keyLengths[row] = source._keyLengths[from];
            _hasKeys[row] = source._hasKeys[from];
            _lengths[row] = source._lengths[from];
            _offsets[row] = source._offsets[from];
            _timestamps[row] = source._timestamps[from];
            _partitions[row] = source._partitions[from];
            _headerLengths[row] = source._headerLengths[from];
            _headerCounts[row] = source._headerCounts[from];
            _bytesUsed += bytes;
            RecordCount++;
            Selection[Count++] = row;
        }
    }

    // Records other scans read at the same time: only the selection of a view is its own.
    private void ThrowIfShared()
    {
        if (_shared)
            throw new InvalidOperationException("a shared record batch is read-only");
    }

    /// <summary>The stored time of the <paramref name="i"/>-th selected record (without decoding it).</summary>
    public long TimestampAt(int i) =>
        _columns is { } columns ? columns.TimestampsMs[Selection[i]] : _timestamps[Selection[i]];

    /// <summary>Takes back the record the last <see cref="Add"/> admitted (a scan's predicate refused it).</summary>
    public void RemoveLast()
    {
        RecordCount--;
        Count--;
        if (_columns is null)
            _bytesUsed = _starts[RecordCount];
    }

    /// <summary>Positions <see cref="Cursor"/> on the i-th selected record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RecordCursor Select(int i)
    {
        var row = Selection[i];
        if (_columns is { } columns)
        {
            Cursor.PositionColumns(columns, row, columns.TimestampsMs[row], _columnPartition, admit: false);
            return Cursor;
        }
        var start = _starts[row];
        var keyLength = _keyLengths[row];
        if (Cursor.IsBinary && !_anyNullValue)
        {
            // The engine's own row format reads neither the key nor the headers: their arrays are not touched (a
            // scan's candidates are scattered over a kept chunk, so each array read is a cache miss).
            Cursor.PositionBinary(_bytes, start + keyLength, _lengths[row], _offsets[row], _timestamps[row],
                _partitions[row]);
            return Cursor;
        }
        if (_anyNullValue && _nullValues[row] && _lengths[row] == 0 && _headerLengths[row] == 0)
        {
            Cursor.PositionNullValue(_bytes.AsSpan(start, keyLength), _hasKeys[row], _offsets[row], _timestamps[row],
                _partitions[row], admit: false);
            return Cursor;
        }
        Cursor.Position(_bytes, start + keyLength, _lengths[row], _bytes.AsSpan(start, keyLength), _hasKeys[row],
            _offsets[row], _timestamps[row], _partitions[row], admit: false,
            _bytes.AsSpan(start + keyLength + _lengths[row], _headerLengths[row]), _headerCounts[row]);
        return Cursor;
    }
}
