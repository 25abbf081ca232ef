using System.Collections.Concurrent;
using Query.Engine.Catalog;
using Query.Engine.Execution.Operators;
using Query.Engine.Types;
using Query.Storage;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

/// <summary>
/// The hot log's records as bounded scans last read them, kept in memory so that the next pull query over the same
/// records skips the storage read, the CRC check, the record parsing and the row-time admission: per partition,
/// chunks of <see cref="ChunkRecords"/> offsets (aligned: chunk n holds offsets [n·size, (n+1)·size)), each the
/// admitted records of its offsets packed in one <see cref="RecordBatch"/> that scans on any thread read through
/// views of their own. Only whole chunks wholly below the partition's last stable offset are kept: records there
/// never change but by retention (the chunk is dropped once its first offset falls below the partition's start) or
/// by a truncation (every chunk read before it is dropped: <see cref="HotPartitionSource.TruncationSequence"/>).
/// A chunk is also dropped when the stream's definition changed since it was read.
/// <para>Memory: at most <see cref="MaxBytes"/> (<see cref="EngineOptions.ScanCacheBytes"/>); chunks are added while
/// there is room and kept until one of the above drops them (a sequential scan does not push out what is there:
/// with a least-recently-used policy a scan larger than the cache would find nothing). Once full, a pass drops the
/// chunks no longer valid (dropped streams among them), at most once a second; the rest of the data is read from
/// the log as without a cache. 0 turns the cache off.</para>
/// </summary>
public sealed class ScanCache
{
    private static readonly long SweepIntervalTicks = TimeSpan.FromSeconds(1).Ticks;
    private readonly ConcurrentDictionary<ChunkKey, CachedChunk> _chunks = new();
    private readonly Lock _sweepLock = new();
    private long _bytes;
    private long _lastSweepTicks;
    private long _hits;
    private long _misses;

    public ScanCache(long maxBytes, int chunkRecords)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRecords, 1);
        MaxBytes = maxBytes;
        ChunkRecords = chunkRecords;
    }

    /// <summary>Most bytes the kept chunks may take together.</summary>
    public long MaxBytes { get; }

    /// <summary>Offsets per chunk (the engine's batch row count, so a chunk fits in one batch).</summary>
    public int ChunkRecords { get; }

    /// <summary>Bytes the kept chunks take now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Chunks kept now.</summary>
    public int ChunkCount => _chunks.Count;

    /// <summary>Chunks scans found here, and chunks they had to read from the log (since the engine started).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <inheritdoc cref="Hits"/>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Whether scans use the cache at all.</summary>
    public bool Enabled => MaxBytes > 0;

    /// <summary>The chunk of <paramref name="source"/> holding <paramref name="chunkIndex"/>'s offsets, if kept and
    /// still valid for <paramref name="definition"/>; an invalid one is dropped.</summary>
    internal CachedChunk? TryGet(HotPartitionSource source, long chunkIndex, StreamDefinition definition)
    {
        var key = new ChunkKey(source, chunkIndex);
        if (!_chunks.TryGetValue(key, out var chunk))
        {
            Interlocked.Increment(ref _misses);
            return null;
        }
        if (IsValid(source, chunk) && ReferenceEquals(chunk.Definition, definition))
        {
            Interlocked.Increment(ref _hits);
            return chunk;
        }
        Remove(key, chunk);
        Interlocked.Increment(ref _misses);
        return null;
    }

    /// <summary>Whether a chunk of about <paramref name="bytes"/> would be kept now (after a pass that drops
    /// invalid chunks, when full).</summary>
    internal bool HasRoom(long bytes)
    {
        if (Bytes + bytes <= MaxBytes)
            return true;
        Sweep();
        return Bytes + bytes <= MaxBytes;
    }

    /// <summary>Keeps <paramref name="chunk"/> if there is room; false when not kept.</summary>
    internal bool TryAdd(HotPartitionSource source, long chunkIndex, CachedChunk chunk)
    {
        if (Interlocked.Add(ref _bytes, chunk.SizeBytes) > MaxBytes)
        {
            Interlocked.Add(ref _bytes, -chunk.SizeBytes);
            return false;
        }
        chunk.MarkKept();
        if (_chunks.TryAdd(new ChunkKey(source, chunkIndex), chunk))
            return true;
        chunk.Release();
        Interlocked.Add(ref _bytes, -chunk.SizeBytes);   // another scan kept the same chunk first
        return false;
    }

    /// <summary>Drops every chunk of the given sources (their stream was dropped or replaced).</summary>
    public void Forget(IReadOnlyList<IPartitionSource> sources)
    {
        foreach (var (key, chunk) in _chunks)
        {
            foreach (var source in sources)
            {
                if (ReferenceEquals(key.Source, source))
                    Remove(key, chunk);
            }
        }
    }

    private static bool IsValid(HotPartitionSource source, CachedChunk chunk)
    {
        try
        {
            return chunk.TruncationSequence == source.TruncationSequence && chunk.StartOffset >= source.StartOffset;
        }
        catch (LogDeletedException)
        {
            return false;
        }
    }

    private void Sweep()
    {
        var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        lock (_sweepLock)
        {
            if (now - _lastSweepTicks < SweepIntervalTicks)
                return;
            _lastSweepTicks = now;
        }
        foreach (var (key, chunk) in _chunks)
        {
            if (!IsValid(key.Source, chunk))
                Remove(key, chunk);
        }
    }

    private void Remove(ChunkKey key, CachedChunk chunk)
    {
        if (_chunks.TryRemove(new KeyValuePair<ChunkKey, CachedChunk>(key, chunk)))
            Interlocked.Add(ref _bytes, -chunk.Release());
    }

    /// <summary>Takes <paramref name="bytes"/> of the bound for a kept chunk's decoded column; false when full.
    /// </summary>
    internal bool TryCharge(long bytes)
    {
        if (Interlocked.Add(ref _bytes, bytes) <= MaxBytes)
            return true;
        Interlocked.Add(ref _bytes, -bytes);
        return false;
    }

    /// <summary>Gives back what <see cref="TryCharge"/> took.</summary>
    internal void Release(long bytes) => Interlocked.Add(ref _bytes, -bytes);

    private readonly record struct ChunkKey(HotPartitionSource Source, long Index);
}

/// <summary>
/// One kept chunk: the admitted records of offsets [<see cref="StartOffset"/>, <see cref="EndOffset"/>) of one
/// partition, compacted; the offsets of the records admission refused (counted again by every scan that reads
/// them, as a scan of the log would), and what it was read under. Prefilters add decoded columns to it.
/// </summary>
internal sealed class CachedChunk(RecordBatch records, long startOffset, long endOffset, long[] skippedOffsets,
    int truncationSequence, StreamDefinition definition)
{
    private DecodedColumn?[]? _columns;
    private long _columnBytes;
    private bool _released;
    private bool _kept;

    public RecordBatch Records { get; } = records;

    public long StartOffset { get; } = startOffset;

    public long EndOffset { get; } = endOffset;

    public long[] SkippedOffsets { get; } = skippedOffsets;

    public int TruncationSequence { get; } = truncationSequence;

    public StreamDefinition Definition { get; } = definition;

    /// <summary>Bytes of the records (decoded columns are charged as they are added).</summary>
    public long SizeBytes { get; } = records.SizeBytes + (skippedOffsets.Length * 8L) + 128;

    /// <summary>
    /// Column <paramref name="ordinal"/> decoded; kept with the chunk if the chunk is in <paramref name="cache"/> and
    /// it has room, else decoded for this one use.
    /// </summary>
    public DecodedColumn Column(int ordinal, SqlTypeKind kind, RecordCursor cursor, ScanCache cache)
    {
        if (Volatile.Read(ref _columns) is { } columns && Volatile.Read(ref columns[ordinal]) is { } found)
            return found;
        var decoded = DecodedColumn.Decode(Records, ordinal, kind, cursor);
        lock (this)
        {
            if (!_kept || _released || !cache.TryCharge(decoded.SizeBytes))
                return decoded;
            _columns ??= new DecodedColumn?[Definition.Columns.Count];
            if (_columns[ordinal] is { } other)
            {
                cache.Release(decoded.SizeBytes);
                return other;
            }
            Volatile.Write(ref _columns[ordinal], decoded);
            _columnBytes += decoded.SizeBytes;
            return decoded;
        }
    }

    /// <summary>Marks the chunk as held by the cache (its decoded columns are then kept too).</summary>
    public void MarkKept()
    {
        lock (this)
            _kept = true;
    }

    /// <summary>Leaves the cache: every byte it holds, decoded columns included; later columns are not kept.</summary>
    public long Release()
    {
        lock (this)
        {
            if (_released)
                return 0;
            _released = true;
            return SizeBytes + _columnBytes;
        }
    }
}
