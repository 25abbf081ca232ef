using System.Buffers.Binary;
using Query.Engine.Errors;
using Query.Engine.Execution.Operators;
using Query.Storage.Reading;

namespace Query.Engine.State;

/// <summary>
/// A table's materialized state: the latest record per key of its changelog, whoever wrote it (INSERT, DELETE,
/// COPY, a persistent query, another producer). It is maintained lazily: every read first applies the records
/// committed since the last one (<see cref="CatchUp"/>), so a pull query sees every write acknowledged before it
/// started (read-your-writes) without a background thread. A record with a null value (a tombstone) deletes its
/// key; a record without a key is ignored (it cannot address a row), as ksqlDB does.
/// <para>Each entry's value is <c>[i64 timestampMs][i64 offset][i32 partition][record value]</c>, so a lookup
/// answers ROWTIME, ROWOFFSET and ROWPARTITION as a scan of the log would. Concurrency: catch-up holds a write
/// lock, reads a read lock per batch (never across batches: operators may resume on another thread).</para>
/// <para>Restart: the state lives in memory and is rebuilt from the changelog by the first read after the engine
/// opens (the changelog is the durable copy; no snapshot yet).</para>
/// </summary>
public sealed partial class TableState : IDisposable
{
    public const int EntryHeaderBytes = 20;

    private readonly string _tableName;
    private readonly IReadOnlyList<IPartitionSource> _sources;
    private readonly IStateStore _store;
    private readonly long[] _nextOffsets;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private byte[] _entry = new byte[256];

    /// <param name="tableName">For messages.</param>
    /// <param name="sources">The changelog's partitions.</param>
    /// <param name="store">Where the latest record per key is kept.</param>
    /// <param name="windows">A windowed table's index of windows by key, with their retention (null: not
    /// windowed).</param>
    public TableState(string tableName, IReadOnlyList<IPartitionSource> sources, IStateStore store,
        WindowedTableIndex? windows = null)
    {
        _tableName = tableName;
        _sources = sources;
        _store = store;
        _windows = windows;
        _nextOffsets = new long[sources.Count];
    }

    /// <summary>Keys with a value (as of the last catch-up).</summary>
    public long Count => _store.Count;

    /// <summary>Bytes the state is charged for.</summary>
    public long MemoryBytes => _store.MemoryBytes + (_windows?.MemoryBytes ?? 0);

    /// <summary>The next changelog offset of <paramref name="partition"/> the state will apply.</summary>
    public long AppliedThrough(int partition) => Volatile.Read(ref _nextOffsets[partition]);

    /// <summary>
    /// Applies every changelog record committed before this call; 53200 when the state would pass the memory
    /// budget (what was applied stays applied, and the next read resumes from the failed record).
    /// </summary>
    public void CatchUp(CancellationToken cancellationToken)
    {
        if (IsCaughtUp())
            return;
        _lock.EnterWriteLock();
        try
        {
            for (var p = 0; p < _sources.Count; p++)
                CatchUpPartition(p, cancellationToken);
        }
        catch (StateStoreFullException e)
        {
            throw new SqlException(SqlState.OutOfMemory,
                $"the state of table \"{_tableName}\" does not fit in memory: {e.Message}", innerException: e,
                hint: "Raise the setting state_memory_bytes (EngineOptions.StateMemoryBytes), or drop tables.");
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private bool IsCaughtUp()
    {
        for (var p = 0; p < _sources.Count; p++)
        {
            if (Volatile.Read(ref _nextOffsets[p]) < _sources[p].LastStableOffset)
                return false;
        }
        return true;
    }

    private void CatchUpPartition(int partition, CancellationToken cancellationToken)
    {
        var source = _sources[partition];
        var end = source.LastStableOffset;
        var start = Math.Max(_nextOffsets[partition], source.StartOffset);
        if (start >= end)
            return;
        using var reader = source.OpenReader(start, end);
        while (reader.TryRead(out var record))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (record.HasKey && _windows is not null)
            {
                ApplyWindowed(record, partition);
            }
            else if (record.HasKey)
            {
                if (record.ValueIsNull)
                    _store.Delete(record.Key);
                else
                    _store.Put(record.Key, Entry(record.TimestampMs, record.Offset, partition, record.Value));
            }
            Volatile.Write(ref _nextOffsets[partition], record.Offset + 1);
        }
        Volatile.Write(ref _nextOffsets[partition], Math.Max(_nextOffsets[partition], end));
    }

    private ReadOnlySpan<byte> Entry(long timestampMs, long offset, int partition, ReadOnlySpan<byte> value)
    {
        var length = EntryHeaderBytes + value.Length;
        if (_entry.Length < length)
            _entry = new byte[Math.Max(length, _entry.Length * 2)];
        BinaryPrimitives.WriteInt64LittleEndian(_entry, timestampMs);
        BinaryPrimitives.WriteInt64LittleEndian(_entry.AsSpan(8), offset);
        BinaryPrimitives.WriteInt32LittleEndian(_entry.AsSpan(16), partition);
        value.CopyTo(_entry.AsSpan(EntryHeaderBytes));
        return _entry.AsSpan(0, length);
    }

    /// <summary>Adds the row of <paramref name="key"/> to <paramref name="batch"/>, if the key has one.</summary>
    public bool Lookup(ReadOnlySpan<byte> key, RecordBatch batch)
    {
        _lock.EnterReadLock();
        try
        {
            return _store.TryGet(key, out var entry) && Add(key, entry, batch);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Whether <paramref name="key"/> has a row (as of the last catch-up).</summary>
    public bool ContainsKey(ReadOnlySpan<byte> key)
    {
        _lock.EnterReadLock();
        try
        {
            return _store.TryGet(key, out _);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Every key with a row (as of the last catch-up), copied.</summary>
    public List<byte[]> Keys()
    {
        _lock.EnterReadLock();
        try
        {
            var keys = new List<byte[]>((int)Math.Min(_store.Count, int.MaxValue));
            long position = 0;
            while (_store.TryGetNext(ref position, out var key, out _))
                keys.Add(key.ToArray());
            return keys;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Adds rows from <paramref name="position"/> (0 at the start) until the batch is full; returns false at the
    /// end of the state. Every key that lives throughout the walk is seen exactly once.
    /// </summary>
    public bool Fill(ref long position, RecordBatch batch)
    {
        _lock.EnterReadLock();
        try
        {
            while (!batch.IsFull)
            {
                if (!_store.TryGetNext(ref position, out var key, out var entry))
                    return false;
                Add(key, entry, batch);
            }
            return true;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static bool Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> entry, RecordBatch batch) =>
        batch.Add(key, true, entry[EntryHeaderBytes..], BinaryPrimitives.ReadInt64LittleEndian(entry[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(entry), BinaryPrimitives.ReadInt32LittleEndian(entry[16..]));

    public void Dispose()
    {
        _lock.EnterWriteLock();
        try
        {
            _windows?.Clear();
            _store.Dispose();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }
}
