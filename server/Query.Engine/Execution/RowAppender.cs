using System.Buffers;
using System.Runtime.CompilerServices;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Format;
using Query.Engine.Types;
using Query.Storage;

namespace Query.Engine.Execution;

/// <summary>
/// Encodes rows once (binary or JSON value, Kafka-serialized key) into per-partition record batches, then appends
/// them on <see cref="CommitAsync"/> as one <see cref="LogTransaction"/>: every partition's share becomes visible
/// together or not at all, whatever fails (a crash, a full disk, an I/O error on one partition). Nothing reaches
/// the log before every row has been converted, checked and encoded, so a bad value in row 1,000 of an INSERT or
/// COPY writes nothing. Rows with a key go to Kafka's murmur2
/// partition of the key; rows without one are spread round-robin. ROWTIME comes from the TIMESTAMP column when
/// set, else the append time.
/// <para>Large appends (COPY) do not wait for the commit to write: once a partition has
/// <see cref="StageThresholdBytes"/> pending (or all partitions together <see cref="TotalStageThresholdBytes"/>),
/// its batches go to a <see cref="StagedAppend"/> as they fill, which the commit makes visible at once. So a COPY
/// holds about two batches per partition in memory, and its commit costs an fdatasync and a rename instead of
/// writing everything. Small appends stay in memory (no tiny segments).</para>
/// </summary>
public sealed class RowAppender : IDisposable
{
    // Large COPYs are appended in batches of about this size: small enough that ROWTIME pushdown skips at a
    // fine grain (storage keeps min/max time per batch, and a range reads and CRC-checks whole batches: at
    // 256 KiB a 0.1% range of 2 M rows read 3x the rows it needed), large enough to amortize the per-batch work.
    private const int BatchTargetBytes = 64 << 10;

    // A batch closes this close to the target, so its pooled buffer never regrows for the last rows.
    private const int BatchCloseMarginBytes = 8 << 10;

    // A partition with this much pending starts writing ahead into a staged append; so does every partition once
    // all of them together hold the second amount (a stream of many partitions would otherwise buffer 8 MiB each).
    internal const long StageThresholdBytes = 8 << 20;
    internal const long TotalStageThresholdBytes = 64 << 20;

    private readonly StreamRuntime _stream;
    private readonly LogTransaction _transaction;
    private readonly List<RecordBatchBuilder>[] _batches;
    private readonly StagingLane?[] _staged;
    private int _bufferedBatches;   // builders held in memory across partitions
    private readonly ArrayBufferWriter<byte> _value = new(256);
    private readonly int _maxRecordBytes;
    private readonly bool _ownsTransaction = true;
    private bool _committed;

    public RowAppender(StreamRuntime stream)
        : this(stream, stream.Log.BeginTransaction())
    {
    }

    /// <summary>
    /// An appender whose rows join <paramref name="transaction"/>, which the caller commits together with other
    /// shares (a persistent query's output, state and offsets): call <see cref="AddToTransactionAsync"/>, commit,
    /// then dispose this appender.
    /// </summary>
    internal RowAppender(StreamRuntime stream, LogTransaction transaction, bool ownsTransaction)
        : this(stream, transaction) => _ownsTransaction = ownsTransaction;

    private RowAppender(StreamRuntime stream, LogTransaction? transaction)
    {
        _stream = stream;
        _transaction = transaction!;
        _batches = new List<RecordBatchBuilder>[stream.Log.PartitionCount];
        _staged = new StagingLane?[stream.Log.PartitionCount];
        _maxRecordBytes = stream.Log.Options.MaxRecordBytes;
    }

    /// <summary>
    /// A lane: rows encoded into batches of their own (on another thread), never written; <see cref="Splice"/> adds
    /// them to an appender after the rows it holds. Its memory is bounded by what the caller adds to it.
    /// </summary>
    internal static RowAppender Lane(StreamRuntime stream) => new(stream, transaction: null) { _isLane = true };

    private bool _isLane;

    public long RowCount { get; private set; }

    /// <summary>Adds a full-width row (one cell per column, already of the column types).</summary>
    public void Add(ReadOnlySpan<Cell> row, long? explicitTimestampMs = null)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var definition = _stream.Definition;
        _value.ResetWrittenCount();
        if (_stream.Codec is { } codec)
            codec.EncodeValue(_value, row);
        else
            BinaryRowFormat.Write(_value, row, _stream.Types);
        if (_value.WrittenCount + 64 > _maxRecordBytes)
            throw new SqlException(SqlState.ProgramLimitExceeded,
                $"row of {_value.WrittenCount} bytes exceeds the stream's limit of {_maxRecordBytes} bytes");
        // With TIMESTAMP = 'col' the column is the row time (as ksqlDB's extractor), even when ROWTIME is named.
        var fromColumn = TimestampOf(row, definition);
        var timestamp = fromColumn >= 0 ? fromColumn : explicitTimestampMs ?? RecordBatchBuilder.UseAppendTime;
        if (definition.IsTable)
            CheckKeyColumns(row);
        var key = KeyEncoding.Encode(_stream, row);
        int partition;
        if (key is not null)
            partition = PartitionOf(key);
        else
        {
            CheckKeyed(hasKey: false);
            partition = _stream.NextRoundRobinPartition();
        }
        var builder = BuilderFor(partition);
        builder.Add(timestamp, key, key is not null, _value.WrittenSpan, default);
        RowCount++;
    }

    /// <summary>Adds a row already encoded in the stream's value format, with its serialized key if any (COPY's
    /// per-row call: compiled optimized at once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddEncoded(long timestampMs, ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (value.Length + 64 > _maxRecordBytes)
            throw new SqlException(SqlState.ProgramLimitExceeded,
                $"row of {value.Length} bytes exceeds the stream's limit of {_maxRecordBytes} bytes");
        CheckKeyed(hasKey);
        var partition = hasKey
            ? PartitionOf(key)
            : _stream.NextRoundRobinPartition();
        BuilderFor(partition).Add(timestampMs, key, hasKey, value, default);
        RowCount++;
    }

    /// <summary>Kafka's partition of a record key (of the key without its window, for windowed keys).</summary>
    private int PartitionOf(ReadOnlySpan<byte> key) =>
        Windows.WindowedKey.SinkPartition(key, _stream.Definition.Window, _stream.Log.PartitionCount);

    /// <summary>A table's row needs its PRIMARY KEY: a record without a key could never be read or deleted.
    /// </summary>
    private void CheckKeyed(bool hasKey)
    {
        if (!hasKey && _stream.Definition.IsTable)
            throw NullKey(_stream.Definition.KeyColumn);
    }

    /// <summary>Every PRIMARY KEY column of a table's row is NOT NULL (a key of several columns too).</summary>
    private void CheckKeyColumns(ReadOnlySpan<Cell> row)
    {
        foreach (var column in _stream.KeyCodec.Columns)
        {
            if (row[column].IsNull)
                throw NullKey(column);
        }
    }

    private SqlException NullKey(int column) =>
        new(SqlState.NotNullViolation, $"the PRIMARY KEY column \"{_stream.Definition.Columns[column].Name}\" of table "
            + $"\"{_stream.Definition.Name}\" cannot be NULL");

    /// <summary>
    /// Adds a tombstone for <paramref name="key"/> (encoded by <see cref="KeyEncoding"/>): the table's row of that
    /// key is deleted when the transaction commits.
    /// </summary>
    public void AddTombstone(ReadOnlySpan<byte> key, long timestampMs = RecordBatchBuilder.UseAppendTime)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var partition = PartitionOf(key);
        BuilderFor(partition).AddNullValue(timestampMs, key, hasKey: true);
        RowCount++;
    }

    /// <summary>Adds a tombstone for the key of <paramref name="row"/> (a full-width row; only its key columns, and a
    /// windowed table's window bounds, are read), at <paramref name="timestampMs"/> (null: the append time).</summary>
    internal void AddTombstoneForRow(ReadOnlySpan<Cell> row, long? timestampMs)
    {
        if (KeyEncoding.Encode(_stream, row) is not { } key)
        {
            CheckKeyed(hasKey: false);
            return;
        }
        ObjectDisposedException.ThrowIf(_committed, this);
        var partition = PartitionOf(key);
        BuilderFor(partition).AddNullValue(timestampMs ?? RecordBatchBuilder.UseAppendTime, key, hasKey: true);
        RowCount++;
    }

    /// <summary>
    /// Adds a record with the key of <paramref name="row"/> (none when its key columns are NULL) and a null value:
    /// a stream's tombstone passed through a persistent query, as ksqlDB does. A table takes none without a key.
    /// </summary>
    internal void AddNullValueForRow(ReadOnlySpan<Cell> row, long? timestampMs)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var key = KeyEncoding.Encode(_stream, row);
        if (key is null && _stream.Definition.IsTable)
            return;
        var partition = key is not null
            ? PartitionOf(key)
            : _stream.NextRoundRobinPartition();
        BuilderFor(partition).AddNullValue(timestampMs ?? RecordBatchBuilder.UseAppendTime, key, key is not null);
        RowCount++;
    }

    private static long TimestampOf(ReadOnlySpan<Cell> row, StreamDefinition definition)
    {
        if (definition.TimestampColumn < 0 || row[definition.TimestampColumn].IsNull)
            return RecordBatchBuilder.UseAppendTime;
        var cell = row[definition.TimestampColumn];
        return definition.TimestampFormat is { } format
            ? RowTimeText.Parse((string)cell.Ref!, format) ?? RecordBatchBuilder.UseAppendTime
            : cell.Bits;
    }

    private RecordBatchBuilder BuilderFor(int partition)
    {
        var list = _batches[partition] ??= [];
        // After a full batch, the next starts at full size, not at 4 KiB.
        if (list.Count > 0 && list[^1].SizeBytes <= BatchTargetBytes - BatchCloseMarginBytes)
            return list[^1];
        // Here every builder in the list is full (a partition's first row finds none: nothing to stage yet).
        if (list.Count > 0 && !_isLane && (_staged[partition] is not null
            || (long)list.Count * BatchTargetBytes >= StageThresholdBytes
            || (long)_bufferedBatches * BatchTargetBytes >= TotalStageThresholdBytes))
            return StageFullBatches(partition, list);
        // A lane (a chunk of a large COPY) fills whole batches from its first row.
        list.Add(new RecordBatchBuilder(list.Count == 0 && !_isLane ? 4096 : BatchTargetBytes));
        _bufferedBatches++;
        return list[^1];
    }

    /// <summary>
    /// Takes over every batch of <paramref name="lane"/> (see <see cref="Lane"/>), after the rows added so far: each
    /// partition keeps its rows in order. Staging applies as if the rows had been added here; the lane is left empty.
    /// </summary>
    internal void Splice(RowAppender lane)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        for (var p = 0; p < lane._batches.Length; p++)
        {
            if (lane._batches[p] is not { Count: > 0 } batches)
                continue;
            var list = _batches[p] ??= [];
            foreach (var batch in batches)
            {
                if (batch.Count == 0)
                {
                    batch.Dispose();
                    continue;
                }
                list.Add(batch);
                _bufferedBatches++;
            }
            batches.Clear();
            if (list.Count > 1 && (_staged[p] is not null || (long)list.Count * BatchTargetBytes >= StageThresholdBytes
                || (long)_bufferedBatches * BatchTargetBytes >= TotalStageThresholdBytes))
                StageAll(p, list);
        }
        RowCount += lane.RowCount;
        lane.RowCount = 0;
    }

    /// <summary>Writes every batch of a partition into its staged append now; leaves one empty builder.</summary>
    private void StageAll(int partition, List<RecordBatchBuilder> list)
    {
        try
        {
            var lane = _staged[partition] ??=
                new StagingLane(_transaction, _stream.Log.GetPartition(partition), BatchTargetBytes);
            foreach (var batch in list)
            {
                if (batch.Count > 0)
                    lane.WriteNow(batch);
                batch.Dispose();
            }
            _bufferedBatches -= list.Count - 1;
            list.Clear();
            list.Add(new RecordBatchBuilder(BatchTargetBytes));
        }
        catch (Exception e) when (StorageError(e) is { } error)
        {
            throw error;
        }
    }

    /// <summary>Writes the partition's full batches ahead into its staged append; returns an empty builder.</summary>
    private RecordBatchBuilder StageFullBatches(int partition, List<RecordBatchBuilder> list)
    {
        try
        {
            var lane = _staged[partition] ??=
                new StagingLane(_transaction, _stream.Log.GetPartition(partition), BatchTargetBytes);
            for (var i = 0; i < list.Count - 1; i++)
            {
                lane.WriteNow(list[i]);
                list[i].Dispose();
            }
            var empty = lane.Hand(list[^1]);
            _bufferedBatches -= list.Count - 1;
            list.Clear();
            list.Add(empty);
            return empty;
        }
        catch (Exception e) when (StorageError(e) is { } error)
        {
            throw error;
        }
    }

    /// <summary>Appends every batch in one transaction; returns the number of rows written.</summary>
    public async ValueTask<long> CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        cancellationToken.ThrowIfCancellationRequested();
        _committed = true;
        try
        {
            await AppendSharesAsync();
            // The builders are released (Dispose, below) only after the commit completed or failed.
            await _transaction.CommitAsync(cancellationToken);
            return RowCount;
        }
        catch (Exception e) when (StorageError(e) is { } error)
        {
            throw error;
        }
        finally
        {
            Dispose();
        }
    }

    private async ValueTask AppendSharesAsync()
    {
        for (var p = 0; p < _batches.Length; p++)
        {
            if (_staged[p] is { } lane)
                await lane.FinishAsync(_batches[p][0]);
            else if (_batches[p] is { } batches)
                AppendAll(_stream.Log.GetPartition(p), batches);
        }
    }

    /// <summary>
    /// Adds every row to the caller's transaction (see the constructor taking one) without committing it; the
    /// batches must live until that commit completes, so dispose this appender only after it.
    /// </summary>
    internal async ValueTask AddToTransactionAsync()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _committed = true;
        try
        {
            await AppendSharesAsync();
        }
        catch (Exception e) when (StorageError(e) is { } error)
        {
            throw error;
        }
    }

    private void AppendAll(PartitionLog log, List<RecordBatchBuilder> batches)
    {
        foreach (var batch in batches)
        {
            if (batch.Count > 0)
                _transaction.Append(log, batch);
        }
    }

    private SqlException? StorageError(Exception exception) => exception switch
    {
        StorageFullException e => new SqlException(SqlState.DiskFull, e.Message, innerException: e),
        RecordTooLargeException e => new SqlException(SqlState.ProgramLimitExceeded, e.Message, innerException: e),
        LogDeletedException e => new SqlException(SqlState.UndefinedTable,
            $"stream \"{_stream.Definition.Name}\" was dropped", innerException: e),
        StorageException e => new SqlException(SqlState.IoError, e.Message, innerException: e),
        _ => null,
    };

    public void Dispose()
    {
        _committed = true;
        for (var p = 0; p < _staged.Length; p++)
        {
            _staged[p]?.Dispose();
            _staged[p] = null;
        }
        if (_ownsTransaction && !_isLane)
            _transaction.Dispose();   // aborts unless committed: nothing was visible
        foreach (var list in _batches)
        {
            if (list is null)
                continue;
            foreach (var batch in list)
                batch.Dispose();
            list.Clear();
        }
    }
}
