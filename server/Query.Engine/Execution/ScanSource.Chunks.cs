using System.Runtime.CompilerServices;
using Query.Engine.Execution.Operators;
using Query.Engine.Planning;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

// The cached side of ScanSource: ranges of the hot log read chunk by chunk through the ScanCache.
public sealed partial class ScanSource
{
    private readonly ScanCache? _cache;
    private readonly Queue<CachedChunk> _pending = new();   // read by this scan, in offset order: handed up next
    private HotPartitionSource? _hot;                        // the current range's source when read through the cache
    private RecordBatch? _building;
    private int[]? _selection;
    private int[]? _candidates;

    /// <summary>
    /// The WHERE's comparisons of fixed-width columns with constants, run over kept chunks' decoded columns before
    /// <see cref="Predicate"/> (which must be the whole WHERE they were taken from); null: none.
    /// </summary>
    internal ScanPrefilter? Prefilter { get; init; }

    // A range is read through the cache, also one of a ROWTIME window (its ranges are the index blocks that overlap
    // the window: the batches a time-bounded read of the log would read too); of a tiered partition, only the hot
    // log's records are kept (cold ones are read through the partition's source).
    private HotPartitionSource? CachedSource(PartitionScan partition) =>
        _cache is not null
            ? _plan.Stream.Sources[partition.Partition] switch
            {
                HotPartitionSource hot => hot,
                Query.Tiering.Reading.TieredPartitionSource tiered => tiered.HotSource,   // kept: its hot records
                _ => null,
            }
            : null;

    // The chunk holding _position: kept, read now, or (when it cannot be kept) the range goes on from the log.
    private RecordBatch? NextChunk(RecordCursor cursor)
    {
        var size = _cache!.ChunkRecords;
        var chunkIndex = _position / size;
        var fresh = _pending.TryPeek(out var next) && next.StartOffset == chunkIndex * size;
        var chunk = fresh ? _pending.Dequeue() : _cache.TryGet(_hot!, chunkIndex, _plan.Stream.Definition);
        if (chunk is null)
        {
            if (ReadChunks(chunkIndex))
                return null;
            // Not read as chunks: records below the hot log's start (cold, or removed) are read through the source up
            // to the first whole hot chunk; a short range (a few offsets) only to the chunk's end; a cache without
            // room for more sends the rest of the range there.
            var chunkEnd = (chunkIndex + 1) * size;
            var hotStart = SafeStart();
            var firstWholeChunk = (hotStart + size - 1) / size * size;
            OpenReader(_position < hotStart ? Math.Min(_rangeEnd, Math.Max(chunkEnd, firstWholeChunk))
                : _rangeEnd - _position < size || chunkIndex * size < hotStart ? Math.Min(_rangeEnd, chunkEnd)
                : _rangeEnd);
            return null;
        }
        var view = Select(chunk, cursor, fresh);
        _position = Math.Min(_rangeEnd, chunk.EndOffset);
        return view.Count > 0 ? view : null;
    }

    private long SafeStart()
    {
        try
        {
            return _hot!.StartOffset;
        }
        catch (Query.Storage.LogDeletedException)
        {
            return long.MaxValue;   // the reader opened next reports it
        }
    }

    // The records of `chunk` in the current range that pass the predicate, as a view.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RecordBatch Select(CachedChunk chunk, RecordCursor cursor, bool fresh)
    {
        var records = chunk.Records;
        _selection ??= new int[_cache!.ChunkRecords];
        var view = RecordBatch.ViewOf(records, cursor, _selection);
        var first = _position <= chunk.StartOffset ? 0 : FirstAtOrAfter(records, _position);
        var last = _rangeEnd >= chunk.EndOffset ? records.RecordCount : FirstAtOrAfter(records, _rangeEnd);
        var kept = 0;
        var predicate = Predicate;
        var token = CancellationToken;
        if (Prefilter is { } prefilter && predicate is not null)
        {
            // The comparisons with constants over decoded columns first; the whole predicate on what they leave.
            _candidates ??= new int[_selection.Length];
            var count = prefilter.Select(chunk, cursor, _cache!, first, last, _candidates);
            if (prefilter.IsWholePredicate)
            {
                if (token.IsCancellationRequested)
                    throw Errors.SqlException.Canceled();
                Array.Copy(_candidates, _selection, count);
                kept = count;
            }
            for (var c = kept; c < count; c++)
            {
                if (token.IsCancellationRequested)
                    throw Errors.SqlException.Canceled();
                _selection[kept] = _candidates[c];
                if (predicate(view.Select(kept)))
                    kept++;
            }
        }
        else
        {
            for (var r = first; r < last; r++)
            {
                if (token.IsCancellationRequested)
                    throw Errors.SqlException.Canceled();
                _selection[kept] = r;
                if (predicate is null || predicate(view.Select(kept)))
                    kept++;
            }
        }
        view.Count = kept;
        if (!fresh)
        {
            // A scan of the log counts these each time (the stream's processing log); so does a kept chunk.
            var skipped = 0;
            foreach (var offset in chunk.SkippedOffsets)
            {
                if (offset >= _position && offset < _rangeEnd)
                {
                    _plan.Stream.CountSkippedRecord();
                    skipped++;
                }
            }
            _statistics.RecordsScanned += last - first + skipped;
            _statistics.RecordsFromCache += last - first;
        }
        return view;
    }

    private static int FirstAtOrAfter(RecordBatch records, long offset)
    {
        int low = 0, high = records.RecordCount;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (records.OffsetOfRecord(mid) < offset)
                low = mid + 1;
            else
                high = mid;
        }
        return low;
    }
}
